"""Lifecycle steps, a discipline decision and an import, in a real headless chromium."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tamyr.members.iin import make_iin
from tamyr.members.models import DisciplineCase, MembershipEvent, Person
from tests.cast import PASSWORD, build_cast_once

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committed_cast():
    build_cast_once()
    return Person.objects.exclude(status="").get(ppo__code="P1")


def log_in(page, base, username, language):
    page.context.add_cookies([{"name": "tamyr_language", "value": language, "url": base}])
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button.primary").click()
    page.wait_for_url(f"{base}/")


def test_a_secretary_suspends_and_resumes_a_member_in_russian(page, live_server, committed_cast):
    base, person = live_server.url, committed_cast
    log_in(page, base, "district_secretary", "ru")
    page.goto(f"{base}/members/{person.pk}/")
    page.get_by_role("link", name="Приостановить членство").click()
    page.get_by_label(re.compile("^Дата")).fill(date.today().isoformat())
    page.get_by_label(re.compile("^Причина")).fill("Личное заявление")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"{base}/members/{person.pk}/")
    expect(page.locator(".timeline")).to_contain_text("Личное заявление")
    page.get_by_role("link", name="Возобновить членство").click()
    page.get_by_label(re.compile("^Дата")).fill(date.today().isoformat())
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"{base}/members/{person.pk}/")
    kinds = list(
        MembershipEvent.objects.filter(person=person).order_by("id").values_list("kind", flat=True)
    )[-2:]
    assert kinds == ["suspended", "resumed"]
    assert Person.objects.get(pk=person.pk).status == "active"


def test_the_commission_decides_a_case_in_kazakh(page, live_server, committed_cast):
    base = live_server.url
    case = DisciplineCase.objects.get(person=committed_cast)
    log_in(page, base, "control_commission", "kk")
    page.goto(f"{base}/members/discipline/{case.pk}/")
    page.get_by_label(re.compile("^Шешім шығарылған күні")).fill(date.today().isoformat())
    page.get_by_label(re.compile("^Нәтижесі")).select_option("penalty")
    page.get_by_label(re.compile("^Жаза$")).select_option("reprimand")
    page.get_by_label(re.compile("^Хаттама нөмірі")).fill("17")
    page.get_by_role("button", name="Сақтау").click()
    expect(page.locator(".facts")).to_contain_text("сөгіс")
    assert DisciplineCase.objects.get(pk=case.pk).final_penalty == "reprimand"


def test_an_import_shows_its_progress_and_result(page, live_server, committed_cast, tmp_path):
    base = live_server.url
    birth = date(1992, 4, 4)
    iin = next(i for s in range(50) if (i := make_iin(birth, "f", s)))
    csv_file = tmp_path / "members.csv"
    csv_file.write_text(
        "ЖСН;Тегі;Аты;Әкесінің аты;Жынысы;Туған күні;Қызмет саласы;Білім;БПҰ коды;"
        "Партияға қабылданған күні\n"
        f"{iin};Тоқтарова;Іңкәр;Бекзатқызы;әйел;04.04.1992;student;higher;P1;01.09.2025\n",
        encoding="utf-8",
    )
    log_in(page, base, "district_secretary", "kk")
    page.goto(f"{base}/members/import/")
    page.set_input_files("input[type=file]", str(csv_file))
    page.get_by_role("button", name="Жүктеу").click()
    expect(page.locator("#import-progress")).to_contain_text("аяқталды", timeout=20000)
    assert Person.objects.get(iin=iin).given_name == "Іңкәр"
