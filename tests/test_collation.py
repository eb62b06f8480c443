"""Names sort in the reader's alphabet (issue 9, point 2.13): Kazakh order for kk, Russian for
ru, English (Latin first) for en, on SQLite as on PostgreSQL.

The expected orders are written out; they are ICU's (PostgreSQL's "kk-x-icu", "ru-x-icu" and
"en-x-icu" sorted them), not worked out by the code under test. By code point, as before,
"Ёлкин" and "Ізбасаров" came first, "Ғабдуллаева", "Әлиев" and "Өмірбеков" last.
"""

import csv
import io
from datetime import date
from itertools import count

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tamyr.appeals.receptions import official_create
from tamyr.core.generator import names as generated
from tamyr.members.awards import ceremony_create, conferral_create
from tamyr.members.iin import make_iin
from tamyr.members.models import AwardType, Person
from tamyr.members.services import member_register
from tamyr.orgs import access
from tamyr.orgs.models import NodeKind, Role
from tamyr.orgs.services import node_create, staff_role_grant
from tests.clock import A_WORKING_MORNING

# Its data carries fixed dates: they keep their distance from "today" on every day it runs.
pytestmark = pytest.mark.time_machine(A_WORKING_MORNING, tick=False)

# (surname, name, patronymic)
PEOPLE = [
    ("Ізбасаров", "Нұрлан", ""),
    ("Ғабдуллаева", "Айгүл", ""),
    ("Юсупова", "Мария", ""),
    ("Әлиев", "Тимур", ""),
    ("Абаев", "Ерлан", "Серікұлы"),
    ("Абаев", "Ерлан", "Әбенұлы"),
    ("Абаев", "Әділ", ""),
    ("Өмірбеков", "Дәулет", ""),
    ("Оспанов", "Бауыржан", ""),
    ("Қасымов", "Арман", ""),
    ("Кенжебаев", "Серік", ""),
    ("Ұлықбек", "Асқар", ""),
    ("Үсенов", "Ғалым", ""),
    ("Ушаков", "Игорь", ""),
    ("Һашимов", "Рустам", ""),
    ("Хасенов", "Марат", ""),
    ("Цой", "Виктор", ""),
    ("Ismailov", "Ruslan", ""),
    ("Smith", "John", ""),
    ("Шәріпов", "Ербол", ""),
    ("Ярошенко", "Ольга", ""),
    ("Ёлкин", "Павел", ""),
    ("Ежов", "Андрей", ""),
    ("Ермеков", "Талғат", ""),
    ("Иванов", "Сергей", ""),
    ("Йорданов", "Пётр", ""),
    ("Ыбыраев", "Жандос", ""),
    ("Эминов", "Азамат", ""),
    ("Ким-Ли", "Анна", ""),
    ("Кимбаев", "Данияр", ""),
    ("van Dijk", "Pieter", ""),
    ("Vance", "Emily", ""),
    ("Öztürk", "Mehmet", ""),
    ("Ortega", "Luis", ""),
    ("Zhaksylyk", "Aruzhan", ""),
]

# Kazakh: А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я,
# then Latin. A hyphen sorts before any letter ("Ким-Ли" before "Кимбаев"), a space before a
# hyphen, and case counts only between otherwise equal names ("van Dijk" before "Vance").
KAZAKH_ORDER = [
    "Абаев Әділ",
    "Абаев Ерлан Әбенұлы",
    "Абаев Ерлан Серікұлы",
    "Әлиев Тимур",
    "Ғабдуллаева Айгүл",
    "Ежов Андрей",
    "Ермеков Талғат",
    "Ёлкин Павел",
    "Иванов Сергей",
    "Йорданов Пётр",
    "Кенжебаев Серік",
    "Ким-Ли Анна",
    "Кимбаев Данияр",
    "Қасымов Арман",
    "Оспанов Бауыржан",
    "Өмірбеков Дәулет",
    "Ушаков Игорь",
    "Ұлықбек Асқар",
    "Үсенов Ғалым",
    "Хасенов Марат",
    "Һашимов Рустам",
    "Цой Виктор",
    "Шәріпов Ербол",
    "Ыбыраев Жандос",
    "Ізбасаров Нұрлан",
    "Эминов Азамат",
    "Юсупова Мария",
    "Ярошенко Ольга",
    "Ismailov Ruslan",
    "Ortega Luis",
    "Öztürk Mehmet",
    "Smith John",
    "van Dijk Pieter",
    "Vance Emily",
    "Zhaksylyk Aruzhan",
]

# Russian: Kazakh letters after their base letters (І after И, Ү before Ұ), Ё as Е.
RUSSIAN_ORDER = [
    "Абаев Әділ",
    "Абаев Ерлан Әбенұлы",
    "Абаев Ерлан Серікұлы",
    "Әлиев Тимур",
    "Ғабдуллаева Айгүл",
    "Ежов Андрей",
    "Ёлкин Павел",
    "Ермеков Талғат",
    "Иванов Сергей",
    "Ізбасаров Нұрлан",
    "Йорданов Пётр",
    "Кенжебаев Серік",
    "Ким-Ли Анна",
    "Кимбаев Данияр",
    "Қасымов Арман",
    "Оспанов Бауыржан",
    "Өмірбеков Дәулет",
    "Ушаков Игорь",
    "Үсенов Ғалым",
    "Ұлықбек Асқар",
    "Хасенов Марат",
    "Һашимов Рустам",
    "Цой Виктор",
    "Шәріпов Ербол",
    "Ыбыраев Жандос",
    "Эминов Азамат",
    "Юсупова Мария",
    "Ярошенко Ольга",
    "Ismailov Ruslan",
    "Ortega Luis",
    "Öztürk Mehmet",
    "Smith John",
    "van Dijk Pieter",
    "Vance Emily",
    "Zhaksylyk Aruzhan",
]

# English: Latin first, then Cyrillic in the same order as Russian.
ENGLISH_ORDER = [
    "Ismailov Ruslan",
    "Ortega Luis",
    "Öztürk Mehmet",
    "Smith John",
    "van Dijk Pieter",
    "Vance Emily",
    "Zhaksylyk Aruzhan",
    "Абаев Әділ",
    "Абаев Ерлан Әбенұлы",
    "Абаев Ерлан Серікұлы",
    "Әлиев Тимур",
    "Ғабдуллаева Айгүл",
    "Ежов Андрей",
    "Ёлкин Павел",
    "Ермеков Талғат",
    "Иванов Сергей",
    "Ізбасаров Нұрлан",
    "Йорданов Пётр",
    "Кенжебаев Серік",
    "Ким-Ли Анна",
    "Кимбаев Данияр",
    "Қасымов Арман",
    "Оспанов Бауыржан",
    "Өмірбеков Дәулет",
    "Ушаков Игорь",
    "Үсенов Ғалым",
    "Ұлықбек Асқар",
    "Хасенов Марат",
    "Һашимов Рустам",
    "Цой Виктор",
    "Шәріпов Ербол",
    "Ыбыраев Жандос",
    "Эминов Азамат",
    "Юсупова Мария",
    "Ярошенко Ольга",
]

ORDERS = {"kk": KAZAKH_ORDER, "ru": RUSSIAN_ORDER, "en": ENGLISH_ORDER}


@pytest.fixture
def ppo(cast):
    """A PPO of its own under district D1, holding the people above."""
    root = cast["users"]["root"]
    node = node_create(
        actor=root,
        parent=cast["nodes"]["D1"],
        data={
            "kind": NodeKind.PRIMARY,
            "code": "ABC",
            "name_kk": "Әліппе БҰҰ",
            "name_ru": "ППО Алфавит",
            "name_en": "Alphabet PPO",
            "opened_on": date(2001, 1, 1),
        },
    )
    serials = count(300)
    for i, (surname, given_name, patronymic) in enumerate(PEOPLE):
        birth = date(1970 + i, 1 + i % 12, 1 + i % 28)
        iin = next(i for s in serials if (i := make_iin(birth, "m", s)))
        member_register(
            actor=root,
            ppo=node,
            person_data={
                "surname": surname,
                "given_name": given_name,
                "patronymic": patronymic,
                "iin": iin,
                "gender": "m",
                "birth_date": birth,
                "phone": "",
                "address": "",
                "sector": "education",
                "education": "higher",
            },
            membership_data={"admitted_on": date(2015, 3, 1)},
        )
    return node


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_member_list_sorts_names_in_the_readers_alphabet(client, cast, ppo, language, settings):
    settings.TAMYR_PAGE_SIZE = 100
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(cast["users"]["district_secretary"])

    response = client.get(reverse("members:list"), {"node": ppo.pk})

    assert response.status_code == 200
    assert [p.full_name for p in response.context["page"]] == ORDERS[language]


def test_the_member_search_keeps_the_alphabet(client, cast, ppo, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    client.force_login(cast["users"]["district_secretary"])

    response = client.get(reverse("members:list"), {"node": ppo.pk, "q": "ов"})

    assert [p.surname for p in response.context["page"]] == [
        "Ежов",
        "Ермеков",
        "Иванов",
        "Йорданов",
        "Қасымов",
        "Оспанов",
        "Өмірбеков",
        "Ушаков",
        "Үсенов",
        "Хасенов",
        "Һашимов",
        "Шәріпов",
        "Ізбасаров",
        "Эминов",
        "Юсупова",
    ]


def test_a_search_by_iin_keeps_the_alphabet(client, cast, ppo, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    client.force_login(cast["users"]["district_secretary"])

    # The first ten were born in the 1970s: their IINs begin with 7.
    response = client.get(reverse("members:list"), {"node": ppo.pk, "q": "7"})

    assert [p.full_name for p in response.context["page"]] == [
        "Абаев Әділ",
        "Абаев Ерлан Әбенұлы",
        "Абаев Ерлан Серікұлы",
        "Әлиев Тимур",
        "Ғабдуллаева Айгүл",
        "Қасымов Арман",
        "Оспанов Бауыржан",
        "Өмірбеков Дәулет",
        "Ізбасаров Нұрлан",
        "Юсупова Мария",
    ]


def test_the_member_export_sorts_in_the_readers_alphabet(client, cast, ppo, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    client.force_login(cast["users"]["district_secretary"])

    response = client.get(reverse("members:export"), {"node": ppo.pk})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [" ".join(p for p in row[:3] if p) for row in rows] == KAZAKH_ORDER


def test_the_members_api_sorts_in_the_readers_alphabet(cast, ppo):
    api = APIClient()
    token = Token.objects.create(user=cast["users"]["district_secretary"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    rows = api.get(reverse("api:member-list"), {"node": ppo.pk}, HTTP_ACCEPT_LANGUAGE="ru").json()

    rows = rows["results"] if isinstance(rows, dict) else rows
    names = [
        " ".join(p for p in (r["surname"], r["given_name"], r["patronymic"]) if p) for r in rows
    ]
    assert names == RUSSIAN_ORDER


def test_the_executor_menu_is_sorted_in_each_language_from_one_cached_entry(cast):
    """The menu is cached once for all languages: each language's list has its own order."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    root = cast["users"]["root"]
    staff = {}
    for last_name in ("Ізбасарова", "Ыбыраева", "Иванова", "Әбенова", "Ермекова", "Ёлкина"):
        user = get_user_model().objects.create_user(
            f"staff-{len(staff)}", first_name="Айгүл", last_name=last_name
        )
        staff_role_grant(
            actor=root,
            user=user,
            role=Role.RECEPTION_OPERATOR,
            node=cast["nodes"]["D1"],
            valid_from=date(2020, 1, 1),
        )
        staff[user.pk] = last_name
    secretary = cast["users"]["district_secretary"]

    def menu(language):
        with translation.override(language):
            return [staff[pk] for pk, _label in access.appeal_staff_menu(secretary) if pk in staff]

    # Russian fills the cache; Kazakh is read from the same entry.
    assert menu("ru") == ["Әбенова", "Ёлкина", "Ермекова", "Иванова", "Ізбасарова", "Ыбыраева"]
    assert menu("kk") == ["Әбенова", "Ермекова", "Ёлкина", "Иванова", "Ыбыраева", "Ізбасарова"]
    # The assignment form's choices come from the database in the reader's order.
    with translation.override("kk"):
        chosen = [
            staff[u.pk] for u in access.staff_for_appeals(cast["nodes"]["P1"]) if u.pk in staff
        ]
    assert chosen == ["Әбенова", "Ермекова", "Ёлкина", "Иванова", "Ыбыраева", "Ізбасарова"]


def test_the_officials_page_sorts_by_name_in_the_readers_alphabet(client, cast, settings):
    admin = cast["users"]["national_admin"]
    made = set()
    for full_name in ("Ізтілеуов Ғани", "Ыдырысов Марат", "Ғалиев Нұрбол", "Әлімов Қайрат"):
        official = official_create(
            actor=admin,
            full_name=full_name,
            position="Депутат",
            kind="deputy",
            node=cast["nodes"]["D1"],
        )
        made.add(official.pk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    client.force_login(cast["users"]["district_secretary"])

    page = client.get(reverse("appeals:officials")).context["page"]

    assert [o.full_name for o in page if o.pk in made] == [
        "Әлімов Қайрат",
        "Ғалиев Нұрбол",
        "Ыдырысов Марат",
        "Ізтілеуов Ғани",
    ]


def test_the_ceremony_list_reads_members_and_citizens_together_by_name(client, cast, ppo, settings):
    root = cast["users"]["root"]
    award = AwardType.objects.get(code="letter-of-thanks")
    ceremony = ceremony_create(
        actor=root, node=ppo, data={"held_on": date(2024, 12, 1), "title": "Марапаттау"}
    )
    members = {p.surname: p for p in Person.objects.filter(ppo=ppo)}
    recipients = [
        {"person": members["Ізбасаров"]},
        {"citizen_name": "Ыбыраева Гүлнар"},
        {"person": members["Әлиев"]},
        {"citizen_name": "Ғазизов Болат"},
        {"person": members["Ярошенко"]},
    ]
    for recipient in recipients:
        conferral_create(
            actor=root,
            node=ppo,
            data={
                **recipient,
                "award": award,
                "conferred_on": date(2024, 12, 1),
                "conferring_body": "Бюро",
                "reason": "Белсенділігі үшін",
                "ceremony": ceremony,
            },
        )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    client.force_login(cast["users"]["district_secretary"])

    conferrals = client.get(reverse("members:ceremony", args=[ceremony.pk])).context["conferrals"]

    assert [c.recipient_name for c in conferrals] == [
        "Әлиев Тимур",
        "Ғазизов Болат",
        "Ыбыраева Гүлнар",
        "Ізбасаров Нұрлан",
        "Ярошенко Ольга",
    ]


# Names of every kind the registry holds, and the edge cases of punctuation and case.
EDGE_CASES = [
    "Ақ жол",
    "Ақ-Жол",
    "Ақан",
    "ақбота",
    "Ақбота",
    "Мұхамедиев",
    "Мұхамедиева-Ли",
    "Мұхамедиева",
    "Ли",
    "Ли Ен Хо",
    "O'Brien",
    "Obama",
    "O’Neil",
    "van der Berg",
    "Van Dyke",
    "d'Artagnan",
    "Dart",
    "Åström",
    "Ahlberg",
    "Łukasz",
    "Lukas",
    "Müller",
    "Mueller",
    "Muller",
    "Şahin",
    "Sahin",
    "İnce",
    "Ince",
    "ınce",
    "Ёлкин",
    "Елкин",
    "ёлкин",
    "Ґалушко",
    "Галушко",
    "Її",
    "Ии",
    "Ўрунов",
    "Урунов",
    "Әбу-Бәкір",
    "Әбубәкір",
    "Нұр Ислам",
    "Нұрислам",
    "Нұр-Ислам",
    "Ким 2",
    "Ким 10",
    "Ким.",
    "Kim",
    "KIM",
    "kim",
    "Sørensen",
    "Sorensen",
    "Straße",
    "Strasse",
]


def _registry_names():
    """Yield the surnames, names and patronymics the generator gives people."""
    for stem in generated.KAZAKH_STEMS_OV:
        yield from (stem + "ов", stem + "ова")
    for stem in generated.KAZAKH_STEMS_EV:
        yield from (stem + "ев", stem + "ева")
    for pair in (*generated.RUSSIAN_SURNAMES, *generated.OTHER_SURNAMES):
        yield from pair
    yield from generated.KAZAKH_MALE
    yield from generated.KAZAKH_FEMALE
    yield from generated.RUSSIAN_MALE
    yield from generated.RUSSIAN_FEMALE
    for father in generated.KAZAKH_FATHERS:
        yield from (father + "ұлы", father + "қызы")
    for stem, son, daughter in (*generated.KAZAKH_FATHERS_RU, *generated.RUSSIAN_FATHERS):
        yield from (stem + son, stem + daughter)


ICU_ORDER = {
    "kk": 'SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "kk-x-icu"',
    "ru": 'SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "ru-x-icu"',
    "en": 'SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "en-x-icu"',
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's ICU")
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_sqlite_key_agrees_with_postgresqls_icu(db, language):
    """SQLite sorts with our key, PostgreSQL with ICU: both must give one order."""
    from tamyr.core.collation import check_collations, sort_key

    names = sorted(set(_registry_names()) | set(EDGE_CASES))
    assert len(names) > 300
    with connection.cursor() as cursor:
        cursor.execute(ICU_ORDER[language], [names])
        icu_order = [row[0] for row in cursor.fetchall()]

    assert sorted(names, key=lambda n: sort_key(n, language)) == icu_order
    assert check_collations(databases=["default"]) == []
