"""Texts that staff type and reference data, kept per language (issue 9, point 2.12).

Officials' positions, reception venues, ceremony titles and places, award reasons and discipline
grounds are entered in one language or more and shown in the reader's language, else in the
first language of the fallback that has them, on the pages and over the API; the migrations
moved the texts written before into the language they are written in; every reference item
says the same thing in kk, ru and en.
"""

import importlib
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.translator import translator
from modeltranslation.utils import resolution_order
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tamyr.appeals.models import AppealType, Official, Reception, ReceptionFormat, Topic
from tamyr.appeals.receptions import official_create, reception_schedule
from tamyr.core.models import AuditEvent
from tamyr.core.translated import language_of
from tamyr.members.awards import ceremony_create, conferral_create
from tamyr.members.discipline import case_open
from tamyr.members.models import AwardType, Ceremony, Conferral, DisciplineCase
from tests.clock import A_WORKING_MORNING

# Its data carries fixed dates: they keep their distance from "today" on every day it runs.
pytestmark = pytest.mark.time_machine(A_WORKING_MORNING, tick=False)

LANGUAGES = ("kk", "ru", "en")

# settings.MODELTRANSLATION_FALLBACK_LANGUAGES, written out: where a reader of each language
# looks, in order.
FALLBACK = {"kk": ("kk", "ru", "en"), "ru": ("ru", "kk", "en"), "en": ("en", "ru", "kk")}

# What each text says, as staff would type it in each language.
TEXTS = {
    "position": {
        "kk": "Аудан әкімінің орынбасары",
        "ru": "Заместитель акима района",
        "en": "Deputy akim of the district",
    },
    "place": {
        "kk": "Қоғамдық қабылдау бөлмесі",
        "ru": "Общественная приёмная",
        "en": "Public reception office",
    },
    "title": {
        "kk": "Тәуелсіздік күніне арналған марапаттау",
        "ru": "Награждение ко Дню Независимости",
        "en": "Awards for Independence Day",
    },
    "ceremony_place": {"kk": "Мәдениет үйі", "ru": "Дом культуры", "en": "House of Culture"},
    "reason": {
        "kk": "Белсенді жұмысы үшін",
        "ru": "За активную работу",
        "en": "For active work",
    },
    "grounds": {
        "kk": "Партиялық тәртіпті бұзу",
        "ru": "Нарушение партийной дисциплины",
        "en": "A breach of party discipline",
    },
}

# The languages a text is entered in, and the language whose text each reader then sees.
SHOWN = {
    "kk only": ({"kk"}, {"kk": "kk", "ru": "kk", "en": "kk"}),
    "ru only": ({"ru"}, {"kk": "ru", "ru": "ru", "en": "ru"}),
    "all three": ({"kk", "ru", "en"}, {"kk": "kk", "ru": "ru", "en": "en"}),
    # Two languages, so that the order of the fallback shows.
    "kk and en": ({"kk", "en"}, {"kk": "kk", "ru": "kk", "en": "en"}),
    "ru and en": ({"ru", "en"}, {"kk": "ru", "ru": "ru", "en": "en"}),
    "kk and ru": ({"kk", "ru"}, {"kk": "kk", "ru": "ru", "en": "ru"}),
}

# The form and API field each text goes by.
FIELD = {
    "position": "position",
    "place": "place",
    "title": "title",
    "ceremony_place": "place",
    "reason": "reason",
    "grounds": "grounds",
}


def token_client(user, language: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def per_language(name: str, texts: dict[str, str], languages: set[str]) -> dict[str, str]:
    """Return the form's fields for a text entered in these languages, the others left empty."""
    return {f"{name}_{lang}": texts[lang] if lang in languages else "" for lang in LANGUAGES}


def regular_format() -> ReceptionFormat:
    return ReceptionFormat.objects.get(code="regular")


def next_week() -> datetime:
    return timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(
        days=7
    )


def enter(client, cast, text: str, languages: set[str]):
    """Enter a text through its page as staff do; return the record, the pages that show the
    text and its API address."""
    admin = cast["users"]["national_admin"]
    d1, p1 = cast["nodes"]["D1"], cast["nodes"]["P1"]
    given = per_language(FIELD[text], TEXTS[text], languages)
    today = timezone.localdate().isoformat()
    if text == "position":
        data = {"full_name": "Айгүл Сапарова", "kind": "deputy", "node": d1.pk, **given}
        assert client.post(reverse("appeals:official_add"), data).status_code == 302
        official = Official.objects.get(full_name="Айгүл Сапарова")
        reception = reception_schedule(
            actor=admin,
            official=official,
            node=d1,
            format=regular_format(),
            starts_at=next_week(),
            place_en="Room 5",
        )
        pages = [reverse("appeals:officials"), reverse("appeals:reception", args=[reception.pk])]
        return official, pages, None
    if text == "place":
        official = official_create(
            actor=admin, full_name="Айгүл Сапарова", kind="deputy", node=d1, position_en="Deputy"
        )
        data = {
            "official": official.pk,
            "node": d1.pk,
            "format": regular_format().pk,
            "starts_at": next_week().strftime("%Y-%m-%dT%H:%M"),
            **given,
        }
        assert client.post(reverse("appeals:reception_add"), data).status_code == 302
        reception = Reception.objects.get(official=official)
        api = reverse("api:reception-detail", args=[reception.pk])
        return reception, [reverse("appeals:reception", args=[reception.pk])], api
    if text in ("title", "ceremony_place"):
        data = {"node": p1.pk, "held_on": today, **given}
        if text == "ceremony_place":
            data["title_en"] = "Ceremony of point 2.12"
        assert client.post(reverse("members:ceremony_new"), data).status_code == 302
        ceremony = Ceremony.objects.filter(node=p1).latest("id")
        pages = [reverse("members:ceremony", args=[ceremony.pk])]
        if text == "title":
            pages.append(reverse("members:ceremonies"))
        return ceremony, pages, reverse("api:ceremony-detail", args=[ceremony.pk])
    if text == "reason":
        ceremony = ceremony_create(
            actor=admin, node=p1, data={"held_on": date(2026, 12, 16), "title_en": "Ceremony"}
        )
        data = {
            "node": p1.pk,
            "award": AwardType.objects.get(code="letter-of-thanks").pk,
            "citizen_name": "Ержан Қалиев",
            "conferred_on": today,
            "conferring_body": "Bureau",
            "ceremony": ceremony.pk,
            **given,
        }
        assert client.post(reverse("members:conferral_new"), data).status_code == 302
        conferral = Conferral.objects.get(citizen_name="Ержан Қалиев")
        pages = [reverse("members:ceremony", args=[ceremony.pk])]
        return conferral, pages, reverse("api:conferral-detail", args=[conferral.pk])
    person = cast["members"]["P1"]
    data = {"opened_on": today, **given}
    assert client.post(reverse("members:case_open", args=[person.pk]), data).status_code == 302
    case = DisciplineCase.objects.filter(person=person).latest("id")
    return (
        case,
        [reverse("members:case", args=[case.pk])],
        reverse("api:case-detail", args=[case.pk]),
    )


def test_the_fallback_order_is_the_one_written_here():
    for language, order in FALLBACK.items():
        assert resolution_order(language) == order


@pytest.mark.parametrize("entered", list(SHOWN))
@pytest.mark.parametrize("text", list(TEXTS))
def test_a_text_entered_in_some_languages_is_shown_in_the_readers_language(
    client, cast, text, entered
):
    admin = cast["users"]["national_admin"]
    client.force_login(admin)
    languages, seen_by = SHOWN[entered]
    record, pages, api = enter(client, cast, text, languages)
    texts = TEXTS[text]
    for reader in LANGUAGES:
        expected = texts[seen_by[reader]]
        others = [texts[lang] for lang in languages if texts[lang] != expected]
        client.cookies["tamyr_language"] = reader
        for page in pages:
            html = client.get(page).content.decode()
            assert expected in html, (page, reader)
            assert [t for t in others if t in html] == [], (page, reader)
        # The API answers in the language of the request, and gives each language as entered.
        api_client = token_client(admin, reader)
        if api is None:
            rows = api_client.get(reverse("api:official-list")).json()["results"]
            body = next(row for row in rows if row["id"] == record.pk)
        else:
            body = api_client.get(api).json()
        name = FIELD[text]
        assert body[name] == expected
        assert {lang: body[f"{name}_{lang}"] for lang in LANGUAGES} == {
            lang: texts[lang] if lang in languages else "" for lang in LANGUAGES
        }


# Each text's page form, the data it needs besides the text, and where its error goes.
def page_form(cast, text):
    d1, p1 = cast["nodes"]["D1"], cast["nodes"]["P1"]
    today = timezone.localdate().isoformat()
    admin = cast["users"]["national_admin"]
    if text == "position":
        return reverse("appeals:official_add"), {"full_name": "X", "kind": "deputy", "node": d1.pk}
    if text == "place":
        official = official_create(
            actor=admin, full_name="Y", kind="deputy", node=d1, position_en="Deputy"
        )
        data = {
            "official": official.pk,
            "node": d1.pk,
            "format": regular_format().pk,
            "starts_at": next_week().strftime("%Y-%m-%dT%H:%M"),
        }
        return reverse("appeals:reception_add"), data
    if text == "title":
        return reverse("members:ceremony_new"), {"node": p1.pk, "held_on": today}
    if text == "reason":
        data = {
            "node": p1.pk,
            "award": AwardType.objects.get(code="letter-of-thanks").pk,
            "citizen_name": "Z",
            "conferred_on": today,
            "conferring_body": "Bureau",
        }
        return reverse("members:conferral_new"), data
    person = cast["members"]["P1"]
    return reverse("members:case_open", args=[person.pk]), {"opened_on": today}


REQUIRED_MESSAGES = {
    "position": "Give the position in at least one language.",
    "place": "Give the place in at least one language.",
    "title": "Name the occasion in at least one language.",
    "reason": "Say what the award is for, in at least one language.",
    "grounds": "Describe the grounds in at least one language.",
}
MODELS = {
    "position": Official,
    "place": Reception,
    "title": Ceremony,
    "reason": Conferral,
    "grounds": DisciplineCase,
}


@pytest.mark.parametrize("text", list(REQUIRED_MESSAGES))
def test_a_form_with_the_text_in_no_language_is_refused(client, cast, text):
    client.force_login(cast["users"]["national_admin"])
    url, data = page_form(cast, text)
    count = MODELS[text].objects.count()
    blank = {f"{text}_{lang}": "  " for lang in LANGUAGES}
    response = client.post(url, {**data, **blank})
    assert response.status_code == 200
    assert response.context["form"].errors == {f"{text}_kk": [REQUIRED_MESSAGES[text]]}
    assert MODELS[text].objects.count() == count


def create_through_service(cast, text, **texts):
    """Create a record with the given texts through its service, as other code and the cast do."""
    admin = cast["users"]["national_admin"]
    d1, p1 = cast["nodes"]["D1"], cast["nodes"]["P1"]
    if text == "position":
        return official_create(actor=admin, full_name="S", kind="deputy", node=d1, **texts)
    if text == "place":
        official = official_create(actor=admin, full_name="S", kind="deputy", node=d1, position="D")
        return reception_schedule(
            actor=admin,
            official=official,
            node=d1,
            format=regular_format(),
            starts_at=next_week(),
            **texts,
        )
    if text == "title":
        return ceremony_create(actor=admin, node=p1, data={"held_on": date(2026, 12, 16), **texts})
    if text == "reason":
        data = {
            "award": AwardType.objects.get(code="letter-of-thanks"),
            "citizen_name": "S",
            "conferred_on": timezone.localdate(),
            "conferring_body": "Bureau",
            **texts,
        }
        return conferral_create(actor=admin, node=p1, data=data)
    return case_open(
        actor=admin, person=cast["members"]["P1"], opened_on=timezone.localdate(), **texts
    )


@pytest.mark.parametrize("text", list(REQUIRED_MESSAGES))
def test_the_services_refuse_a_text_in_no_language(cast, text):
    blank = {text: " ", **{f"{text}_{lang}": "\t" for lang in LANGUAGES}}
    count = MODELS[text].objects.count()
    with pytest.raises(ValidationError) as refused:
        create_through_service(cast, text, **blank)
    assert refused.value.message_dict[text] == [REQUIRED_MESSAGES[text]]
    assert MODELS[text].objects.count() == count


@pytest.mark.parametrize("text", list(REQUIRED_MESSAGES))
def test_a_plain_text_given_to_a_service_is_kept_in_the_active_language(cast, text):
    """Callers that give `position="..."` as before still work: the text is the active
    language's, trimmed."""
    with translation.override("ru"):
        record = create_through_service(cast, text, **{text: "  Текст на русском  "})
    stored = (
        MODELS[text]
        .objects.filter(pk=record.pk)
        .values_list(f"{text}_kk", f"{text}_ru", f"{text}_en")
    )
    assert list(stored) == [("", "Текст на русском", "")]


# The API's create calls: the address and the body without the text.
def api_body(cast, text):
    d1, p1 = cast["nodes"]["D1"], cast["nodes"]["P1"]
    today = timezone.localdate().isoformat()
    if text == "position":
        return "api:official-list", {"full_name": "A", "kind": "deputy", "node": d1.pk}
    if text == "place":
        official = official_create(
            actor=cast["users"]["national_admin"],
            full_name="A",
            kind="deputy",
            node=d1,
            position_en="Deputy",
        )
        body = {
            "official": official.pk,
            "node": d1.pk,
            "format": "regular",
            "starts_at": "2026-12-20T10:00:00+05:00",
        }
        return "api:reception-list", body
    if text == "title":
        return "api:ceremony-list", {"node": p1.pk, "held_on": today}
    if text == "reason":
        body = {
            "node": p1.pk,
            "award": AwardType.objects.get(code="letter-of-thanks").pk,
            "citizen_name": "A",
            "conferred_on": today,
            "conferring_body": "Bureau",
        }
        return "api:conferral-list", body
    return "api:case-list", {"person": cast["members"]["P1"].pk, "opened_on": today}


@pytest.mark.parametrize("text", list(REQUIRED_MESSAGES))
def test_the_api_takes_a_plain_text_as_the_request_language_as_before(cast, text):
    client = token_client(cast["users"]["national_admin"], "ru")
    url, body = api_body(cast, text)
    response = client.post(reverse(url), {**body, text: "Текст"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()[text] == "Текст"
    assert [response.json()[f"{text}_{lang}"] for lang in LANGUAGES] == ["", "Текст", ""]
    stored = MODELS[text].objects.filter(pk=response.json()["id"])
    assert list(stored.values_list(f"{text}_kk", f"{text}_ru", f"{text}_en")) == [("", "Текст", "")]


@pytest.mark.parametrize("text", list(REQUIRED_MESSAGES))
def test_the_api_takes_the_text_per_language(cast, text):
    client = token_client(cast["users"]["national_admin"], "ru")
    url, body = api_body(cast, text)
    given = {f"{text}_kk": "Қазақша", f"{text}_en": "In English"}
    response = client.post(reverse(url), {**body, **given}, format="json")
    assert response.status_code == 201, response.json()
    # A Russian reader falls back to Kazakh before English.
    assert response.json()[text] == "Қазақша"
    stored = MODELS[text].objects.filter(pk=response.json()["id"])
    assert list(stored.values_list(f"{text}_kk", f"{text}_ru", f"{text}_en")) == [
        ("Қазақша", "", "In English")
    ]


@pytest.mark.parametrize("text", list(REQUIRED_MESSAGES))
def test_the_api_refuses_a_text_in_no_language(cast, text):
    client = token_client(cast["users"]["national_admin"], "en")
    url, body = api_body(cast, text)
    count = MODELS[text].objects.count()
    blank = {text: "", **{f"{text}_{lang}": " " for lang in LANGUAGES}}
    response = client.post(reverse(url), {**body, **blank}, format="json")
    assert response.status_code == 400
    assert response.json() == {text: [REQUIRED_MESSAGES[text]]}
    assert MODELS[text].objects.count() == count


def test_the_schema_describes_each_language(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    expected = {
        "Official": ["position"],
        "Reception": ["place"],
        "Ceremony": ["title", "place"],
        "Conferral": ["reason"],
        "Case": ["grounds"],
    }
    for component, texts in expected.items():
        properties = components[component]["properties"]
        for text in texts:
            for name in (text, f"{text}_kk", f"{text}_ru", f"{text}_en"):
                assert properties[name]["type"] == "string", (component, name)


def test_the_audit_snapshot_keeps_each_language(client, cast):
    client.force_login(cast["users"]["national_admin"])
    official, _pages, _api = enter(client, cast, "position", {"kk", "en"})
    event = AuditEvent.objects.get(object_type="appeals.official", object_id=str(official.pk))
    assert event.action == "create"
    texts = {k: v for k, v in event.after.items() if k.startswith("position")}
    assert texts == {
        "position_kk": "Аудан әкімінің орынбасары",
        "position_ru": "",
        "position_en": "Deputy akim of the district",
    }


@pytest.mark.parametrize(("reader", "expected"), [("kk", "kk"), ("ru", "ru"), ("en", "ru")])
def test_the_figures_name_the_position_in_the_readers_language(cast, reader, expected):
    official = create_through_service(
        cast,
        "position",
        position_kk=TEXTS["position"]["kk"],
        position_ru=TEXTS["position"]["ru"],
    )
    client = token_client(cast["users"]["national_admin"], reader)
    query = {"node": cast["nodes"]["D1"].pk, "start": "2026-01-01", "end": "2026-11-30"}
    officials = client.get(reverse("api:appeal-figures"), query).json()["officials"]
    row = next(o for o in officials if o["id"] == official.pk)
    assert row["position"] == TEXTS["position"][expected]


# -- the migrations that moved the texts written before ----------------------------------------

APPEALS_MIGRATION = "tamyr.appeals.migrations.0005_texts_per_language"
MEMBERS_MIGRATION = "tamyr.members.migrations.0006_texts_per_language"


def migration(module: str):
    return importlib.import_module(module)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Мәслихат депутаты", "kk"),
        ("Сарыарқа ауданы әкімдігі", "kk"),
        ("ІІ кезең", "kk"),
        ("Депутат маслихата", "ru"),
        ("Зал заседаний, 2-й этаж", "ru"),
        ("Приёмная партии «Amanat»", "ru"),
        ("Deputy of the maslikhat", "en"),
        ("Office 12, 33 Abay Avenue", "en"),
        ("Amanat party office, Қонаев көшесі", "en"),
        # No letters, or as many Latin as Cyrillic ones: the default column's language.
        ("№ 12", "kk"),
        ("12:00–14:00", "kk"),
        ("", "kk"),
        ("Abc Абв", "kk"),
    ],
)
def test_the_migration_tells_the_language_by_the_letters(text, language):
    # Both migrations move texts with core.translated's function, which asks language_of.
    assert language_of(text, "kk") == language


def test_an_unsure_text_stays_in_the_default_language_given():
    assert language_of("№ 12", "ru") == "ru"


def historical_apps(app: str, name: str):
    """Return the models as they stood right after the migration."""
    return MigrationLoader(connection).project_state((app, name)).apps


# Texts as they stood in the one-language column, and the column each belongs in after.
BEFORE = [
    ("Аудан әкімінің орынбасары", "kk"),
    ("Заместитель акима района", "ru"),
    ("Deputy akim of the district", "en"),
    ("№ 7", "kk"),
]


def written_before(model, field: str, pk: int, text: str) -> None:
    """Put a row back as the migration found it: the one-language column only."""
    empty = {f"{field}_{lang}": None for lang in LANGUAGES}
    model.objects.filter(pk=pk).update(**{field: text, **empty})


def columns(model, field: str, pk: int) -> tuple:
    return model.objects.filter(pk=pk).values_list(*(f"{field}_{lang}" for lang in LANGUAGES)).get()


def expected_columns(text: str, language: str) -> tuple:
    return tuple(text if lang == language else "" for lang in LANGUAGES)


def test_the_appeals_migration_moves_positions_and_places_into_their_language(cast):
    apps = historical_apps("appeals", "0005_texts_per_language")
    old_official = apps.get_model("appeals", "Official")
    old_reception = apps.get_model("appeals", "Reception")
    rows = []
    for text, language in BEFORE:
        reception = create_through_service(cast, "place", place_en="x")
        written_before(old_official, "position", reception.official_id, text)
        written_before(old_reception, "place", reception.pk, text)
        rows.append((reception.official_id, reception.pk, text, language))
    migration(APPEALS_MIGRATION).move_texts(apps, None)
    for official_pk, reception_pk, text, language in rows:
        assert columns(old_official, "position", official_pk) == expected_columns(text, language)
        assert columns(old_reception, "place", reception_pk) == expected_columns(text, language)
    # Read through today's model, the reader's fallback shows the moved text in every language.
    official = Official.objects.get(pk=rows[1][0])
    for reader in LANGUAGES:
        with translation.override(reader):
            assert official.position == "Заместитель акима района"


def test_the_members_migration_moves_titles_places_reasons_and_grounds(cast):
    apps = historical_apps("members", "0006_texts_per_language")
    models = {
        name: apps.get_model("members", name)
        for name in ("Ceremony", "Conferral", "DisciplineCase")
    }
    rows = []
    for text, language in BEFORE:
        ceremony = create_through_service(cast, "title", title_en="x")
        conferral = create_through_service(cast, "reason", reason_en="x")
        case = create_through_service(cast, "grounds", grounds_en="x")
        for model, field, pk in (
            (models["Ceremony"], "title", ceremony.pk),
            (models["Ceremony"], "place", ceremony.pk),
            (models["Conferral"], "reason", conferral.pk),
            (models["DisciplineCase"], "grounds", case.pk),
        ):
            written_before(model, field, pk, text)
            rows.append((model, field, pk, text, language))
    migration(MEMBERS_MIGRATION).move_texts(apps, None)
    for model, field, pk, text, language in rows:
        assert columns(model, field, pk) == expected_columns(text, language), (field, text)


# -- reference data ---------------------------------------------------------------------------

# Every model with translated fields, and whether it is reference data (named by the project in
# all three languages) or texts that staff type (one language or more).
TRANSLATED_MODELS = {
    "appeals.appealtype": "reference",
    "appeals.topic": "reference",
    "appeals.receptionformat": "reference",
    "members.awardtype": "reference",
    "orgs.node": "typed",
    "appeals.official": "typed",
    "appeals.reception": "typed",
    "members.ceremony": "typed",
    "members.conferral": "typed",
    "members.disciplinecase": "typed",
}

# code: (kk, ru, en). Each line says the same thing three times.
APPEAL_TYPES = {
    "appeal": ("Өтініш", "Заявление", "Application"),
    "complaint": ("Шағым", "Жалоба", "Complaint"),
    "proposal": ("Ұсыныс", "Предложение", "Proposal"),
    # The Administrative Procedural Code's "ден қою" is the Russian "отклик", a response;
    # "сұрау салу" would be "запрос", a request.
    "response": ("Ден қою", "Отклик", "Response"),
}
TOPICS = {
    "business": ("Кәсіпкерлікті қолдау", "Поддержка предпринимательства", "Business support"),
    "ecology": ("Экология", "Экология", "Environment"),
    "education": ("Білім беру", "Образование", "Education"),
    "employment": ("Жұмыспен қамту", "Трудоустройство", "Employment"),
    "health": ("Денсаулық сақтау", "Здравоохранение", "Health care"),
    "housing": (
        "Тұрғын үй және коммуналдық шаруашылық",
        "ЖКХ и жильё",
        "Housing and utilities",
    ),
    "land": ("Жер қатынастары", "Земельные отношения", "Land relations"),
    "law": ("Құқық тәртібі және соттар", "Правопорядок и суды", "Law and order, courts"),
    "other": ("Басқа", "Другое", "Other"),
    "roads": ("Жолдар және көлік", "Дороги и транспорт", "Roads and transport"),
    "social": ("Әлеуметтік қорғау", "Социальная защита", "Social protection"),
}
RECEPTION_FORMATS = {
    "family_week": (
        "«Отбасын қолдау апталығы»",
        "«Неделя поддержки семьи»",
        "“Family support week”",
    ),
    "justice_advises": ("«Әділет кеңес береді»", "«Юстиция консультирует»", "“Justice advises”"),
    "office_on_the_road": ("«Жолдағы кеңсе»", "«Офис в пути»", "“Office on the road”"),
    "regular": ("Жоспарлы қабылдау", "Плановый приём", "Scheduled reception"),
}
AWARD_TYPES = {
    "active-work-badge": (
        "«Белсенді жұмысы үшін» төсбелгісі",
        "Нагрудный знак «За активную работу»",
        'Badge "For active work"',
    ),
    "certificate-of-honour": ("Құрмет грамотасы", "Почётная грамота", "Certificate of Honour"),
    "letter-of-thanks": ("Алғыс хат", "Благодарственное письмо", "Letter of thanks"),
    "peoples-gratitude-medal": (
        "«Халық алғысы» медалі",
        "Медаль «Народная благодарность»",
        'Medal "People\'s gratitude"',
    ),
}
REFERENCE = {
    AppealType: APPEAL_TYPES,
    Topic: TOPICS,
    ReceptionFormat: RECEPTION_FORMATS,
    AwardType: AWARD_TYPES,
}


def names(model) -> dict[str, tuple[str, str, str]]:
    rows = model.objects.values_list("code", "name_kk", "name_ru", "name_en")
    return {code: (kk, ru, en) for code, kk, ru, en in rows}


def test_every_translated_model_is_known_as_reference_data_or_typed_texts():
    registered = {model._meta.label_lower for model in translator.get_registered_models()}
    assert registered == set(TRANSLATED_MODELS)
    reference = {m._meta.label_lower for m in REFERENCE}
    assert reference == {k for k, v in TRANSLATED_MODELS.items() if v == "reference"}


@pytest.mark.django_db
def test_every_reference_item_is_named_in_all_three_languages():
    for model in REFERENCE:
        unnamed = [
            (model.__name__, code, LANGUAGES[i])
            for code, three in names(model).items()
            for i, name in enumerate(three)
            if not (name or "").strip()
        ]
        assert unnamed == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(REFERENCE), ids=lambda m: m.__name__)
def test_the_reference_names_are_the_ones_written_here(model):
    assert names(model) == REFERENCE[model]


@pytest.mark.django_db
def test_the_appeal_type_response_says_response_in_every_language():
    assert names(AppealType)["response"] == ("Ден қою", "Отклик", "Response")


def test_the_admin_asks_for_every_language_of_reference_data():
    for model in REFERENCE:
        for lang in LANGUAGES:
            assert model._meta.get_field(f"name_{lang}").blank is False, (model, lang)
    assert Official._meta.get_field("position_ru").blank is True


# -- the generators ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_generators_write_every_text_in_all_three_languages():
    from tamyr.core.generator.appeals import AppealGenerator
    from tamyr.core.generator.nation import NationGenerator

    today = date(2026, 3, 2)
    NationGenerator(scale="demo", seed=3, prefix="TR-", today=today).generate()
    AppealGenerator(per_year=5, years=1, seed=3, today=today).generate()
    generated = {
        "position": Official.objects.filter(node__code__startswith="TR-"),
        "place": Reception.objects.filter(node__code__startswith="TR-"),
        "title": Ceremony.objects.filter(node__code__startswith="TR-"),
        "reason": Conferral.objects.filter(node__code__startswith="TR-"),
        "grounds": DisciplineCase.objects.filter(ppo__code__startswith="TR-"),
    }
    expected = {
        "position": {
            ("Мәслихат депутаты", "Депутат маслихата", "Deputy of the maslikhat"),
            (
                "Аудан әкімінің орынбасары",
                "Заместитель акима района",
                "Deputy akim of the district",
            ),
            (
                "Әлеуметтік қорғау бөлімінің басшысы",
                "Руководитель отдела социальной защиты",
                "Head of the social protection department",
            ),
        },
        "place": {
            (
                "Партияның қоғамдық қабылдау бөлмесі",
                "Общественная приёмная партии",
                "The party's public reception office",
            )
        },
        "reason": {("Белсенді жұмысы үшін", "За активную работу", "For active work")},
        "grounds": {
            (
                "Партия жарғысын өрескел бұзу",
                "Грубое нарушение устава партии",
                "A gross breach of the party's charter",
            ),
            (
                "Партиялық тәртіпті бұзу",
                "Нарушение партийной дисциплины",
                "A breach of party discipline",
            ),
        },
    }
    for field, rows in generated.items():
        assert rows.exists(), field
        three = set(rows.values_list(f"{field}_kk", f"{field}_ru", f"{field}_en"))
        # A small nation may draw no case of one kind: each text drawn is one written here.
        if field in expected:
            assert three <= expected[field], field
    # A ceremony is named after its district in each language.
    for ceremony in generated["title"].select_related("node"):
        district = ceremony.node
        assert (ceremony.title_kk, ceremony.title_ru, ceremony.title_en) == (
            f"{district.name_kk}: марапаттау рәсімі",
            f"{district.name_ru}: церемония награждения",
            f"{district.name_en}: award ceremony",
        )
        assert (ceremony.place_kk, ceremony.place_ru, ceremony.place_en) == (
            district.name_kk,
            district.name_ru,
            district.name_en,
        )
