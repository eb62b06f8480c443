"""The citizen's coupon in a real headless chromium (issue 9, point 2.4): sent in Kazakh, read
again in Russian after the language switch, reloaded, left by a link and found again with the
back button; a double click on "Send" registers one appeal."""

import time

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tamyr.appeals import sending, services
from tamyr.appeals.models import Appeal, Topic
from tamyr.orgs.models import Node
from tests.e2e.conftest import say

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_the_form(page, base: str, name: str) -> None:
    page.goto(f"{base}/appeal/")
    page.locator("#id_citizen_name").fill(name)
    page.locator("#id_contact").fill("+7 701 765 43 21")
    page.locator("#id_node").select_option(str(Node.objects.get(code="R1").pk))
    page.locator("#id_topic").select_option(str(Topic.objects.get(code="housing").pk))
    page.locator("#id_text").fill("Үйдің шатыры ағып тұр, әкімдікке жазғанбыз.")


def test_the_coupon_survives_a_language_switch_a_reload_and_a_link(
    page, live_server, committed_cast
):
    base = live_server.url
    page.context.add_cookies([{"name": "tamyr_language", "value": "kk", "url": base}])
    fill_the_form(page, base, "Айгүл Нұрланқызы")
    page.locator("button.primary").click()
    expect(page.locator("h1")).to_have_text(say("kk", "Your appeal is registered"))
    number = page.get_by_test_id("number").inner_text()
    secret = page.get_by_test_id("secret").inner_text()
    assert page.url == f"{base}/appeal/coupon/"

    page.locator("form.lang button[value=ru]").click()
    expect(page.locator("h1")).to_have_text(say("ru", "Your appeal is registered"))
    assert page.url == f"{base}/appeal/coupon/"
    expect(page.get_by_test_id("number")).to_have_text(number)
    expect(page.get_by_test_id("secret")).to_have_text(secret)

    page.reload()
    expect(page.get_by_test_id("secret")).to_have_text(secret)
    page.go_back()
    page.go_forward()
    expect(page.get_by_test_id("secret")).to_have_text(secret)
    assert Appeal.objects.filter(citizen_name="Айгүл Нұрланқызы").count() == 1

    # A link away (the menu's "Send an appeal") opens a fresh form that leads to no earlier
    # coupon (the next person at a shared computer); the back button brings the coupon back.
    page.get_by_role("link", name=say("ru", "Send an appeal"), exact=True).click()
    expect(page.locator("h1")).to_have_text(say("ru", "Send an appeal to the party"))
    expect(page.get_by_text(number)).to_have_count(0)
    expect(page.locator('a[href="/appeal/coupon/"]')).to_have_count(0)
    page.go_back()
    expect(page.get_by_test_id("secret")).to_have_text(secret)
    assert secret not in page.url and number not in page.url

    page.get_by_role("button", name=say("ru", "I have written down the code")).click()
    expect(page.locator("h1")).to_have_text(say("ru", "Send an appeal to the party"))
    page.goto(f"{base}/appeal/coupon/")
    expect(page.locator("h1")).to_have_text(say("ru", "Send an appeal to the party"))
    assert Appeal.objects.filter(citizen_name="Айгүл Нұрланқызы").count() == 1


def test_a_double_click_on_send_registers_one_appeal(
    page, live_server, committed_cast, monkeypatch
):
    # Slow the registration down so that the second click arrives while the first is in flight.
    checked = services._possible_duplicate

    def slowly(appeal):
        time.sleep(1.5)
        return checked(appeal)

    monkeypatch.setattr(services, "_possible_duplicate", slowly)
    sendings = []
    send = sending.form_send

    def counted(*args, **kwargs):
        sendings.append(1)
        return send(*args, **kwargs)

    monkeypatch.setattr(sending, "form_send", counted)
    base = live_server.url
    page.context.add_cookies([{"name": "tamyr_language", "value": "kk", "url": base}])
    fill_the_form(page, base, "Бауыржан Екі-Басу")
    page.evaluate(
        """() => {
            const form = document.querySelector("form.card");
            form.requestSubmit();
            setTimeout(() => form.requestSubmit(), 400);
        }"""
    )
    expect(page.locator("h1")).to_have_text(say("kk", "Your appeal is registered"))
    number = page.get_by_test_id("number").inner_text()
    # Both sendings reached the server, and they count once against the hourly limit...
    assert len(sendings) == 2
    assert cache.get("tamyr:submit:address:127.0.0.1") == 1
    # ...and one appeal was registered: the one on the coupon.
    appeals = Appeal.objects.filter(citizen_name="Бауыржан Екі-Басу")
    assert [a.number for a in appeals] == [number]


def test_the_tracking_result_survives_a_language_switch(page, live_server, committed_cast):
    base = live_server.url
    page.context.add_cookies([{"name": "tamyr_language", "value": "kk", "url": base}])
    fill_the_form(page, base, "Сәуле Қанатқызы")
    page.locator("button.primary").click()
    number = page.get_by_test_id("number").inner_text()
    secret = page.get_by_test_id("secret").inner_text()
    page.goto(f"{base}/appeal/track/")
    page.locator("#id_number").fill(number)
    page.locator("#id_secret").fill(secret)
    page.locator("button.primary").click()
    expect(page.get_by_test_id("status")).to_have_text(say("kk", "registered"))
    page.locator("form.lang button[value=ru]").click()
    expect(page.get_by_test_id("status")).to_have_text(say("ru", "registered"))
    expect(page.locator("h1")).to_contain_text(number)
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text(say("ru", "registered"))
    assert secret not in page.url and number not in page.url
