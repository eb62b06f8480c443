"""The operator's coupon (issue 9, point 2.4, the staff side), and what the public API and
Open311 promise for an appeal left without consideration.

Registering an appeal at `/appeals/new/` redirects to a coupon page of its own,
`/appeals/<pk>/coupon/`, which only the operator who registered it, in that session, opens
with the tracking code: for a while, in any language, and printable. Anyone else who may see the
appeal is sent to the appeal's page; anyone outside the subtree gets a 404. The form carries a
one-time token, so sending it again registers nothing and shows the same coupon.
"""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tamyr.appeals import services
from tamyr.appeals.models import Appeal, AppealType, Reception, Topic
from tests.test_citizen_coupon import coupon_of

ALMATY = ZoneInfo("Asia/Almaty")
ADD = "/appeals/new/"
ANONYMOUS_REASON = "Anonymous appeal: left without consideration, as the law requires."


def coupon_url(appeal: Appeal) -> str:
    return f"/appeals/{appeal.pk}/coupon/"


def form_token(client, url: str = ADD) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'name="submission" value="([^"]+)"', html)
    assert match, "the operator's form carries no one-time submission token"
    return match.group(1)


def fields(cast, **changes) -> dict:
    data = {
        "channel": "call_centre",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "appeal_type": AppealType.objects.get(code="appeal").pk,
        "node": cast["nodes"]["D1"].pk,
        "citizen_name": "Жанар Төлеуова",
        "contact": "+7 707 321 54 76",
        "locality": "Көкшетау",
        "topic": Topic.objects.get(code="roads").pk,
        "text": "Аулаға апаратын жол жарықсыз, кешке жүру қауіпті.",
    }
    data.update(changes)
    return data


def operator_client(cast, username: str = "reception_operator") -> Client:
    client = Client()
    client.force_login(cast["users"][username])
    return client


def register(client, cast, url: str = ADD, **changes):
    """Open the form, send it, and return the answer to the POST and the appeal registered."""
    token = form_token(client, url)
    posted = client.post(url, {**fields(cast, **changes), "submission": token})
    return posted, Appeal.objects.order_by("-pk").first()


def in_language(code: str, text: str) -> str:
    with translation.override(code):
        translated = translation.gettext(text)
    assert translated != text, f"no {code} translation for {text!r}"
    return translated


# -- the redirect and the coupon page -----------------------------------------------------------


def test_registering_redirects_to_a_coupon_page_that_a_reload_shows_again(cast):
    client = operator_client(cast)
    before = Appeal.objects.count()
    posted, appeal = register(client, cast)
    assert posted.status_code == 302 and posted["Location"] == coupon_url(appeal)
    assert Appeal.objects.count() == before + 1
    assert appeal.citizen_name == "Жанар Төлеуова"
    assert appeal.received_by == cast["users"]["reception_operator"]
    page = client.get(coupon_url(appeal))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    number, secret = coupon_of(page)
    assert number == appeal.number
    assert appeal.secret_hash == services.secret_hash(number, secret)
    # Reloading the coupon shows it again and registers nothing.
    assert coupon_of(client.get(coupon_url(appeal))) == (number, secret)
    assert Appeal.objects.count() == before + 1


def test_the_same_form_sent_again_registers_nothing_and_shows_the_same_coupon(cast):
    client = operator_client(cast)
    before = Appeal.objects.count()
    data = {**fields(cast), "submission": form_token(client)}
    first = client.post(ADD, data)
    appeal = Appeal.objects.get(citizen_name="Жанар Төлеуова")
    coupon = coupon_of(client.get(first["Location"]))
    again = client.post(ADD, data)
    assert again.status_code == 302 and again["Location"] == coupon_url(appeal)
    assert coupon_of(client.get(again["Location"])) == coupon
    assert Appeal.objects.count() == before + 1


def test_a_form_from_another_tab_is_its_own_appeal_with_its_own_coupon(cast):
    client = operator_client(cast)
    before = Appeal.objects.count()
    first_tab, second_tab = form_token(client), form_token(client)
    one = client.post(ADD, {**fields(cast), "submission": first_tab})
    two = client.post(
        ADD, {**fields(cast, citizen_name="Дәулет Сәрсенов"), "submission": second_tab}
    )
    assert Appeal.objects.count() == before + 2
    first, second = coupon_of(client.get(one["Location"])), coupon_of(client.get(two["Location"]))
    assert first[0] != second[0]
    # Both coupons stay open, each at its own address.
    assert coupon_of(client.get(one["Location"])) == first
    # The first tab's form sent once more shows the first coupon, not a third appeal.
    assert (
        client.post(ADD, {**fields(cast), "submission": first_tab})["Location"] == (one["Location"])
    )
    assert Appeal.objects.count() == before + 2


def test_a_form_without_a_token_this_session_issued_registers_nothing(cast):
    client = operator_client(cast)
    before = Appeal.objects.count()
    other_session = form_token(operator_client(cast))
    for token in ("", "made-up-token", other_session):
        response = client.post(ADD, {**fields(cast), "submission": token})
        html = response.content.decode()
        assert response.status_code == 200
        assert "This form has expired: check it and send it again." in html
        # The operator's typing is kept, with a fresh token to send it.
        assert "Аулаға апаратын жол жарықсыз" in html
        assert re.search(r'name="submission" value="[^"]+"', html)
    assert Appeal.objects.count() == before


def test_the_form_sent_again_after_its_coupon_closed_registers_nothing(cast):
    client = operator_client(cast)
    before = Appeal.objects.count()
    data = {**fields(cast), "submission": form_token(client)}
    client.post(ADD, data)
    appeal = Appeal.objects.get(citizen_name="Жанар Төлеуова")
    closed = client.post(coupon_url(appeal))
    assert closed.status_code == 302 and closed["Location"] == f"/appeals/{appeal.pk}/"
    again = client.post(ADD, data, follow=True)
    assert again.redirect_chain == [(f"/appeals/{appeal.pk}/", 302)]
    assert (
        f"This form was sent already: its appeal is registered under number {appeal.number}."
    ) in again.content.decode()
    assert Appeal.objects.count() == before + 1


def test_the_coupon_survives_a_language_switch(cast):
    client = operator_client(cast)
    _posted, appeal = register(client, cast)
    url = coupon_url(appeal)
    coupon = coupon_of(client.get(url))
    for language in ("ru", "en", "kk"):
        switched = client.post(reverse("set_language"), {"language": language, "next": url})
        assert switched.status_code == 302 and switched["Location"] == url
        page = client.get(url)
        html = page.content.decode()
        assert f'<html lang="{language}"' in html
        assert coupon_of(page) == coupon
    assert in_language("kk", "Your appeal is registered") in html
    assert in_language("kk", "Tracking code") in html


def test_the_coupon_is_printable(cast):
    client = operator_client(cast)
    _posted, appeal = register(client, cast)
    html = client.get(coupon_url(appeal)).content.decode()
    assert '<section class="card coupon printable"' in html
    assert 'onclick="window.print()">Print the coupon</button>' in html
    # What is for the operator alone does not go on paper.
    closing = re.search(r'<form method="post" action="([^"]+)" class="no-print"', html)
    assert closing and closing.group(1) == coupon_url(appeal)


def test_only_the_operator_who_registered_it_in_that_session_sees_the_code(cast):
    client = operator_client(cast)
    _posted, appeal = register(client, cast)
    _number, secret = coupon_of(client.get(coupon_url(appeal)))
    detail = f"/appeals/{appeal.pk}/"
    # The same operator in another browser, and those who may see the appeal: its page.
    for username in ("reception_operator", "district_secretary", "regional_secretary"):
        other = operator_client(cast, username)
        response = other.get(coupon_url(appeal))
        assert (response.status_code, response["Location"]) == (302, detail), username
        assert secret not in other.get(detail).content.decode()
    # Outside the subtree, or without appeals at all: not found.
    for username in ("district_b_secretary", "analyst", "nobody"):
        response = operator_client(cast, username).get(coupon_url(appeal))
        assert response.status_code == 404, username
    anonymous = Client().get(coupon_url(appeal))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    # Logging out ends the session, and the coupon with it.
    client.logout()
    client.force_login(cast["users"]["reception_operator"])
    assert client.get(coupon_url(appeal))["Location"] == detail


def test_the_coupon_is_kept_for_an_hour(cast):
    client = operator_client(cast)
    _posted, appeal = register(client, cast)
    coupon = coupon_of(client.get(coupon_url(appeal)))
    now = timezone.now()
    with time_machine.travel(now + timedelta(minutes=59), tick=False):
        assert coupon_of(client.get(coupon_url(appeal))) == coupon
    with time_machine.travel(now + timedelta(minutes=61), tick=False):
        response = client.get(coupon_url(appeal))
        assert response.status_code == 302 and response["Location"] == f"/appeals/{appeal.pk}/"


def test_the_appeal_page_and_the_form_lead_back_to_an_open_coupon(cast):
    client = operator_client(cast)
    _posted, appeal = register(client, cast)
    link = f'<a href="{coupon_url(appeal)}">Show the coupon</a>'
    assert link in client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert link in client.get(ADD).content.decode()
    # Another session of the same operator has no coupon to show.
    other = operator_client(cast)
    assert coupon_url(appeal) not in other.get(f"/appeals/{appeal.pk}/").content.decode()
    # Once the code is handed over, the link goes.
    client.post(coupon_url(appeal))
    assert coupon_url(appeal) not in client.get(f"/appeals/{appeal.pk}/").content.decode()


def test_a_staff_coupon_never_shows_on_the_public_pages(cast):
    client = operator_client(cast)
    _posted, appeal = register(client, cast)
    public = client.get(reverse("public:coupon"))
    assert public.status_code == 302 and public["Location"] == reverse("public:submit")
    assert appeal.number not in client.get(reverse("public:submit")).content.decode()


def test_the_code_is_in_no_url_and_no_stored_session(cast):
    client = operator_client(cast)
    posted, appeal = register(client, cast)
    number, secret = coupon_of(client.get(coupon_url(appeal)))
    bare = secret.replace("-", "")
    assert secret not in posted["Location"] and number not in posted["Location"]
    stored = [json.dumps(s.get_decoded(), default=str) for s in Session.objects.all()]
    assert stored and all(secret not in s and bare not in s for s in stored)


def test_an_empty_letter_gets_a_coupon_that_promises_no_date(cast):
    client = operator_client(cast)
    posted, appeal = register(client, cast, channel="letter", contact="", text="")
    assert (appeal.status, appeal.outcome) == ("closed", "not_considered")
    html = client.get(posted["Location"]).content.decode()
    assert 'data-testid="not-considered"' in html and 'data-testid="due"' not in html


# -- from a reception ---------------------------------------------------------------------------


def test_registering_from_a_reception_keeps_it_and_offers_the_next_visitor(cast):
    client = operator_client(cast)
    reception = Reception.objects.get(official__full_name="Official of D1")
    url = f"{ADD}?reception={reception.pk}"
    form = client.get(url).content.decode()
    assert re.search(rf'<option value="{reception.pk}" selected>', form)
    assert '<option value="reception" selected>' in form
    posted, appeal = register(client, cast, url=url, channel="reception", reception=reception.pk)
    assert posted.status_code == 302 and posted["Location"] == coupon_url(appeal)
    assert (appeal.channel, appeal.reception) == ("reception", reception)
    html = client.get(posted["Location"]).content.decode()
    coupon_of(client.get(posted["Location"]))
    assert f'<a class="button" href="{url}">Register another appeal</a>' in html
    listed = client.get(f"/appeals/receptions/{reception.pk}/").content.decode()
    assert f'href="/appeals/{appeal.pk}/">{appeal.number}</a>' in listed


def test_a_reception_outside_the_operators_subtree_is_refused(cast):
    client = operator_client(cast)
    before = Appeal.objects.count()
    elsewhere = Reception.objects.get(official__full_name="Official of D2")
    response = client.post(
        ADD,
        {
            **fields(cast, channel="reception", reception=elsewhere.pk),
            "submission": form_token(client),
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["reception"]
    assert Appeal.objects.count() == before


# -- the public API and Open311 for an appeal left without consideration ------------------------

MARCH_2 = datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)


@time_machine.travel(MARCH_2, tick=False)
def test_the_public_api_promises_no_date_for_an_anonymous_appeal(client, cast):
    sent = client.post(
        reverse("api:public-appeal"),
        {"region": "R1", "topic": "other", "text": "Аулада қоқыс шығарылмайды."},
        content_type="application/json",
    )
    assert sent.status_code == 201
    body = sent.json()
    appeal = Appeal.objects.get(number=body["number"])
    assert body == {
        "number": appeal.number,
        "received_at": "2026-03-02T04:00:00Z",
        "topic": "other",
        "status": "closed",
        "due_on": None,
        "extended": False,
        "outcome": "not_considered",
        "closed_on": "2026-03-02",
        "answer": ANONYMOUS_REASON,
        "tracking_code": body["tracking_code"],
    }
    assert appeal.secret_hash == services.secret_hash(appeal.number, body["tracking_code"])
    tracked = client.post(
        reverse("api:public-track"),
        {"number": appeal.number, "tracking_code": body["tracking_code"]},
        content_type="application/json",
    )
    assert tracked.status_code == 200
    assert tracked.json() == {k: v for k, v in body.items() if k != "tracking_code"}
    # An appeal with a name and a contact is considered, and keeps its date.
    named = client.post(
        reverse("api:public-appeal"),
        {
            "citizen_name": "Әсем Бекова", "contact": "+7 700 111 22 33", "region": "R1",
            "topic": "other", "text": "Аулада қоқыс шығарылмайды.",
        },
        content_type="application/json",
    ).json()  # fmt: skip
    appeal = Appeal.objects.get(number=named["number"])
    assert appeal.due_on is not None
    assert (named["status"], named["due_on"], named["outcome"], named["closed_on"]) == (
        "registered", appeal.due_on.isoformat(), "", None,
    )  # fmt: skip


@time_machine.travel(MARCH_2, tick=False)
def test_open311_promises_no_date_for_an_anonymous_request(client, cast):
    sent = client.post(
        reverse("api:open311:requests"),
        {"jurisdiction_id": "R1", "service_code": "housing", "description": "Су жоқ"},
    )
    assert sent.status_code == 201
    (answer,) = sent.json()
    assert answer["service_notice"] == ANONYMOUS_REASON
    number, code = answer["service_request_id"], answer["tracking_code"]
    url = reverse("api:open311:request", args=[number])
    (citizen,) = client.get(url, headers={"X-Tracking-Code": code}).json()
    assert (citizen["status"], citizen["status_notes"], citizen["expected_datetime"]) == (
        "closed", ANONYMOUS_REASON, None,
    )  # fmt: skip
    staff = operator_client(cast, "regional_secretary")
    (seen,) = staff.get(url).json()
    assert (seen["status"], seen["expected_datetime"]) == ("closed", None)
    (listed,) = staff.get(reverse("api:open311:requests"), {"service_request_id": number}).json()
    assert listed["expected_datetime"] is None


def test_the_schema_says_the_public_answer_may_have_no_date(client, cast):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    created = schema["paths"]["/api/v1/public/appeals/"]["post"]["responses"]["201"]
    name = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][name]["properties"]
    assert properties["due_on"] == {
        "type": "string",
        "format": "date",
        "nullable": True,
        "readOnly": True,
        "description": properties["due_on"]["description"],
    }
    assert "due_on" in schema["components"]["schemas"][name]["required"]
    outcomes = [ref["$ref"].rsplit("/", 1)[1] for ref in properties["outcome"]["oneOf"]]
    assert schema["components"]["schemas"][outcomes[0]]["enum"] == [
        "resolved_fully", "resolved_partly", "explained", "refused", "forwarded",
        "not_considered",
    ]  # fmt: skip
    assert properties["tracking_code"]["type"] == "string"
    tracked = schema["paths"]["/api/v1/public/track/"]["post"]["responses"]["200"]
    name = tracked["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][name]["properties"]["due_on"]["nullable"] is True
