"""An import that ends with errors while its page is open shows them without a reload."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tamyr.members.iin import make_iin
from tamyr.members.import_jobs import member_import_run
from tamyr.members.models import ImportProblem, ImportStatus, MemberImport, Person
from tests.cast import PASSWORD, build_cast_once

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committed_cast():
    build_cast_once()
    return {u.username: u for u in get_user_model().objects.all()}


def log_in(page, base, username, language):
    page.context.add_cookies([{"name": "tamyr_language", "value": language, "url": base}])
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    page.wait_for_url(f"{base}/")


def test_errors_appear_when_the_job_ends_while_the_page_is_open(
    page, live_server, committed_cast, tmp_path
):
    base = live_server.url
    good = make_iin(date(1991, 3, 3), "f", 71)
    other = make_iin(date(1993, 5, 5), "f", 72)
    csv_file = tmp_path / "members.csv"
    csv_file.write_text(
        "ЖСН;Тегі;Аты;Жынысы;Туған күні;Қызмет саласы;Білім;БПҰ коды;Партияға қабылданған күні\n"
        f"{good};Ахметова;Сәуле;әйел;03.03.1991;Білім беру;Жоғары;P1;01.09.2025\n"
        f"{other};Бекова;Әйгерім;әйел;05.05.1993;Білім беру;Жоғары;P3;01.09.2025\n",
        encoding="utf-8",
    )
    # Queued, as an upload leaves it until a worker takes it.
    job = MemberImport.objects.create(
        user=committed_cast["district_secretary"],
        file_name="members.csv",
        stored_path=str(csv_file),
        language="kk",
    )
    log_in(page, base, "district_secretary", "kk")
    page.goto(f"{base}/members/import/{job.uuid}/")
    polling = page.locator('[hx-trigger="every 1s"]')
    expect(polling).to_have_count(1)
    expect(page.locator("table")).to_have_count(0)
    page.evaluate("window.tamyrNotReloaded = true")

    member_import_run(job)

    job.refresh_from_db()
    assert (job.status, job.problem_count) == (ImportStatus.REFUSED, 1)
    problem = ImportProblem.objects.get(member_import=job)
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1, timeout=15000)
    cells = rows.first.locator("td")
    expect(cells).to_have_text(["3", "БПҰ коды", problem.message])
    expect(polling).to_have_count(0)
    assert page.evaluate("window.tamyrNotReloaded") is True
    assert not Person.objects.filter(iin__in=[good, other]).exists()
