"""Appeals in the browser's terms: the public form and coupon, tracking with its limit, and
the operator's pages from registration to sign-off."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tamyr.appeals.models import Appeal, AppealType, Topic
from tamyr.appeals.tracking import FAILURES_PER_NUMBER

ALMATY = ZoneInfo("Asia/Almaty")


def submit(client, cast, **changes):
    data = {
        "citizen_name": "Гүлнұр Әбілқасымова",
        "contact": "+7 747 123 45 67",
        "node": cast["nodes"]["R1"].pk,
        "locality": "Өскемен",
        "topic": Topic.objects.get(code="health").pk,
        "text": "Емханада кезек өте ұзақ, дәрігер жетіспейді.",
    }
    data.update(changes)
    form = client.get(reverse("public:submit")).content.decode()
    data["submission"] = re.search(r'name="submission" value="([^"]+)"', form).group(1)
    # Sent, the form redirects to the coupon page (see test_citizen_coupon.py).
    return client.post(reverse("public:submit"), data, follow=True)


def operator_token(client) -> str:
    """Return the one-time token the operator's form carries (see test_operator_coupon.py)."""
    form = client.get(reverse("appeals:add")).content.decode()
    return re.search(r'name="submission" value="([^"]+)"', form).group(1)


def coupon_of(response) -> tuple[str, str]:
    html = response.content.decode()
    number = re.search(r'data-testid="number">([^<]+)<', html).group(1)
    secret = re.search(r'data-testid="secret"><strong>([^<]+)<', html).group(1)
    return number, secret


def test_a_citizen_sends_an_appeal_without_an_account_and_gets_a_coupon(client, cast):
    response = submit(client, cast)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("public:coupon"), 302)]
    number, secret = coupon_of(response)
    appeal = Appeal.objects.get(number=number)
    assert appeal.citizen_name == "Гүлнұр Әбілқасымова" and appeal.locality == "Өскемен"
    assert appeal.channel == "portal" and appeal.received_by is None
    assert "no-store" in response["Cache-Control"]
    assert all(secret not in url for url, _status in response.redirect_chain)


def test_the_citizen_follows_the_appeal_with_number_and_code(client, cast):
    number, secret = coupon_of(submit(client, cast))
    track = reverse("public:track")
    response = client.post(track, {"number": number, "secret": secret}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "registered" in html
    # Only the status, the dates, the outcome and the answer: not the text or the contact.
    assert "Емханада" not in html and "747" not in html
    lowercase = client.post(track, {"number": number, "secret": secret.lower()}, follow=True)
    assert lowercase.status_code == 200 and "registered" in lowercase.content.decode()


def test_wrong_codes_are_limited_even_the_right_one_waits(client, cast):
    number, secret = coupon_of(submit(client, cast))
    track = reverse("public:track")
    codes = []
    for _attempt in range(20):
        codes.append(client.post(track, {"number": number, "secret": "AAAAA-AAAAA"}).status_code)
    assert codes[:FAILURES_PER_NUMBER] == [200] * FAILURES_PER_NUMBER
    assert set(codes[FAILURES_PER_NUMBER:]) == {429}
    blocked = client.post(track, {"number": number, "secret": secret})
    assert blocked.status_code == 429 and "Too many wrong attempts" in blocked.content.decode()
    cache.clear()
    right = client.post(track, {"number": number, "secret": secret})
    assert right.status_code == 302 and right["Location"] == reverse("public:tracked")


def test_a_disguised_or_oversized_attachment_is_refused_and_nothing_is_saved(client, cast):
    before = Appeal.objects.count()
    fake = SimpleUploadedFile("scan.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = submit(client, cast, files=[fake])
    assert response.status_code == 200
    assert "not what its name says" in response.content.decode()
    big = SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1))
    assert "larger than 5 MB" in submit(client, cast, files=[big]).content.decode()
    assert Appeal.objects.count() == before


def test_script_in_the_text_is_shown_as_text_to_the_operator(client, cast):
    number, _secret = coupon_of(submit(client, cast, text="<script>alert('x')</script> Көмек"))
    client.force_login(cast["users"]["regional_secretary"])
    appeal = Appeal.objects.get(number=number)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Көмек" in html
    assert "<script>alert" not in html


def act(client, appeal, action, **data):
    appeal.refresh_from_db()
    detail = reverse("appeals:detail", args=[appeal.pk])
    return client.post(detail, {"action": action, "version": appeal.version, **data})


# Four days after the letter came (Friday 6 November; its term ends on 27 November), while
# the term still runs and so can be extended.
@time_machine.travel(datetime(2026, 11, 10, 10, 0, tzinfo=ALMATY), tick=False)
def test_an_operator_registers_assigns_extends_and_the_controller_signs_off(client, cast):
    operator, secretary = cast["users"]["reception_operator"], cast["users"]["district_secretary"]
    client.force_login(operator)
    response = client.post(
        reverse("appeals:add"),
        {
            "channel": "letter",
            "received_at": "2026-11-06T15:30",
            "appeal_type": AppealType.objects.get(code="complaint").pk,
            "node": cast["nodes"]["D1"].pk,
            "citizen_name": "Серік Жақсылықов",
            "contact": "serik@example.kz",
            "topic": Topic.objects.get(code="roads").pk,
            "text": "Көшедегі шұңқырлар жөнделмей жатыр.",
            "submission": operator_token(client),
        },
    )
    appeal = Appeal.objects.get(citizen_name="Серік Жақсылықов")
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:coupon", args=[appeal.pk])
    assert appeal.received_by == operator
    response = act(
        client, appeal, "assign", node=cast["nodes"]["D1"].pk, executor=secretary.pk,
        controller=operator.pk,
    )  # fmt: skip
    assert response.status_code == 302
    response = act(client, appeal, "extend", due_on="2026-12-30", reason="Awaiting the akimat")
    assert response.status_code == 302
    client.force_login(secretary)
    response = act(client, appeal, "answer", outcome="resolved_partly", answer="Жөндеу басталды.")
    assert response.status_code == 302
    # The executor cannot sign off their own answer: the form is not even offered.
    assert act(client, appeal, "close", sign_off="on").status_code == 403
    client.force_login(operator)
    unsigned = act(client, appeal, "close")
    assert unsigned.status_code == 400
    assert "Confirm the answer with your sign-off." in unsigned.content.decode()
    assert act(client, appeal, "close", sign_off="on").status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome, appeal.signed_off_by) == (
        "closed", "resolved_partly", operator,
    )  # fmt: skip


def test_two_operators_on_one_appeal_the_second_gets_a_conflict(client, cast):
    appeal = Appeal.objects.get(node=cast["nodes"]["P1"])
    client.force_login(cast["users"]["reception_operator"])
    version = appeal.version
    data = {
        "action": "assign",
        "version": version,
        "node": cast["nodes"]["P1"].pk,
        "executor": cast["users"]["district_secretary"].pk,
        "controller": cast["users"]["reception_operator"].pk,
    }
    detail = reverse("appeals:detail", args=[appeal.pk])
    assert client.post(detail, data).status_code == 302
    data["executor"] = cast["users"]["regional_secretary"].pk
    second = client.post(detail, data)
    assert second.status_code == 409
    assert "Someone else has changed this record" in second.content.decode()
    appeal.refresh_from_db()
    assert appeal.executor == cast["users"]["district_secretary"]


def test_the_list_filters_by_term_and_shows_the_overdue_flag(client, cast):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tamyr.appeals.services import appeal_receive

    old, _s = appeal_receive(
        actor=cast["users"]["reception_operator"], channel="letter",
        topic=Topic.objects.get(code="land"), node=cast["nodes"]["D1"], citizen_name="Late",
        contact="+7 700 000 11 22", text="Жер телімі", received_at=datetime(
            2026, 9, 1, 10, tzinfo=ZoneInfo("Asia/Almaty")),
    )  # fmt: skip
    client.force_login(cast["users"]["reception_operator"])
    page = client.get(reverse("appeals:list"), {"term": "overdue"})
    numbers = re.findall(r'href="/appeals/\d+/">([^<]+)</a>', page.content.decode())
    assert numbers == [old.number]
    assert 'data-testid="flag">overdue' in page.content.decode()


def test_an_empty_letter_is_registered_and_left_without_consideration(client, cast):
    client.force_login(cast["users"]["reception_operator"])
    response = client.post(
        reverse("appeals:add"),
        {
            "channel": "letter", "received_at": "2026-11-06T15:30",
            "appeal_type": AppealType.objects.get(code="appeal").pk,
            "node": cast["nodes"]["D1"].pk, "citizen_name": "Бос хат", "contact": "",
            "topic": Topic.objects.get(code="other").pk, "text": "",
            "submission": operator_token(client),
        },
    )  # fmt: skip
    appeal = Appeal.objects.get(citizen_name="Бос хат")
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:coupon", args=[appeal.pk])
    assert (appeal.status, appeal.outcome) == ("closed", "not_considered")


def test_a_duplicate_in_a_branch_the_reader_cannot_see_is_not_named(client, cast):
    from tamyr.appeals.models import Appeal as Model

    visible = Appeal.objects.get(node=cast["nodes"]["P1"])
    hidden = Appeal.objects.get(node=cast["nodes"]["P2"])
    Model.objects.filter(pk=visible.pk).update(possible_duplicate_of=hidden)
    client.force_login(cast["users"]["district_secretary"])
    html = client.get(reverse("appeals:detail", args=[visible.pk])).content.decode()
    assert hidden.number not in html
    api = client.get(reverse("api:appeal-detail", args=[visible.pk])).json()
    assert api["possible_duplicate_of"] is None
    client.force_login(cast["users"]["regional_secretary"])
    assert (
        hidden.number in client.get(reverse("appeals:detail", args=[visible.pk])).content.decode()
    )


def test_figures_refuse_periods_longer_than_a_year(client, cast):
    client.force_login(cast["users"]["regional_secretary"])
    query = {"node": cast["nodes"]["R1"].pk, "start": "2025-01-01", "end": "2026-06-01", "years": 1}
    assert client.get(reverse("appeals:statistics"), query).status_code == 400
    assert client.get(reverse("api:appeal-figures"), query).status_code == 400


def test_the_list_escapes_names_and_falls_back_to_another_language(client, cast):
    """The rows are written outside the template language, so escaping is tested here: a
    staff name with markup shows as text, and a topic without a Kazakh name shows its Russian
    one."""
    from django.contrib.auth import get_user_model

    operator = cast["users"]["reception_operator"]
    get_user_model().objects.filter(pk=operator.pk).update(first_name="<b>Әсел</b>")
    topic = Topic.objects.create(code="roads-x", name_kk="", name_ru="Дороги", name_en="Roads")
    Appeal.objects.filter(node=cast["nodes"]["P1"]).update(executor=operator, topic=topic)
    client.force_login(operator)
    client.cookies["tamyr_language"] = "kk"
    html = client.get(reverse("appeals:list")).content.decode()
    assert "&lt;b&gt;Әсел&lt;/b&gt;" in html and "<b>Әсел" not in html
    assert '<td data-label="Тақырып">Дороги</td>' in html
    client.cookies["tamyr_language"] = "en"
    english = client.get(reverse("appeals:list")).content.decode()
    assert '<td data-label="Topic">Roads</td>' in english


def test_the_list_filters_by_executor_without_trusting_the_choice(client, cast):
    operator = cast["users"]["reception_operator"]
    Appeal.objects.filter(node=cast["nodes"]["P1"]).update(executor=operator)
    client.force_login(operator)
    mine = client.get(reverse("appeals:list"), {"executor": operator.pk}).content.decode()
    assert len(re.findall(r'href="/appeals/\d+/"', mine)) == 1
    assert f'<option value="{operator.pk}" selected>' in mine
    # Someone outside the menu (the national administrator) is not a valid choice: the filter
    # is dropped and the form says so, rather than listing another branch's executor.
    stranger = cast["users"]["national_admin"].pk
    page = client.get(reverse("appeals:list"), {"executor": stranger})
    assert page.status_code == 200 and not page.context["form"].is_valid()
