"""The citizen's coupon and tracking result (issue 9, point 2.4): the form posts, the server
redirects, and the coupon or the result is a page of its own, kept in the citizen's session for a
while, in whatever language they switch to, never in a URL; sending the same form again
registers nothing and shows the same coupon."""

import json
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tamyr.appeals import services
from tamyr.appeals.models import Appeal, Topic
from tamyr.core.models import AuditEvent

SUBMIT, COUPON = "/appeal/", "/appeal/coupon/"
TRACK, TRACKED = "/appeal/track/", "/appeal/track/result/"


def form_token(client) -> str:
    html = client.get(SUBMIT).content.decode()
    match = re.search(r'name="submission" value="([^"]+)"', html)
    assert match, "the form carries no one-time submission token"
    return match.group(1)


def fields(cast, **changes) -> dict:
    data = {
        "citizen_name": "Гүлнұр Әбілқасымова",
        "contact": "+7 747 123 45 67",
        "node": cast["nodes"]["R1"].pk,
        "locality": "Өскемен",
        "topic": Topic.objects.get(code="health").pk,
        "text": "Емханада кезек өте ұзақ, дәрігер жетіспейді.",
    }
    data.update(changes)
    return data


def coupon_of(response) -> tuple[str, str]:
    html = response.content.decode()
    number = re.search(r'data-testid="number">([^<]+)<', html)
    secret = re.search(r'data-testid="secret"><strong>([^<]+)<', html)
    assert number and secret, "no coupon on the page"
    return number.group(1), secret.group(1)


def send(client, cast, **changes):
    """Open the form, send it, and return the answer to the POST and the coupon page."""
    token = form_token(client)
    posted = client.post(SUBMIT, {**fields(cast, **changes), "submission": token})
    return posted, client.get(COUPON)


def in_language(code: str, text: str) -> str:
    with translation.override(code):
        translated = translation.gettext(text)
    assert translated != text, f"no {code} translation for {text!r}"
    return translated


def test_sending_redirects_to_the_coupon_page_and_the_code_is_never_in_a_url(client, cast):
    before = Appeal.objects.count()
    posted, page = send(client, cast)
    assert posted.status_code == 302 and posted["Location"] == COUPON
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    number, secret = coupon_of(page)
    assert Appeal.objects.count() == before + 1
    appeal = Appeal.objects.get(number=number)
    assert (appeal.citizen_name, appeal.channel) == ("Гүлнұр Әбілқасымова", "portal")
    assert appeal.secret_hash == services.secret_hash(number, secret)
    # Reloading the coupon page shows it again and registers nothing.
    assert coupon_of(client.get(COUPON)) == (number, secret)
    assert Appeal.objects.count() == before + 1


def test_the_same_form_sent_twice_registers_one_appeal_and_shows_the_same_coupon(client, cast):
    before = Appeal.objects.count()
    token = form_token(client)
    data = {**fields(cast), "submission": token}
    client.post(SUBMIT, data)
    first = coupon_of(client.get(COUPON))
    again = client.post(SUBMIT, data)
    assert again.status_code == 302 and again["Location"] == COUPON
    assert coupon_of(client.get(COUPON)) == first
    assert Appeal.objects.count() == before + 1


def test_a_form_sent_from_another_tab_is_its_own_appeal(client, cast):
    before = Appeal.objects.count()
    first_tab, second_tab = form_token(client), form_token(client)
    client.post(SUBMIT, {**fields(cast), "submission": first_tab})
    first = coupon_of(client.get(COUPON))
    client.post(
        SUBMIT, {**fields(cast, text="Басқа мәселе: жол жөндеу."), "submission": second_tab}
    )
    second = coupon_of(client.get(COUPON))
    assert first[0] != second[0] and Appeal.objects.count() == before + 2
    # The first tab's form sent once more shows the first coupon, not a third appeal.
    client.post(SUBMIT, {**fields(cast), "submission": first_tab})
    assert coupon_of(client.get(COUPON)) == first
    assert Appeal.objects.count() == before + 2


def test_a_form_without_a_token_this_session_issued_registers_nothing(client, cast):
    before = Appeal.objects.count()
    for token in ("", "made-up-token"):
        response = client.post(SUBMIT, {**fields(cast), "submission": token})
        html = response.content.decode()
        assert response.status_code == 200
        assert "This form has expired: check it and send it again." in html
        # The citizen's words are kept, with a fresh token to send them.
        assert "Емханада кезек өте ұзақ" in html
        assert re.search(r'name="submission" value="[^"]+"', html)
    assert Appeal.objects.count() == before


def test_the_coupon_survives_a_language_switch(client, cast):
    _posted, page = send(client, cast)
    number, secret = coupon_of(page)
    for language in ("ru", "en", "kk"):
        switched = client.post(reverse("set_language"), {"language": language, "next": COUPON})
        assert switched.status_code == 302 and switched["Location"] == COUPON
        page = client.get(COUPON)
        assert f'<html lang="{language}"' in page.content.decode()
        assert coupon_of(page) == (number, secret)
    html = page.content.decode()
    assert in_language("kk", "Your appeal is registered") in html


def test_another_session_cannot_open_the_coupon(client, cast):
    _posted, page = send(client, cast)
    _number, secret = coupon_of(page)
    stranger = Client()
    response = stranger.get(COUPON)
    assert response.status_code == 302 and response["Location"] == SUBMIT
    assert secret not in stranger.get(SUBMIT).content.decode()


def test_the_coupon_is_kept_for_a_quarter_of_an_hour(client, cast):
    _posted, page = send(client, cast)
    coupon = coupon_of(page)
    now = timezone.now()
    with time_machine.travel(now + timedelta(minutes=14), tick=False):
        assert coupon_of(client.get(COUPON)) == coupon
    with time_machine.travel(now + timedelta(minutes=16), tick=False):
        response = client.get(COUPON)
        assert response.status_code == 302 and response["Location"] == SUBMIT


def test_i_have_written_down_my_code_forgets_the_coupon(client, cast):
    _posted, page = send(client, cast)
    number, secret = coupon_of(page)
    assert "I have written down the code" in page.content.decode()
    done = client.post(COUPON, {"number": number})
    assert done.status_code == 302 and done["Location"] == SUBMIT
    assert client.get(COUPON).status_code == 302
    assert secret not in client.get(SUBMIT).content.decode()


def test_the_form_sent_again_after_its_coupon_closed_registers_nothing(client, cast):
    before = Appeal.objects.count()
    token = form_token(client)
    data = {**fields(cast), "submission": token}
    client.post(SUBMIT, data)
    number, _secret = coupon_of(client.get(COUPON))
    client.post(COUPON, {"number": number})
    # The back button brings the sent form back; sending it says where the appeal is.
    again = client.post(SUBMIT, data, follow=True)
    html = again.content.decode()
    assert again.redirect_chain == [(SUBMIT, 302)]
    assert (
        f"This form was sent already: its appeal is registered under number {number}. "
        "Follow it with that number and its tracking code."
    ) in html
    assert "Емханада кезек өте ұзақ" not in html  # a fresh form, not the one sent
    assert Appeal.objects.count() == before + 1


def test_the_plain_code_is_in_no_url_log_row_or_stored_session(client, cast, caplog):
    caplog.set_level(logging.DEBUG)
    posted, page = send(client, cast)
    number, secret = coupon_of(page)
    bare = secret.replace("-", "")
    assert secret not in posted["Location"] and number not in posted["Location"]
    appeal = Appeal.objects.filter(number=number).values().get()
    assert not [k for k, v in appeal.items() if bare in str(v).replace("-", "")]
    events = AuditEvent.objects.filter(object_id=str(appeal["id"]))
    assert events and all(bare not in json.dumps([e.before, e.after]) for e in events)
    stored = [json.dumps(s.get_decoded(), default=str) for s in Session.objects.all()]
    assert stored and all(secret not in s and bare not in s for s in stored)
    assert secret not in caplog.text and bare not in caplog.text


def test_the_service_uses_a_submission_token_once(cast):
    data = {
        "actor": None, "channel": "portal", "topic": Topic.objects.get(code="housing"),
        "node": cast["nodes"]["R1"], "citizen_name": "Ерлан Бекұлы", "contact": "+7 701 000 11 22",
        "text": "Жылу жоқ.",
    }  # fmt: skip
    before = Appeal.objects.count()
    # A refused attempt does not use the token up: the citizen corrects the form and sends it.
    with pytest.raises(ValidationError):
        services.appeal_receive(**{**data, "text": "x" * (services.MAX_TEXT + 1)}, submission="t1")
    appeal, _secret = services.appeal_receive(**data, submission="t1")
    with pytest.raises(services.DuplicateSubmission):
        services.appeal_receive(**data, submission="t1")
    assert Appeal.objects.count() == before + 1 and appeal.text == "Жылу жоқ."


# -- the tracking result -----------------------------------------------------------------------


def test_tracking_redirects_to_a_result_page_that_survives_a_language_switch(client, cast):
    _posted, page = send(client, cast)
    number, secret = coupon_of(page)
    posted = client.post(TRACK, {"number": number, "secret": secret})
    assert posted.status_code == 302 and posted["Location"] == TRACKED
    result = client.get(TRACKED)
    assert result.status_code == 200 and "no-store" in result["Cache-Control"]
    assert 'data-testid="status">registered<' in result.content.decode()
    switched = client.post(reverse("set_language"), {"language": "ru", "next": TRACKED})
    assert switched["Location"] == TRACKED
    html = client.get(TRACKED).content.decode()
    assert f'data-testid="status">{in_language("ru", "registered")}<' in html
    assert number in html
    stranger = Client()
    refused = stranger.get(TRACKED)
    assert refused.status_code == 302 and refused["Location"] == TRACK


def test_the_tracking_result_is_kept_a_short_while_and_can_be_closed(client, cast):
    _posted, page = send(client, cast)
    number, secret = coupon_of(page)
    client.post(TRACK, {"number": number, "secret": secret})
    now = timezone.now()
    with time_machine.travel(now + timedelta(minutes=4), tick=False):
        assert client.get(TRACKED).status_code == 200
    with time_machine.travel(now + timedelta(minutes=6), tick=False):
        assert client.get(TRACKED)["Location"] == TRACK
    client.post(TRACK, {"number": number, "secret": secret})
    closed = client.post(TRACKED)
    assert closed.status_code == 302 and closed["Location"] == TRACK
    assert client.get(TRACKED)["Location"] == TRACK


def test_a_wrong_code_shows_the_form_again_and_no_result(client, cast):
    _posted, page = send(client, cast)
    number, _secret = coupon_of(page)
    wrong = client.post(TRACK, {"number": number, "secret": "AAAAA-AAAAA"})
    assert wrong.status_code == 200
    assert "The number or the tracking code is wrong." in wrong.content.decode()
    assert client.get(TRACKED)["Location"] == TRACK
