"""Texts Tamyr writes into records itself are read in the reader's language (issue 9, point 2.12).

A commission member who works in Russian expels a member; a citizen writing in Kazakh sends an
anonymous appeal. What the system writes on those records (the timeline's reason, the card's
cancellation, the answer "left without consideration") is kept in one form, the English source,
and every reader, on the pages, in the API and on the citizen's tracking page, reads it in their
own language. Rows written before, in whatever language was active, are rewritten to that form
by a data migration. The expected texts are written out as the catalogues translate them.
"""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tamyr.appeals.models import Appeal, AppealStep, Topic
from tamyr.appeals.services import appeal_receive
from tamyr.members import discipline, lifecycle
from tamyr.members.models import DisciplineCase, MembershipCard, MembershipEvent
from tamyr.orgs.models import Node

DECISION = {
    "en": "decision of the Party Control Commission, protocol № 17",
    "ru": "решение Партийной контрольной комиссии, протокол № 17",
    "kk": "Партиялық бақылау комиссиясының шешімі, № 17 хаттама",
}
OVERTURNED = {
    "en": "expulsion overturned on appeal",
    "ru": "исключение из партии отменено по апелляции",
    "kk": "партиядан шығару туралы шешімнің күші шағым бойынша жойылды",
}
LEFT = {"en": "left the party", "ru": "вышел из партии", "kk": "партиядан шықты"}
EXPELLED = {
    "en": "expelled from the party",
    "ru": "исключён из партии",
    "kk": "партиядан шығарылды",
}
REPLACED = {
    "en": "replaced by a new card",
    "ru": "заменён новым партийным билетом",
    "kk": "жаңа партиялық билетпен ауыстырылды",
}
MERGER = {
    "en": "merger of primary organisations",
    "ru": "слияние первичных партийных организаций",
    "kk": "бастауыш партия ұйымдарының бірігуі",
}
ANONYMOUS = {
    "en": "Anonymous appeal: left without consideration, as the law requires.",
    "ru": "Анонимное обращение: оставлено без рассмотрения в соответствии с законом.",
    "kk": "Анонимді өтініш: заңға сәйкес қараусыз қалдырылды.",
}
NO_TEXT = {
    "en": "The appeal has no text: left without consideration, as the law requires.",
    "ru": "Обращение не содержит текста: оставлено без рассмотрения в соответствии с законом.",
    "kk": "Өтініште мәтін жоқ: заңға сәйкес қараусыз қалдырылды.",
}
LANGUAGES = ("kk", "ru", "en")
TRACK, TRACKED = "/appeal/track/", "/appeal/track/result/"


def page_client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["tamyr_language"] = language
    return client


def api_client(user, language: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def expel_in_russian(cast, today, protocol="17"):
    """Expel the member of P1 by a decision recorded by someone working in Russian."""
    case = DisciplineCase.objects.get(person=cast["members"]["P1"])
    with translation.override("ru"):
        return discipline.case_decide(
            actor=cast["users"]["control_commission"],
            case=case,
            version=case.version,
            decided_on=today,
            outcome="penalty",
            penalty="expulsion",
            protocol_number=protocol,
        )


def member_page(cast, language: str) -> str:
    client = page_client(cast["users"]["national_admin"], language)
    url = reverse("members:detail", args=[cast["members"]["P1"].pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# -- the member's timeline and card ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expulsion_recorded_in_russian_reads_in_the_readers_language(cast, today, language):
    expel_in_russian(cast, today)
    html = member_page(cast, language)
    assert DECISION[language] in html
    others = [DECISION[other] for other in LANGUAGES if other != language]
    assert [text for text in others if text in html] == []


def test_the_decision_is_stored_once_in_no_readers_language(cast, today):
    expel_in_russian(cast, today, protocol="7/2026")
    event = MembershipEvent.objects.get(person=cast["members"]["P1"], kind="expelled")
    assert event.reason == "decision of the Party Control Commission, protocol № 7/2026"
    with translation.override("kk"):
        assert event.shown_reason == "Партиялық бақылау комиссиясының шешімі, № 7/2026 хаттама"
    card = MembershipCard.objects.get(person=cast["members"]["P1"])
    assert card.cancel_reason == "expelled from the party"
    cancelled = MembershipEvent.objects.get(person=cast["members"]["P1"], kind="card_cancelled")
    assert cancelled.reason == "№ C0000002: expelled from the party"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expulsion_overturned_on_appeal_reads_in_the_readers_language(cast, today, language):
    case = expel_in_russian(cast, today)
    commission = cast["users"]["control_commission"]
    with translation.override("ru"):
        case = discipline.case_appeal(
            actor=commission, case=case, version=case.version, filed_on=today
        )
        discipline.case_appeal_decide(
            actor=commission,
            case=case,
            version=case.version,
            decided_on=today,
            outcome="overturned",
        )
    resumed = MembershipEvent.objects.get(person=cast["members"]["P1"], kind="resumed")
    assert resumed.reason == "expulsion overturned on appeal"
    html = member_page(cast, language)
    assert OVERTURNED[language] in html
    assert [OVERTURNED[o] for o in LANGUAGES if o != language and OVERTURNED[o] in html] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_card_cancelled_when_the_member_left_reads_in_the_readers_language(cast, today, language):
    with translation.override("kk" if language != "kk" else "ru"):
        lifecycle.membership_change(
            actor=cast["users"]["district_secretary"],
            person=cast["members"]["P1"],
            action="leave",
            on=today,
        )
    html = member_page(cast, language)
    # The timeline's line for the card, and the card's own line in the list of cards.
    assert f"№ C0000002: {LEFT[language]}</li>" in html
    assert re.search(rf"№ C0000002, [^<]*: {LEFT[language]}</li>", html)
    wrong = [LEFT[o] for o in LANGUAGES if o != language and LEFT[o] in html]
    assert wrong == []


def test_a_card_replaced_by_a_new_one_reads_in_the_readers_language(cast, today):
    with translation.override("ru"):
        lifecycle.card_issue(
            actor=cast["users"]["district_secretary"],
            person=cast["members"]["P1"],
            number="N0000001",
            issued_on=today,
        )
    old = MembershipCard.objects.get(number="C0000002")
    assert old.cancel_reason == "replaced by a new card"
    html = member_page(cast, "kk")
    assert f"№ C0000002: {REPLACED['kk']}" in html
    assert REPLACED["ru"] not in html


def test_the_timeline_api_gives_reasons_in_the_readers_language(cast, today):
    expel_in_russian(cast, today)
    url = reverse("api:member-events", args=[cast["members"]["P1"].pk])
    for language in LANGUAGES:
        response = api_client(cast["users"]["national_admin"], language).get(url)
        assert response.status_code == 200
        reasons = {row["kind"]: row["reason"] for row in response.json()}
        assert reasons["expelled"] == DECISION[language]
        assert reasons["card_cancelled"] == f"№ C0000002: {EXPELLED[language]}"


def test_a_reason_someone_typed_is_shown_as_typed(cast, today):
    with translation.override("ru"):
        lifecycle.membership_change(
            actor=cast["users"]["district_secretary"],
            person=cast["members"]["P1"],
            action="suspend",
            on=today,
            reason="по личному заявлению",
        )
    html = member_page(cast, "kk")
    assert "по личному заявлению" in html


# -- the answer to an appeal left without consideration ------------------------------------------


def anonymous_appeal_in_kazakh(cast):
    """Send an anonymous appeal as a citizen reading the portal in Kazakh would."""
    with translation.override("kk"):
        return appeal_receive(
            actor=AnonymousUser(),
            channel="portal",
            topic=Topic.objects.get(code="housing"),
            node=cast["nodes"]["R1"],
            text="Подъездте жарық жоқ.",
        )


def appeal_without_text_in_russian(cast):
    with translation.override("ru"):
        appeal, _secret = appeal_receive(
            actor=cast["users"]["reception_operator"],
            channel="letter",
            topic=Topic.objects.get(code="housing"),
            node=cast["nodes"]["D1"],
            citizen_name="Сергей Петров",
            contact="+7 701 000 11 22",
            text="",
        )
    return appeal


def test_the_answer_left_without_consideration_is_stored_in_no_readers_language(cast):
    appeal, _secret = anonymous_appeal_in_kazakh(cast)
    appeal.refresh_from_db()
    assert appeal.answer == ANONYMOUS["en"]
    close = AppealStep.objects.get(appeal=appeal, action="close")
    assert close.note == ANONYMOUS["en"]
    empty = appeal_without_text_in_russian(cast)
    assert Appeal.objects.get(pk=empty.pk).answer == NO_TEXT["en"]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_staff_read_the_answer_and_the_closing_step_in_their_language(cast, language):
    appeal, _secret = anonymous_appeal_in_kazakh(cast)
    client = page_client(cast["users"]["national_admin"], language)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert f'<div class="card">{ANONYMOUS[language]}</div>' in html
    # The note of the step that closed it, at the end of its line in the timeline.
    assert f": {ANONYMOUS[language]}</li>" in html
    assert ANONYMOUS["kk"] not in html


def test_the_staff_api_gives_the_answer_in_the_readers_language(cast):
    appeal, _secret = anonymous_appeal_in_kazakh(cast)
    empty = appeal_without_text_in_russian(cast)
    for language in LANGUAGES:
        client = api_client(cast["users"]["national_admin"], language)
        for sent, texts in ((appeal, ANONYMOUS), (empty, NO_TEXT)):
            response = client.get(reverse("api:appeal-detail", args=[sent.pk]))
            assert response.status_code == 200
            assert response.json()["answer"] == texts[language]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_citizen_reads_the_answer_in_the_language_they_switch_to(cast, language):
    appeal, secret = anonymous_appeal_in_kazakh(cast)
    client = Client()
    client.cookies["tamyr_language"] = language
    posted = client.post(TRACK, {"number": appeal.number, "secret": secret})
    assert posted.status_code == 302
    html = client.get(TRACKED).content.decode()
    assert f'<dd class="answer">{ANONYMOUS[language]}</dd>' in html
    assert ANONYMOUS["kk"] not in html


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_record_history_shows_what_tamyr_wrote_in_the_readers_language(cast, language):
    appeal, _secret = anonymous_appeal_in_kazakh(cast)
    client = page_client(cast["users"]["national_admin"], language)
    html = client.get(reverse("appeals:history", args=[appeal.pk])).content.decode()
    assert ANONYMOUS[language] in html and ANONYMOUS["en"] not in html


# -- rows written before: the data migrations -----------------------------------------------------


def migration(app: str, name: str):
    return importlib.import_module(f"tamyr.{app}.migrations.{name}")


def test_member_texts_written_in_kazakh_or_russian_are_rewritten_to_their_source(cast, today):
    person = cast["members"]["P1"]
    expel_in_russian(cast, today, protocol="12")
    other = cast["members"]["P2"]
    with translation.override("ru"):
        lifecycle.membership_change(actor=None, person=other, action="leave", on=today)
    # As the code before wrote them: in the language active at the time, or (the demo's
    # generator) the status code.
    events = MembershipEvent.objects.filter(person=person)
    events.filter(kind="expelled").update(
        reason="Партиялық бақылау комиссиясының шешімі, № 12 хаттама"
    )
    events.filter(kind="card_cancelled").update(reason="№ C0000002: партиядан шығарылды")
    MembershipCard.objects.filter(person=person).update(cancel_reason="партиядан шығарылды")
    MembershipEvent.objects.filter(person=other, kind="card_cancelled").update(
        reason="№ C0000003: left"
    )
    MembershipCard.objects.filter(person=other).update(cancel_reason="вышел из партии")
    typed = MembershipEvent.objects.create(
        person=person, kind="resumed", on=today, ppo=person.ppo, reason="по решению бюро"
    )
    resumed = MembershipEvent.objects.create(
        person=person, kind="resumed", on=today, ppo=person.ppo, reason=OVERTURNED["ru"]
    )
    merged = MembershipEvent.objects.create(
        person=other,
        kind="transferred",
        on=today,
        ppo=other.ppo,
        other_ppo=Node.objects.get(code="P1"),
        reason=MERGER["kk"],
    )
    replaced = MembershipCard.objects.create(
        person=other,
        number="OLD0001",
        issued_on=today - timedelta(days=400),
        cancelled_on=today - timedelta(days=30),
        cancel_reason=REPLACED["ru"],
    )
    migration("members", "0008_system_texts").texts_to_source(apps, None)
    assert events.get(kind="expelled").reason == DECISION["en"].replace("17", "12")
    assert events.get(kind="card_cancelled").reason == "№ C0000002: expelled from the party"
    assert MembershipCard.objects.get(number="C0000002").cancel_reason == EXPELLED["en"]
    assert MembershipCard.objects.get(number="C0000003").cancel_reason == LEFT["en"]
    assert (
        MembershipEvent.objects.get(person=other, kind="card_cancelled").reason
        == "№ C0000003: left the party"
    )
    assert MembershipEvent.objects.get(pk=resumed.pk).reason == OVERTURNED["en"]
    assert MembershipEvent.objects.get(pk=merged.pk).reason == MERGER["en"]
    assert MembershipCard.objects.get(pk=replaced.pk).cancel_reason == REPLACED["en"]
    assert MembershipEvent.objects.get(pk=typed.pk).reason == "по решению бюро"


def test_appeal_answers_written_in_kazakh_or_russian_are_rewritten_to_their_source(cast):
    appeal, _secret = anonymous_appeal_in_kazakh(cast)
    empty = appeal_without_text_in_russian(cast)
    Appeal.objects.filter(pk=appeal.pk).update(answer=ANONYMOUS["kk"])
    AppealStep.objects.filter(appeal=appeal, action="close").update(note=ANONYMOUS["kk"])
    Appeal.objects.filter(pk=empty.pk).update(answer=NO_TEXT["ru"])
    AppealStep.objects.filter(appeal=empty, action="close").update(note=NO_TEXT["ru"])
    # An answer an executor wrote is theirs, whatever it says.
    answered = Appeal.objects.exclude(pk__in=[appeal.pk, empty.pk]).first()
    Appeal.objects.filter(pk=answered.pk).update(answer="Жауап жіберілді.")
    migration("appeals", "0008_system_texts").texts_to_source(apps, None)
    assert Appeal.objects.get(pk=appeal.pk).answer == ANONYMOUS["en"]
    assert AppealStep.objects.get(appeal=appeal, action="close").note == ANONYMOUS["en"]
    assert Appeal.objects.get(pk=empty.pk).answer == NO_TEXT["en"]
    assert AppealStep.objects.get(appeal=empty, action="close").note == NO_TEXT["en"]
    assert Appeal.objects.get(pk=answered.pk).answer == "Жауап жіберілді."


def test_a_typed_text_that_looks_like_nested_layouts_is_shown_as_typed():
    from tamyr.core.system_texts import shown

    typed = "№ 1: " * 400 + "died"
    with translation.override("ru"):
        assert shown(typed) == typed
        # One level of layout around a system text is what the system writes, and is read.
        assert shown("№ 7: died") == "№ 7: " + "умер"
