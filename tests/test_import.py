"""Importing members from CSV and XLSX: every row checked, errors by row and column in the
user's language, all or nothing by default, and a second run of the same file changes nothing."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from tamyr.core.models import AuditEvent
from tamyr.members.iin import make_iin
from tamyr.members.import_jobs import member_import_run
from tamyr.members.importing import ImportRefused, MemberImporter, template_rows
from tamyr.members.models import ImportStatus, MemberImport, Membership, MembershipCard, Person
from tamyr.orgs.models import Node

HEADER_EN = (
    "IIN;Surname;Name;Patronymic;Gender;Birth date;Phone;Address;Occupation sector;"
    "Education;PPO code;Admitted on;Admitted by;Protocol number;"
    "Membership card number;Card issued on;Handed over by"
)


def iin_for(i: int, sex: str = "f") -> tuple[str, date]:
    birth = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
    for serial in range(2000 + i % 7000, 10000):
        iin = make_iin(birth, sex, serial)
        if iin:
            return iin, birth
    raise AssertionError(i)


def row(i: int, ppo: str = "P1", **changes) -> str:
    iin, birth = iin_for(i)
    values = {
        "iin": iin,
        "surname": f"Құдайбергенова{i}",
        "name": "Әсем",
        "patronymic": "Ұланқызы",
        "gender": "ж",
        "birth": birth.strftime("%d.%m.%Y"),
        "phone": "+7 707 555 12 34",
        "address": "",
        "sector": "Денсаулық сақтау",
        "education": "higher",
        "ppo": ppo,
        "admitted": "15.03.2024",
        "body": "",
        "protocol": "7",
        "card": f"IMP{i:06d}",
        "issued": "20.03.2024",
        "by": "",
    }
    values.update(changes)
    return ";".join(values.values())


def write(
    tmp_path: Path, lines: list[str], name: str = "members.csv", encoding: str = "utf-8-sig"
) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def run(
    cast, path: Path, user: str = "district_secretary", mode: str = "all", language: str = "en"
) -> MemberImport:
    job = MemberImport.objects.create(
        user=cast["users"][user],
        file_name=path.name,
        stored_path=str(path),
        mode=mode,
        language=language,
    )
    return member_import_run(job)


def test_the_template_has_its_header_in_each_language():
    assert template_rows("kk")[0][:3] == ["ЖСН", "Тегі", "Аты"]
    assert template_rows("ru")[0][:3] == ["ИИН", "Фамилия", "Имя"]
    assert template_rows("en")[0][:3] == ["IIN", "Surname", "Name"]


def test_a_good_file_is_imported_whole_with_its_kazakh_letters(cast, tmp_path):
    kk_header = ";".join(template_rows("kk")[0])
    lines = [kk_header, "", row(1), row(2, admitted="45366"), "", row(3, gender="f")]
    job = run(cast, write(tmp_path, lines))
    assert (job.status, job.rows, job.created, job.rejected) == (ImportStatus.DONE, 3, 3, 0)
    person = Person.objects.get(iin=iin_for(1)[0])
    assert (person.surname, person.patronymic, person.phone, person.sector) == (
        "Құдайбергенова1",
        "Ұланқызы",
        "+77075551234",
        "health",
    )
    assert person.ppo.code == "P1" and person.status == "active"
    # 45366 is the Excel serial day of 15 March 2024.
    assert Membership.objects.get(person__iin=iin_for(2)[0]).admitted_on == date(2024, 3, 15)
    assert MembershipCard.objects.get(person=person).number == "IMP000001"
    assert (
        AuditEvent.objects.filter(
            object_type="members.person", action="create", after__import="members.csv"
        ).count()
        == 3
    )
    assert Node.objects.get(code="P1").active_member_count == 4


def test_the_same_file_again_changes_nothing(cast, tmp_path):
    path = write(tmp_path, [HEADER_EN, row(1), row(2)])
    run(cast, path)
    people, events = Person.objects.count(), AuditEvent.objects.count()
    job = run(cast, path)
    assert (job.created, job.updated, job.unchanged) == (0, 0, 2)
    assert Person.objects.count() == people
    # One line records the (empty) run itself; no record changed.
    assert AuditEvent.objects.count() == events + 1


def test_a_bad_iin_at_row_7000_of_10000_stops_everything_and_says_where(cast, tmp_path):
    lines = [HEADER_EN] + [row(i) for i in range(1, 10001)]
    lines[7000] = row(7000, iin="87010130012X")  # the 7,000th member is on line 7,001
    path = write(tmp_path, lines)
    before = Person.objects.count()
    job = run(cast, path)
    assert (job.status, job.rows, job.created, job.rejected) == (ImportStatus.REFUSED, 10000, 0, 1)
    assert [(p.row, p.column, p.message) for p in job.problems.all()] == [
        (7001, "IIN", "The IIN must be exactly 12 digits.")
    ]
    assert Person.objects.count() == before

    # The corrected file goes through, and a second run of it creates nothing more.
    lines[7000] = row(7000)
    fixed = write(tmp_path, lines, "fixed.csv")
    assert run(cast, fixed).created == 10000
    again = run(cast, fixed)
    assert (again.created, again.unchanged) == (0, 10000)
    assert Person.objects.count() == before + 10000


def test_keeping_the_good_rows_imports_them_and_lists_the_bad(cast, tmp_path):
    lines = [
        HEADER_EN,
        row(1),
        row(2, birth="31.02.1990"),
        row(3, ppo="P3"),
        row(4),
        row(1, card=""),
    ]
    job = run(cast, write(tmp_path, lines), mode="good")
    assert (job.status, job.created, job.rejected) == (ImportStatus.DONE, 2, 3)
    problems = [(p.row, p.column, p.message) for p in job.problems.all()]
    assert problems == [
        (3, "Birth date", "“31.02.1990” is not a date: write it as 23.11.2026."),
        (4, "PPO code", "No open primary organisation with the code “P3” in your subtree."),
        (6, "IIN", "This IIN is already in row 2 of the file."),
    ]


def test_errors_are_written_in_the_users_language(cast, tmp_path):
    lines = [HEADER_EN, row(1, ppo="P3")]
    job = run(cast, write(tmp_path, lines), language="kk")
    problem = job.problems.get()
    with translation.override("kk"):
        assert problem.column == "БПҰ коды"
    assert problem.message.startswith("Сіздің құрылымыңызда")


def test_people_registered_elsewhere_are_not_taken_over(cast, tmp_path):
    other = cast["members"]["P3"]
    lines = [
        HEADER_EN,
        row(1, iin=other.iin, birth=other.birth_date.strftime("%d.%m.%Y"), gender=other.gender),
    ]
    job = run(cast, write(tmp_path, lines), mode="good")
    assert [(p.column, p.message) for p in job.problems.all()] == [
        ("IIN", "A person with this IIN is already registered.")
    ]
    assert Person.objects.get(pk=other.pk).ppo.code == "P3"


def test_a_corrected_name_updates_the_member_with_an_audit_line(cast, tmp_path):
    run(cast, write(tmp_path, [HEADER_EN, row(1)]))
    job = run(
        cast, write(tmp_path, [HEADER_EN, row(1, surname="Құдайбергенова-Әлиева")], "corrected.csv")
    )
    assert (job.created, job.updated) == (0, 1)
    person = Person.objects.get(iin=iin_for(1)[0])
    assert person.surname == "Құдайбергенова-Әлиева" and person.version == 2
    assert AuditEvent.objects.filter(object_id=str(person.pk), action="update").count() == 1


def test_windows_cyrillic_files_are_read_and_said_so(cast, tmp_path):
    path = write(tmp_path, [HEADER_EN, row(1)], encoding="kz1048")
    job = run(cast, path)
    assert job.created == 1
    assert job.notice == "The file was read as Windows Cyrillic (code page 1251/1048)."
    assert Person.objects.get(iin=iin_for(1)[0]).patronymic == "Ұланқызы"


def test_comma_separated_files_work_too(cast, tmp_path):
    lines = [HEADER_EN.replace(";", ","), row(1).replace(";", ",")]
    assert run(cast, write(tmp_path, lines)).created == 1


def test_unreadable_files_are_refused_with_a_reason(cast, tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    job = run(cast, binary)
    assert (job.status, job.notice) == (
        ImportStatus.FAILED,
        "The file is not a text file: save it as CSV UTF-8 or XLSX.",
    )
    headless = write(tmp_path, ["Фамилия;Имя", "Ахметов;Ерлан"], "headless.csv")
    job = run(cast, headless)
    assert job.status == ImportStatus.FAILED
    assert job.notice.startswith("Row 1 should be the header; these columns are missing: IIN,")


def test_xlsx_with_numbers_and_dates_as_excel_stores_them(cast, tmp_path):
    iin, birth = iin_for(1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([c for c in HEADER_EN.split(";")])
    values = row(1).split(";")
    values[0] = int(iin)  # a numeric cell, as Excel keeps IINs typed in
    values[5] = birth  # a real date cell
    values[11] = date(2024, 3, 15)
    values[1] = "=Әлиева"
    sheet.append(values)
    sheet.cell(row=2, column=2).data_type = "s"  # text that looks like a formula, as text
    path = tmp_path / "members.xlsx"
    book.save(path)
    job = run(cast, path)
    assert job.created == 1, [p.message for p in job.problems.all()]
    assert Person.objects.get(iin=iin).surname == "=Әлиева"


def test_born_in_2000s_iins_keep_their_leading_zero_from_numeric_cells(cast, tmp_path):
    birth = date(2004, 5, 6)
    iin = next(i for s in range(100) if (i := make_iin(birth, "m", s)))
    assert iin.startswith("0")
    book = openpyxl.Workbook()
    book.active.append(HEADER_EN.split(";"))
    values = row(1, gender="m", birth="06.05.2004").split(";")
    values[0] = int(iin)
    book.active.append(values)
    path = tmp_path / "young.xlsx"
    book.save(path)
    assert run(cast, path).created == 1
    assert Person.objects.filter(iin=iin).exists()


def test_the_importer_refuses_an_empty_file(cast, tmp_path):
    empty = write(tmp_path, [""], "empty.csv")
    with pytest.raises(ImportRefused):
        MemberImporter(user=cast["users"]["district_secretary"], path=empty).run()


def test_upload_runs_in_the_background_and_shows_progress_and_errors(client, cast, tmp_path):
    client.force_login(cast["users"]["district_secretary"])
    content = "\n".join([HEADER_EN, row(1), row(2, ppo="P3")]).encode("utf-8")
    upload = io.BytesIO(content)
    upload.name = "members.csv"
    response = client.post(reverse("members:import_start"), {"file": upload, "mode": "all"})
    job = MemberImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "members:import", args=[job.uuid]
    )
    page = client.get(response.url)
    assert page.context["job"].status == ImportStatus.REFUSED
    assert [p.row for p in page.context["page"]] == [3]
    client.force_login(cast["users"]["regional_secretary"])
    assert client.get(response.url).status_code == 404


def test_xlsx_export_keeps_text_as_text_and_stays_in_scope(client, cast):
    from tamyr.members.services import member_register

    birth = date(1985, 5, 5)
    member_register(
        actor=None,
        ppo=cast["nodes"]["P1"],
        person_data={
            "surname": "=cmd|'/c calc'!A1",
            "given_name": "Өңірбек",
            "patronymic": "Һәкімұлы",
            "iin": make_iin(birth, "m", 31),
            "gender": "m",
            "birth_date": birth,
            "phone": "",
            "address": "",
            "sector": "business",
            "education": "higher",
        },
        membership_data={"admitted_on": date(2020, 1, 1)},
    )
    client.force_login(cast["users"]["district_secretary"])
    response = client.get(reverse("members:export_xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Surname", "Name", "Patronymic", "IIN")
    assert sorted(r[0] for r in rows[1:]) == ["=cmd|'/c calc'!A1", "Сейітов2"]
    assert all(c.data_type == "s" for r in book.active.iter_rows() for c in r if c.value)
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.after == {"filters": {"format": "xlsx"}, "rows": 2}


def test_the_api_takes_a_file_and_reports_by_uuid(cast):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    user = cast["users"]["district_secretary"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    upload = io.BytesIO("\n".join([HEADER_EN, row(1), row(2, ppo="P3")]).encode("utf-8"))
    upload.name = "members.csv"
    response = client.post(
        reverse("api:member-import-list"),
        {"file": upload, "mode": "good"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 202
    body = client.get(reverse("api:member-import-detail", args=[response.json()["uuid"]])).json()
    assert (body["status"], body["created"], body["rejected"]) == ("done", 1, 1)
    assert body["problems"] == [
        {
            "row": 3,
            "column": "Код ППО",
            "message": "В вашей части организации нет открытой первичной организации с кодом «P3».",
        }
    ]


def test_the_command_line_imports_with_a_progress_bar_and_a_summary_in_kazakh(
    cast, tmp_path, capsys
):
    from django.core.management import call_command

    path = write(tmp_path, [HEADER_EN, row(40), row(41)])
    call_command("import_members", str(path), "--user", "district_secretary")
    out, err = capsys.readouterr()
    assert "100%" in err and "[####" in err
    assert out.strip() == "аяқталды: 2 жол, 2 жаңа, 0 жаңартылды, 0 өзгеріссіз, 0 қатемен."
    assert Person.objects.filter(surname__in=["Құдайбергенова40", "Құдайбергенова41"]).count() == 2


def test_the_command_line_lists_errors_by_row_and_fails(cast, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = write(tmp_path, [HEADER_EN, row(42), row(43, iin="123456789012")])
    with pytest.raises(CommandError):
        call_command(
            "import_members", str(path), "--user", "district_secretary", "--language", "ru"
        )
    out, _err = capsys.readouterr()
    assert "строка 3" in out
    assert not Person.objects.filter(surname="Құдайбергенова42").exists()


def test_the_command_line_refuses_an_unknown_user_in_the_chosen_language(cast, tmp_path):
    from django.core.management import CommandError, call_command

    path = write(tmp_path, [HEADER_EN, row(44)])
    with pytest.raises(CommandError, match="Белсенді пайдаланушы жоқ"):
        call_command("import_members", str(path), "--user", "ghost", "--language", "kk")
