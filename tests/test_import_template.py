"""The import template's example row passes Tamyr's own checks in every language.

Downloaded from the import page in Kazakh, Russian or English and uploaded back unchanged, the
template creates exactly its example person; its coded values are the words the member export
writes in that language.
"""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from tamyr.members.models import ImportStatus, MemberImport, MembershipCard, Person
from tamyr.orgs.services import node_create
from tests.clock import A_WORKING_MORNING

# Its data carries fixed dates: they keep their distance from "today" on every day it runs.
pytestmark = pytest.mark.time_machine(A_WORKING_MORNING, tick=False)

# The example, written out: a woman born on 1 January 1987. Her IIN: 870101 (birth date), 4 (a
# woman born in the 1900s), 0123 (serial) and the check digit, worked out below by hand.
IIN = "870101401231"
WORDS = {
    # gender, occupation sector, education, admitted by
    "kk": ("әйел", "Білім беру", "Жоғары", "БПҰ жалпы жиналысы"),
    "ru": ("женский", "Образование", "Высшее", "Общее собрание ППО"),
    "en": ("female", "Education", "Higher", "General meeting of the PPO"),
}


def test_the_example_iin_is_a_valid_iin_of_a_woman_born_in_1987():
    digits = [int(c) for c in IIN]
    # The published weights: 1..11, and 3..11,1,2 when the first pass gives 10.
    first = sum(d * w for d, w in zip(digits[:11], range(1, 12), strict=True)) % 11
    assert first != 10
    assert (IIN[:6], IIN[6], digits[11]) == ("870101", "4", first)


def download(client, language: str, fmt: str) -> tuple[list[str], list[str], bytes]:
    client.cookies["tamyr_language"] = language
    response = client.get(reverse("members:import_template", args=[fmt]))
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    return rows[0], rows[1], response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_template_imports_unchanged_and_creates_exactly_its_example(
    client, cast, language, fmt
):
    # The example names the demo's first PPO in Yesil district; here it is in district A.
    ppo = node_create(
        actor=None,
        parent=cast["nodes"]["D1"],
        data={"kind": "primary", "code": "AST-03-001", "name_kk": "Мысал БПҰ"},
    )
    client.force_login(cast["users"]["district_secretary"])
    header, example, content = download(client, language, fmt)
    people_before = Person.objects.count()

    upload = io.BytesIO(content)
    upload.name = f"template.{fmt}"
    response = client.post(reverse("members:import_start"), {"file": upload, "mode": "all"})
    job = MemberImport.objects.get()
    assert response.url == reverse("members:import", args=[job.uuid])
    assert (job.status, job.problem_count, job.rows, job.created) == (ImportStatus.DONE, 0, 1, 1)
    assert list(job.problems.all()) == []
    assert Person.objects.count() == people_before + 1

    assert example[0] == IIN
    assert (example[4], example[8], example[9], example[12]) == WORDS[language]
    person = Person.objects.get(iin=IIN)
    membership = person.memberships.get()
    assert (
        person.surname,
        person.given_name,
        person.patronymic,
        person.gender,
        person.birth_date,
        person.phone,
        person.sector,
        person.education,
        person.ppo,
        person.status,
    ) == (
        "Әбдірахманова",
        "Гүлнар",
        "Серікқызы",
        "f",
        date(1987, 1, 1),
        "+77011234567",
        "education",
        "higher",
        ppo,
        "active",
    )
    assert (
        membership.admitted_on,
        membership.admission_body,
        membership.admission_protocol,
    ) == (date(2024, 3, 15), "ppo_meeting", "12")
    assert list(
        MembershipCard.objects.filter(person=person).values_list("number", "issued_on")
    ) == [("00012345", date(2024, 3, 20))]

    # The member export, in the same language, writes the example's values as the template does.
    exported = client.get(reverse("members:export"), {"q": "Әбдірахманова"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    written = dict(zip(rows[0], rows[1], strict=True))
    given = dict(zip(header, example, strict=True))
    # Every column the two files share but the phone, which the export writes as stored (E.164,
    # guarded against spreadsheet formulas).
    shared = [label for label in rows[0] if label in given and label != header[6]]
    assert len(shared) == 9  # IIN, three names, gender, birth date, sector, education, PPO code
    assert [written[label] for label in shared] == [given[label] for label in shared]
