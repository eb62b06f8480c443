"""A district secretary's day, in a real headless chromium against the live server."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tamyr.members.iin import make_iin
from tamyr.members.models import Person
from tamyr.orgs.models import Node
from tests.cast import PASSWORD, build_cast_once

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committed_cast():
    build_cast_once()
    return {
        "p1": Node.objects.get(code="P1"),
        "p2_member": Person.objects.exclude(status="").get(ppo__code="P2"),
    }


def test_district_secretary_adds_and_finds_a_member_in_three_languages(
    page, live_server, committed_cast
):
    base = live_server.url
    # The browser asks for Kazakh (locale kk-KZ): the login page is in Kazakh.
    page.goto(f"{base}/login/")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.get_by_label("Пайдаланушы аты").fill("district_secretary")
    page.get_by_label("Құпиясөз").fill(PASSWORD)
    page.get_by_role("button", name="Кіру").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Сіздің ұйымыңыз: қысқаша шолу"

    page.goto(f"{base}/members/add/?ppo={committed_cast['p1'].pk}")
    iin = make_iin(date(1996, 2, 14), "f", 4321)
    page.get_by_label("Тегі").fill("Сәрсенбаева")
    page.get_by_label(re.compile("^Аты")).fill("Әйгерім")
    page.get_by_label("Әкесінің аты").fill("Қайратқызы")
    page.get_by_label("ЖСН").fill(iin)
    page.get_by_label("Жынысы").select_option("f")
    page.get_by_label("Туған күні").fill("1996-02-14")
    page.get_by_label("Телефон").fill("+7 707 111 22 33")
    page.get_by_label("Қызмет саласы").select_option("education")
    page.get_by_label(re.compile("^Білім")).select_option("higher")
    page.get_by_label("Қабылданған күні").fill("2025-09-01")
    page.get_by_role("button", name="Сақтау").click()
    page.wait_for_url(re.compile(r"/members/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Сәрсенбаева Әйгерім Қайратқызы"
    assert page.get_by_text("1996 жылғы 14 ақпан").is_visible()
    person = Person.objects.get(iin=iin)
    assert person.ppo == committed_cast["p1"] and person.phone == "+77071112233"

    # Find them in the list, typing in lower case; htmx refreshes the rows as one types.
    page.goto(f"{base}/members/")
    page.get_by_label("Іздеу").fill("сәрсенбаева")
    rows = page.locator("#member-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Сәрсенбаева Әйгерім Қайратқызы")
    assert "q=%D1%81%D3%99%D1%80" in page.url  # the search is kept in the address bar

    # Switch to Russian, then English: the same page in each language.
    page.get_by_role("button", name="RU").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Члены партии"
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Members"

    # A member of another district: not found, with no hint that the record exists.
    response = page.goto(f"{base}/members/{committed_cast['p2_member'].pk}/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Not found"


def test_text_size_switcher_enlarges_text_on_every_page(page, live_server, committed_cast):
    page.goto(f"{live_server.url}/login/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="A++").click()
    page.wait_for_load_state()
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert (normal, larger) == (16, 22)
