"""The operator's coupon in a real headless chromium (issue 9, point 2.4, the staff side): an
appeal registered at a reception in Kazakh lands on its coupon, which survives the language
switch, a reload and a link away, prints without the page around it, and closes when the
citizen has the code; a double click on "Register" registers one appeal."""

import time

import pytest
from playwright.sync_api import expect

from tamyr.appeals import services
from tamyr.appeals.models import Appeal, Reception, Topic
from tamyr.orgs.models import Node
from tests.e2e.conftest import say
from tests.e2e.test_membership_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_the_form(page, name: str) -> None:
    page.locator("#id_citizen_name").fill(name)
    page.locator("#id_contact").fill("+7 705 222 33 44")
    page.locator("#id_node").select_option(str(Node.objects.get(code="D1").pk))
    page.locator("#id_topic").select_option(str(Topic.objects.get(code="housing").pk))
    page.locator("#id_text").fill("Подъезд жөнделмеген, есік сынық.")


def test_the_coupon_of_a_reception_appeal_survives_prints_and_closes(
    page, live_server, committed_cast
):
    base = live_server.url
    reception = Reception.objects.get(official__full_name="Official of D1")
    log_in(page, base, "reception_operator", "kk")
    # Printing is the browser's own dialog: count the calls instead of opening it.
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    page.goto(f"{base}/appeals/receptions/{reception.pk}/")
    page.get_by_role("link", name=say("kk", "Register an appeal")).click()
    expect(page.locator("#id_reception")).to_have_value(str(reception.pk))
    fill_the_form(page, "Ербол Жақыпов")
    page.locator("button.primary").click()

    appeal = Appeal.objects.get(citizen_name="Ербол Жақыпов")
    coupon = f"{base}/appeals/{appeal.pk}/coupon/"
    expect(page.locator("h1")).to_have_text(say("kk", "Your appeal is registered"))
    assert page.url == coupon and appeal.reception == reception
    expect(page.get_by_test_id("number")).to_have_text(appeal.number)
    secret = page.get_by_test_id("secret").inner_text()
    assert services.secret_hash(appeal.number, secret) == appeal.secret_hash

    page.locator("form.lang button[value=ru]").click()
    expect(page.locator("h1")).to_have_text(say("ru", "Your appeal is registered"))
    assert page.url == coupon
    expect(page.get_by_test_id("secret")).to_have_text(secret)
    page.reload()
    page.go_back()
    page.go_forward()
    expect(page.get_by_test_id("secret")).to_have_text(secret)
    assert Appeal.objects.filter(citizen_name="Ербол Жақыпов").count() == 1

    page.get_by_role("button", name=say("ru", "Print the coupon")).click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(page.locator("section.coupon")).to_be_visible()
    expect(page.get_by_test_id("secret")).to_be_visible()
    for hidden in ("header.top", "form.lang", "form.no-print", "a.button", "button"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    page.emulate_media(media="screen")

    # A link away and back: the appeal's page leads to the coupon again.
    page.get_by_role("link", name=say("ru", "Open the appeal")).click()
    page.get_by_role("link", name=say("ru", "Show the coupon")).click()
    expect(page.get_by_test_id("secret")).to_have_text(secret)
    assert secret not in page.url and appeal.number not in page.url

    # The next visitor of the same reception.
    page.locator(f'a.button[href="/appeals/new/?reception={reception.pk}"]').click()
    expect(page.locator("#id_reception")).to_have_value(str(reception.pk))
    expect(page.get_by_test_id("coupon-notice")).to_contain_text(appeal.number)
    page.go_back()

    page.locator("form.no-print button[type=submit]").click()
    assert page.url == f"{base}/appeals/{appeal.pk}/"
    expect(page.get_by_test_id("coupon-notice")).to_have_count(0)
    page.goto(coupon)
    assert page.url == f"{base}/appeals/{appeal.pk}/"
    expect(page.get_by_test_id("secret")).to_have_count(0)


def test_a_double_click_on_register_registers_one_appeal(
    page, live_server, committed_cast, monkeypatch
):
    # Slow the registration down so that the second click arrives while the first is in flight.
    checked = services._possible_duplicate

    def slowly(appeal):
        time.sleep(1.5)
        return checked(appeal)

    monkeypatch.setattr(services, "_possible_duplicate", slowly)
    base = live_server.url
    log_in(page, base, "reception_operator", "kk")
    page.goto(f"{base}/appeals/new/")
    page.locator("#id_channel").select_option("call_centre")
    fill_the_form(page, "Нұрлан Екі-Басу")
    page.evaluate(
        """() => {
            const form = document.querySelector("form.card");
            form.requestSubmit();
            setTimeout(() => form.requestSubmit(), 400);
        }"""
    )
    expect(page.locator("h1")).to_have_text(say("kk", "Your appeal is registered"))
    number = page.get_by_test_id("number").inner_text()
    appeals = Appeal.objects.filter(citizen_name="Нұрлан Екі-Басу")
    assert [a.number for a in appeals] == [number]
    assert page.url == f"{base}/appeals/{appeals.get().pk}/coupon/"
