"""Follow-ups to the coupon (issue 9, point 2.4, after review).

1. A coupon can be lost from a session (two tabs sent at the same moment, the last save wins;
   or the session failed to save): the same form sent again brings it back, from any state of
   the session, at once, and never a loop of "send it again".
2. On a shared computer the next person sees no earlier coupon or tracking result: no link to
   them on the form and tracking pages, the coupon open a quarter of an hour, the tracking result
   five minutes (tests/test_citizen_coupon.py), the public session ending when the browser
   closes.
3. Opening a form writes no session: its token is signed and dated instead; expired sessions
   are cleared every day.
4. The operator's form follows the same rules as the citizen's.
"""

import re
import time
from datetime import datetime, timedelta

import time_machine
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tamyr.appeals import coupons, services
from tamyr.appeals.models import Appeal, AppealType, Topic
from tests.test_citizen_coupon import COUPON, SUBMIT, TRACK, TRACKED, coupon_of, fields, form_token

ADD = "/appeals/new/"
SENT_AGAIN = (
    "This form is being registered at this moment. Send it again in a minute: its coupon will "
    "open, and the appeal is not registered twice."
)


def snapshot(client) -> dict:
    """Return what the client's session holds now, as a request that read it now would."""
    key = client.cookies.get("sessionid")
    return dict(SessionStore(session_key=key.value).load()) if key else {}


def save_over(client, data: dict) -> None:
    """Save an older copy of the client's session over the stored one, as the later of two
    requests that read the session at the same moment does."""
    store = SessionStore(session_key=client.cookies["sessionid"].value)
    store.load()
    store.clear()
    store.update(data)
    store.save()


def staff_fields(cast, **changes) -> dict:
    data = {
        "channel": "letter",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "appeal_type": AppealType.objects.get(code="appeal").pk,
        "node": cast["nodes"]["D1"].pk,
        "citizen_name": "Мәди Жұмабаев",
        "contact": "+7 702 111 22 33",
        "locality": "Щучинск",
        "topic": Topic.objects.get(code="roads").pk,
        "text": "Көшедегі шұңқырлар жөнделмей жатыр.",
    }
    data.update(changes)
    return data


def operator(cast) -> Client:
    client = Client()
    client.force_login(cast["users"]["reception_operator"])
    return client


def staff_token(client) -> str:
    match = re.search(r'name="submission" value="([^"]+)"', client.get(ADD).content.decode())
    assert match, "the operator's form carries no one-time submission token"
    return match.group(1)


# -- 1. a lost coupon comes back ---------------------------------------------------------------


def test_a_coupon_lost_when_two_forms_were_sent_at_once_comes_back_with_its_form(client, cast):
    before = Appeal.objects.count()
    first_tab, second_tab = form_token(client), form_token(client)
    opened = snapshot(client)  # both requests read the session as the two tabs left it
    client.post(SUBMIT, {**fields(cast), "submission": first_tab})
    first = coupon_of(client.get(COUPON))
    save_over(client, opened)  # the second request's save wins...
    client.post(
        SUBMIT,
        {**fields(cast, text="Аулада жарық жоқ, шамдар сөніп тұр."), "submission": second_tab},
    )
    second = coupon_of(client.get(COUPON))
    assert Appeal.objects.count() == before + 2 and first[0] != second[0]
    # ...and the first tab's form, sent again, brings its coupon back at once.
    started = time.monotonic()
    again = client.post(SUBMIT, {**fields(cast), "submission": first_tab})
    assert time.monotonic() - started < 2
    assert again.status_code == 302 and again["Location"] == COUPON
    assert coupon_of(client.get(COUPON)) == first
    assert Appeal.objects.count() == before + 2


def test_two_requests_that_read_the_session_together_both_keep_their_coupons(cast):
    opened = SessionStore()
    opened.save()
    one, other = SessionStore(opened.session_key), SessionStore(opened.session_key)
    one.keys(), other.keys()  # both read the session before either saved it
    tokens = [coupons.form_issue(one), coupons.form_issue(other)]
    registered = []
    for session, token, text in zip((one, other), tokens, ("Бірінші.", "Екінші."), strict=True):
        appeal, secret = services.appeal_receive(
            actor=None, channel="portal", topic=Topic.objects.get(code="health"),
            node=cast["nodes"]["R1"], citizen_name="Арман Сейітов", contact="+7 700 555 66 77",
            text=text, submission=token,
        )  # fmt: skip
        coupons.coupon_keep(session, token, coupons.token_coupon(token))
        session.save()
        registered.append((appeal.number, secret))
    kept = coupons.coupons_kept(SessionStore(opened.session_key))
    assert [(c.number, c.secret) for c in kept] == registered[::-1]


def test_a_coupon_whose_session_was_not_saved_comes_back_in_any_session(client, cast):
    # The appeal was registered, and the session that should have kept its coupon is gone
    # (its save failed, or the browser dropped the cookie): the form is all there is.
    token = form_token(client)
    data = {**fields(cast), "submission": token}
    client.post(SUBMIT, data)
    coupon = coupon_of(client.get(COUPON))
    client.cookies.clear()
    assert client.get(COUPON)["Location"] == SUBMIT
    again = client.post(SUBMIT, data)
    assert again.status_code == 302 and again["Location"] == COUPON
    assert coupon_of(client.get(COUPON)) == coupon
    # Once written down, the code does not come back: the form sent again says the number.
    client.post(COUPON, {"number": coupon[0]})
    html = client.post(SUBMIT, data, follow=True).content.decode()
    assert f"its appeal is registered under number {coupon[0]}." in html
    assert coupon[1] not in html and client.get(COUPON)["Location"] == SUBMIT
    assert Appeal.objects.filter(number=coupon[0]).count() == 1


def test_a_form_sent_while_its_first_sending_registers_is_answered_soon_and_not_in_a_loop(
    client, cast, monkeypatch
):
    token = form_token(client)
    data = {**fields(cast), "submission": token}
    receive = services.appeal_receive

    def in_flight(**kwargs):
        raise services.DuplicateSubmission()  # the first click is still registering

    monkeypatch.setattr(services, "appeal_receive", in_flight)
    started = time.monotonic()
    waited = client.post(SUBMIT, data)
    assert time.monotonic() - started < 5
    html = waited.content.decode()
    assert waited.status_code == 409 and SENT_AGAIN in html
    # The form keeps its token, so that sending it again finds the appeal.
    assert f'name="submission" value="{token}"' in html
    # The first sending ends; the session this request answered with has no coupon of it. It
    # registered under the token bound to the same contents, as the first click would.
    monkeypatch.setattr(services, "appeal_receive", receive)
    sent = coupons.sent_token(token, RequestFactory().post(SUBMIT, data))
    appeal, secret = services.appeal_receive(
        actor=None,
        channel="portal",
        topic=Topic.objects.get(code="health"),
        node=cast["nodes"]["R1"],
        citizen_name="Гүлнұр Әбілқасымова",
        contact="+7 747 123 45 67",
        text="Емханада кезек өте ұзақ, дәрігер жетіспейді.",
        submission=sent,
    )
    started = time.monotonic()
    again = client.post(SUBMIT, data)
    assert time.monotonic() - started < 2
    assert again.status_code == 302 and again["Location"] == COUPON
    assert coupon_of(client.get(COUPON)) == (appeal.number, secret)


def test_the_operator_gets_a_lost_coupon_back_by_sending_the_form_again(cast):
    client = operator(cast)
    before = Appeal.objects.count()
    token = staff_token(client)
    opened = snapshot(client)
    data = {**staff_fields(cast), "submission": token}
    posted = client.post(ADD, data)
    appeal = Appeal.objects.get(citizen_name="Мәди Жұмабаев")
    coupon = coupon_of(client.get(posted["Location"]))
    save_over(client, opened)  # another tab's save wins
    assert client.get(posted["Location"])["Location"] == f"/appeals/{appeal.pk}/"
    again = client.post(ADD, data)
    assert again.status_code == 302 and again["Location"] == f"/appeals/{appeal.pk}/coupon/"
    assert coupon_of(client.get(again["Location"])) == coupon
    assert Appeal.objects.count() == before + 1


def test_the_operators_form_sent_while_it_registers_is_answered_soon(cast, monkeypatch):
    client = operator(cast)
    data = {**staff_fields(cast), "submission": staff_token(client)}

    def in_flight(**kwargs):
        raise services.DuplicateSubmission()

    monkeypatch.setattr(services, "appeal_receive", in_flight)
    started = time.monotonic()
    waited = client.post(ADD, data)
    assert time.monotonic() - started < 5
    assert waited.status_code == 409 and SENT_AGAIN in waited.content.decode()


# -- 2. a shared computer ----------------------------------------------------------------------


def test_the_next_person_at_the_computer_is_not_led_to_the_coupon(client, cast):
    client.post(SUBMIT, {**fields(cast), "submission": form_token(client)})
    number, secret = coupon_of(client.get(COUPON))
    for url in (SUBMIT, TRACK):
        html = client.get(url).content.decode()
        assert COUPON not in html and number not in html and secret not in html, url
    # The coupon's own page still shows it (the sending tab's back button, a language switch).
    assert coupon_of(client.get(COUPON)) == (number, secret)


def test_a_closed_coupons_form_brings_no_code_back(client, cast):
    data = {**fields(cast), "submission": form_token(client)}
    client.post(SUBMIT, data)
    number, secret = coupon_of(client.get(COUPON))
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert client.get(COUPON)["Location"] == SUBMIT
        html = client.post(SUBMIT, data, follow=True).content.decode()
        assert f"its appeal is registered under number {number}." in html
        assert secret not in html


def test_the_public_session_ends_when_the_browser_closes(client, cast):
    posted = client.post(SUBMIT, {**fields(cast), "submission": form_token(client)})
    cookie = posted.cookies["sessionid"]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")
    number, secret = coupon_of(client.get(COUPON))
    tracker = Client()
    tracked = tracker.post(TRACK, {"number": number, "secret": secret})
    assert tracked["Location"] == TRACKED
    cookie = tracked.cookies["sessionid"]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")


# -- 3. stateless form tokens, and expired sessions cleared -------------------------------------


def test_opening_the_public_pages_writes_no_session(cast):
    visitor = Client()
    before = Session.objects.count()
    for url in (SUBMIT, TRACK, COUPON, TRACKED, SUBMIT):
        response = visitor.get(url)
        assert "sessionid" not in response.cookies, url
    assert Session.objects.count() == before
    # Its token is still one-time: the form registers once, however often it is sent.
    token = form_token(visitor)
    data = {**fields(cast), "submission": token}
    assert visitor.post(SUBMIT, data)["Location"] == COUPON
    assert visitor.post(SUBMIT, data)["Location"] == COUPON
    assert Appeal.objects.filter(text=data["text"]).count() == 1


def test_a_form_token_is_refused_when_old_forged_or_from_the_other_form(client, cast):
    before = Appeal.objects.count()
    with time_machine.travel(timezone.now() - timedelta(hours=25), tick=False):
        old = form_token(client)
    forged = form_token(client)[:-2] + "xx"
    staff = staff_token(operator(cast))
    for token in (old, forged, staff):
        response = client.post(SUBMIT, {**fields(cast), "submission": token})
        assert "This form has expired: check it and send it again." in response.content.decode()
    public = form_token(client)
    client = operator(cast)
    response = client.post(ADD, {**staff_fields(cast), "submission": public})
    assert "This form has expired: check it and send it again." in response.content.decode()
    assert Appeal.objects.count() == before


def test_expired_sessions_are_cleared_every_day(db):
    from tamyr.core.tasks import sessions_clear_expired_daily

    now = timezone.now()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="y" * 32, session_data="", expire_date=now + timedelta(1))
    sessions_clear_expired_daily()
    left = set(Session.objects.filter(session_key__in=["x" * 32, "y" * 32]).values_list("pk"))
    assert left == {("y" * 32,)}
    # Once a day: the consumer finds it due in one minute of a day's 1,440 (its clock is UTC).
    start = datetime(2026, 12, 1)  # naive, as Huey's consumer reads UTC
    due = [
        minute
        for minute in (start + timedelta(minutes=m) for m in range(24 * 60))
        if any(
            isinstance(task, sessions_clear_expired_daily.task_class)
            for task in HUEY.read_periodic(minute)
        )
    ]
    assert due == [datetime(2026, 12, 1, 21, 45)]  # 02:45 in Kazakhstan


# -- a token opens its own form's coupon only ----------------------------------------------------


def test_other_contents_under_a_used_token_never_open_its_coupon(client, cast):
    token = form_token(client)
    first = client.post(SUBMIT, {**fields(cast), "submission": token})
    assert first.status_code == 302
    kept = coupon_of(client.get(COUPON))
    before = Appeal.objects.count()
    # The next person at the computer goes back to the form and sends their own appeal.
    stranger = Client()
    mine = fields(cast, citizen_name="Болат Серікұлы", text="Көшеде жарық жоқ.")
    sent = stranger.post(SUBMIT, {**mine, "submission": token})
    assert sent.status_code == 302 and sent["Location"] == COUPON
    theirs = coupon_of(stranger.get(COUPON))
    assert theirs[0] != kept[0] and theirs[1] != kept[1]
    assert Appeal.objects.count() == before + 1
    assert Appeal.objects.order_by("-pk").first().citizen_name == "Болат Серікұлы"
    # A body that copies only the token opens nothing either: it is a form with no text.
    bare = Client().post(SUBMIT, {"submission": token})
    assert bare.status_code == 200 and kept[1] not in bare.content.decode()
    assert Appeal.objects.count() == before + 1


def test_i_have_written_it_down_closes_every_coupon_of_the_browser(client, cast):
    for text in ("Бірінші өтініш.", "Екінші өтініш."):
        assert client.post(SUBMIT, {**fields(cast, text=text), "submission": form_token(client)})
    second = coupon_of(client.get(COUPON))
    client.post(COUPON, {"number": second[0]})
    shown = client.get(COUPON)
    assert shown.status_code == 302 and shown["Location"] == SUBMIT


def test_a_second_click_gets_the_first_clicks_coupon_when_it_comes_during_the_wait(
    client, cast, monkeypatch
):
    import threading

    token = form_token(client)
    data = {**fields(cast), "submission": token}
    sent = coupons.sent_token(token, RequestFactory().post(SUBMIT, data))
    # What the first click registers (here, ahead of time: the test's database is not shared
    # with another thread); its coupon is kept under the token only half a second into the
    # second click's wait, as the first click's last step.
    appeal, secret = services.appeal_receive(
        actor=None,
        channel="portal",
        topic=Topic.objects.get(code="health"),
        node=cast["nodes"]["R1"],
        citizen_name="Гүлнұр Әбілқасымова",
        contact="+7 747 123 45 67",
        text="Емханада кезек өте ұзақ, дәрігер жетіспейді.",
    )

    def in_flight(**kwargs):
        def first_click_ends():
            time.sleep(0.5)
            coupons.token_keep(sent, pk=appeal.pk, number=appeal.number, secret=secret)

        threading.Thread(target=first_click_ends).start()
        raise services.DuplicateSubmission()

    monkeypatch.setattr(services, "appeal_receive", in_flight)
    started = time.monotonic()
    answered = client.post(SUBMIT, data)
    waited = time.monotonic() - started
    assert answered.status_code == 302 and answered["Location"] == COUPON
    assert 0.4 < waited < coupons.WAIT_SECONDS
    assert coupon_of(client.get(COUPON)) == (appeal.number, secret)


def test_a_double_click_counts_once_against_the_hourly_limit(client, cast, monkeypatch):
    from tamyr.appeals import tracking

    monkeypatch.setattr(tracking, "SUBMISSIONS_PER_ADDRESS", 1)
    token = form_token(client)
    data = {**fields(cast), "submission": token}
    sent = coupons.sent_token(token, RequestFactory().post(SUBMIT, data))
    # The first click is registering when the second arrives: the token is taken.
    from django.core.cache import cache

    cache.add(services._submission_key(sent), "", 60)
    tracking.submission_allowed("127.0.0.1")  # the first click was counted
    second = client.post(SUBMIT, data)
    assert second.status_code == 409  # waiting for the first, not refused as too many
