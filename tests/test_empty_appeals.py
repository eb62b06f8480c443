"""An appeal with nothing to consider (issue 9, point 2.14): the citizen's own channels (the
public form, the public API and Open311) ask for the text instead of recording an empty appeal;
an anonymous appeal is still recorded by rule, and its coupon says it will not be considered
instead of promising an answer date."""

import re

from django.urls import reverse
from django.utils import translation

from tamyr.appeals.models import Appeal, AppealStatus, Outcome, Topic

ASK_FOR_TEXT = "Write what your appeal is about: an appeal without text cannot be considered."
NOT_CONSIDERED = (
    "This appeal will not be considered: an appeal without a name and a contact is left "
    "without consideration, as the law requires. No answer will be sent."
)


def form_token(client) -> str:
    html = client.get(reverse("public:submit")).content.decode()
    match = re.search(r'name="submission" value="([^"]+)"', html)
    return match.group(1) if match else ""


def post_form(client, cast, **changes):
    data = {
        "citizen_name": "Арман Оспанов",
        "contact": "+7 702 555 66 77",
        "node": cast["nodes"]["R1"].pk,
        "locality": "",
        "topic": Topic.objects.get(code="other").pk,
        "text": "Саябақтағы шамдар жанбайды.",
        "submission": form_token(client),
    }
    data.update(changes)
    return client.post(reverse("public:submit"), data, follow=True)


def test_an_empty_public_form_asks_for_the_text_and_registers_nothing(client, cast):
    before = Appeal.objects.count()
    for text in ("", "   \n ", "\x01\x02"):
        response = post_form(client, cast, citizen_name="", contact="", text=text)
        html = response.content.decode()
        assert response.status_code == 200
        assert re.search(r'<span class="error" role="alert">([^<]+)</span>', html).group(1) == (
            ASK_FOR_TEXT
        )
        assert "Your appeal is registered" not in html
    assert Appeal.objects.count() == before


def test_the_form_asks_for_the_text_in_the_readers_language(client, cast):
    for language in ("kk", "ru"):
        client.cookies["tamyr_language"] = language
        html = post_form(client, cast, text="").content.decode()
        with translation.override(language):
            expected = translation.gettext(ASK_FOR_TEXT)
        assert expected != ASK_FOR_TEXT, f"no {language} translation"
        assert f'<span class="error" role="alert">{expected}</span>' in html


def test_the_public_api_refuses_an_appeal_without_text(client, cast):
    before = Appeal.objects.count()
    body = {"citizen_name": "", "contact": "", "region": "R1", "topic": "other"}
    for text in ("", "  ", "\x01"):
        response = client.post(
            reverse("api:public-appeal"), {**body, "text": text}, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json() == {"text": [ASK_FOR_TEXT]}
    assert Appeal.objects.count() == before


def test_open311_refuses_a_request_without_a_description(client, cast):
    before = Appeal.objects.count()
    body = {"jurisdiction_id": "R1", "service_code": "housing", "first_name": "Дана"}
    for description in ({}, {"description": ""}, {"description": "   "}):
        response = client.post(reverse("api:open311:requests"), {**body, **description})
        assert response.status_code == 400
        assert response.json() == [{"code": 400, "description": f"description: {ASK_FOR_TEXT}"}]
    assert Appeal.objects.count() == before


def test_an_anonymous_appeal_is_recorded_and_its_coupon_promises_no_answer(client, cast):
    page = post_form(client, cast, citizen_name="", contact="")
    html = page.content.decode()
    number = re.search(r'data-testid="number">([^<]+)<', html).group(1)
    appeal = Appeal.objects.get(number=number)
    assert (appeal.status, appeal.outcome) == (AppealStatus.CLOSED, Outcome.NOT_CONSIDERED)
    assert 'data-testid="not-considered"' in html and NOT_CONSIDERED in html
    assert "Answer due on" not in html
    assert 'data-testid="secret"' in html  # the citizen can still see the appeal was recorded


def test_a_named_appeal_coupon_promises_its_answer_date(client, cast):
    html = post_form(client, cast).content.decode()
    number = re.search(r'data-testid="number">([^<]+)<', html).group(1)
    appeal = Appeal.objects.get(number=number)
    assert appeal.status == AppealStatus.REGISTERED
    assert "Answer due on" in html and 'data-testid="not-considered"' not in html
    assert f'data-testid="due">{appeal.due_on:%m/%d/%Y}<' in html


def test_the_public_api_and_open311_still_record_an_anonymous_appeal_by_rule(client, cast):
    api = client.post(
        reverse("api:public-appeal"),
        {"region": "R1", "topic": "other", "text": "Аулада қоқыс шығарылмайды."},
        content_type="application/json",
    ).json()
    assert (api["status"], api["outcome"]) == ("closed", "not_considered")
    open311 = client.post(
        reverse("api:open311:requests"),
        {"jurisdiction_id": "R1", "service_code": "housing", "description": "Су жоқ"},
    )
    assert open311.status_code == 201
    (answer,) = open311.json()
    appeal = Appeal.objects.get(number=answer["service_request_id"])
    assert (appeal.status, appeal.outcome) == (AppealStatus.CLOSED, Outcome.NOT_CONSIDERED)
    # Open311's notice tells the citizen the same as the coupon does.
    assert answer["service_notice"] == appeal.answer
