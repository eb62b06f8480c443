"""Appeals in a real headless chromium: a citizen writes in Kazakh and follows the appeal; an
operator registers, assigns, extends and signs off; an overdue appeal shows as overdue."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tamyr.appeals.models import Appeal, Topic
from tamyr.appeals.services import appeal_receive
from tamyr.orgs.models import Node
from tests.cast import build_cast_once
from tests.e2e.test_membership_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committed_cast():
    build_cast_once()
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


def kk(text: str) -> str:
    with translation.override("kk"):
        translated = translation.gettext(text)
    assert translated != text, f"no Kazakh for {text!r}"
    return translated


def test_a_citizen_writes_in_kazakh_and_follows_the_appeal(page, live_server, committed_cast):
    base = live_server.url
    page.context.add_cookies([{"name": "tamyr_language", "value": "kk", "url": base}])
    page.goto(f"{base}/appeal/")
    expect(page.locator("h1")).to_have_text(kk("Send an appeal to the party"))
    page.locator("#id_citizen_name").fill("Айгүл Нұрланқызы")
    page.locator("#id_contact").fill("+7 701 765 43 21")
    page.locator("#id_node").select_option(str(Node.objects.get(code="R1").pk))
    page.locator("#id_locality").fill("Қарағанды")
    page.locator("#id_topic").select_option(str(Topic.objects.get(code="housing").pk))
    page.locator("#id_text").fill("Үйдің шатыры ағып тұр, әкімдікке жазғанбыз.")
    page.locator("button.primary").click()
    expect(page.locator("h1")).to_have_text(kk("Your appeal is registered"))
    number = page.get_by_test_id("number").inner_text()
    secret = page.get_by_test_id("secret").inner_text()
    assert secret not in page.url
    appeal = Appeal.objects.get(number=number)
    assert appeal.text == "Үйдің шатыры ағып тұр, әкімдікке жазғанбыз."
    page.goto(f"{base}/appeal/track/")
    page.locator("#id_number").fill(number)
    page.locator("#id_secret").fill(secret)
    page.locator("button.primary").click()
    expect(page.get_by_test_id("status")).to_have_text(kk("registered"))
    assert secret not in page.url and number not in page.url


def test_an_operator_registers_assigns_extends_and_signs_off(page, live_server, committed_cast):
    base = live_server.url
    log_in(page, base, "reception_operator", "kk")
    page.goto(f"{base}/appeals/new/")
    page.locator("#id_channel").select_option("call_centre")
    page.locator("#id_node").select_option(str(Node.objects.get(code="D1").pk))
    page.locator("#id_citizen_name").fill("Марат Серікұлы")
    page.locator("#id_contact").fill("+7 705 222 33 44")
    page.locator("#id_topic").select_option(str(Topic.objects.get(code="housing").pk))
    page.locator("#id_text").fill("Аулада балалар алаңы жоқ.")
    page.locator("button.primary").click()
    page.get_by_role("link", name=kk("Open the appeal")).click()
    appeal = Appeal.objects.get(citizen_name="Марат Серікұлы")
    assign = page.locator("form[data-action=assign]")
    assign.locator("#id_executor").select_option(str(committed_cast["district_secretary"].pk))
    assign.locator("#id_controller").select_option(str(committed_cast["reception_operator"].pk))
    assign.locator("button.primary").click()
    expect(page.get_by_test_id("status")).to_have_text(kk("in work"))
    extend = page.locator("form[data-action=extend]")
    new_term = appeal.due_on.replace(day=min(appeal.due_on.day, 28))
    new_term = date(new_term.year + (new_term.month == 12), new_term.month % 12 + 1, new_term.day)
    extend.locator("#id_due_on").fill(new_term.isoformat())
    extend.locator("#id_reason").fill("Әкімдіктің жауабы күтілуде")
    extend.locator("button.primary").click()
    expect(page.get_by_test_id("due")).to_contain_text(new_term.strftime("%d.%m.%Y"))
    # The executor prepares the answer.
    page.context.clear_cookies()
    log_in(page, base, "district_secretary", "kk")
    page.goto(f"{base}/appeals/{appeal.pk}/")
    answer = page.locator("form[data-action=answer]")
    answer.locator("#id_outcome").select_option("resolved_fully")
    answer.locator("#id_answer").fill("Алаң көктемде салынады.")
    answer.locator("button.primary").click()
    expect(page.get_by_test_id("status")).to_have_text(kk("answer prepared"))
    expect(page.locator("form[data-action=close]")).to_have_count(0)
    # The controller signs off; without the tick the form says why.
    page.context.clear_cookies()
    log_in(page, base, "reception_operator", "kk")
    page.goto(f"{base}/appeals/{appeal.pk}/")
    close = page.locator("form[data-action=close]")
    close.locator("button.primary").click()
    expect(page.locator("form[data-action=close]")).to_contain_text(
        kk("Confirm the answer with your sign-off.")
    )
    page.locator("form[data-action=close] #id_sign_off").check()
    page.locator("form[data-action=close] button.primary").click()
    expect(page.get_by_test_id("status")).to_have_text(kk("closed"))
    appeal.refresh_from_db()
    assert appeal.signed_off_by == committed_cast["reception_operator"]


def test_an_overdue_appeal_shows_as_overdue(page, live_server, committed_cast):
    base = live_server.url
    old, _secret = appeal_receive(
        actor=committed_cast["reception_operator"],
        channel="letter",
        topic=Topic.objects.get(code="housing"),
        node=Node.objects.get(code="D1"),
        citizen_name="Ескі хат",
        contact="+7 700 999 88 77",
        text="Жауап әлі жоқ.",
        received_at=datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Asia/Almaty")),
    )
    log_in(page, base, "reception_operator", "kk")
    page.goto(f"{base}/appeals/?term=overdue")
    row = page.locator("tr", has=page.get_by_role("link", name=old.number))
    expect(row.get_by_test_id("flag")).to_have_text(kk("overdue"))
    page.get_by_role("link", name=old.number).click()
    expect(page.get_by_test_id("due")).to_contain_text(kk("overdue"))
