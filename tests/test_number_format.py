"""Figures are written as each language writes them; ids in addresses and forms never are."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from tamyr.members.models import Person
from tamyr.orgs.models import Node, NodeKind
from tamyr.orgs.services import node_create
from tests.clock import A_WORKING_MORNING

# Its data carries fixed dates: they keep their distance from "today" on every day it runs.
pytestmark = pytest.mark.time_machine(A_WORKING_MORNING, tick=False)


def grouped(n, language):
    """Write n as kk and ru official documents group thousands (a non-breaking space) and as
    English does (a comma): independently of Django's formats."""
    return f"{n:,}".replace(",", "," if language == "en" else "\xa0")


EXTRA = 1234  # people added to P1; the cast has one active member in each of HQ's 5 PPOs


def _client(user, language):
    client = Client()
    client.force_login(user)
    client.cookies["tamyr_language"] = language
    return client


def _add_people(ppo, count):
    Person.objects.bulk_create(
        Person(
            surname=f"Сандық{i}",
            given_name="Әсет",
            iin=f"9{i:011d}",
            gender="m",
            birth_date=date(1990, 1, 1),
            sector="education",
            education="higher",
            ppo=ppo,
            status="active",
            search_name=f"сандық{i} әсет",
        )
        for i in range(count)
    )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_home_page_groups_thousands_as_the_reader_writes_them(cast, language):
    _add_people(cast["nodes"]["P1"], EXTRA)
    # Counted directly: the figure the card must show.
    active = Person.objects.filter(
        status="active", ppo__path__startswith=cast["nodes"]["HQ"].path
    ).count()
    assert active == 1239
    html = _client(cast["users"]["national_admin"], language).get("/").content.decode()
    assert f"<dd>{grouped(active, language)}</dd>" in html
    assert ">1239<" not in html


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_member_list_count_groups_thousands(cast, language):
    _add_people(cast["nodes"]["P1"], EXTRA)
    html = (
        _client(cast["users"]["national_admin"], language)
        .get("/members/", {"node": cast["nodes"]["HQ"].pk})
        .content.decode()
    )
    # Applicants (no registration yet) are listed with the applications, not here.
    counted = (
        Person.objects.filter(ppo__path__startswith=cast["nodes"]["HQ"].path)
        .exclude(status="")
        .count()
    )
    assert counted > 1000
    assert grouped(counted, language) in html
    assert str(counted) not in html


def _jump_sequences(start):
    """Make every new row's id at least `start`, so an id written as a figure shows."""
    tables = [
        Node._meta.db_table,
        Person._meta.db_table,
        "members_membership",
        "members_ceremony",
        "appeals_reception",
        "appeals_official",
        "appeals_appeal",
    ]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {start})")
            else:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start, table]
                )


# A number in an address or a form value that came out grouped: "1 234 567", "1,234,567".
GROUPED_ID = re.compile(r"""(?:href|action|value|hx-get|hx-post)="[^"]*\d(?:\xa0|&nbsp;|,)\d{3}""")


@pytest.mark.django_db(transaction=False)
def test_ids_in_addresses_and_forms_are_never_grouped(cast):
    _jump_sequences(1_234_566)
    admin = cast["users"]["national_admin"]
    root = cast["nodes"]["D1"]
    ppo = node_create(
        actor=admin,
        parent=root,
        data={
            "kind": NodeKind.PRIMARY,
            "code": "BIG",
            "name_kk": "Үлкен нөмір",
            "opened_on": date(2020, 1, 1),
        },
    )
    assert ppo.pk > 1_000_000
    person = cast["members"]["P1"]
    pages = [
        f"/orgs/{ppo.pk}/",
        "/orgs/",
        f"/members/?node={ppo.pk}",
        f"/members/{person.pk}/",
        "/members/ceremonies/",
        "/appeals/",
        "/appeals/receptions/",
        f"/members/composition/{ppo.pk}/",
        f"/members/discipline/figures/?node={ppo.pk}",
    ]
    for language in ("kk", "ru", "en"):
        client = _client(admin, language)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert not GROUPED_ID.findall(html), (url, language, GROUPED_ID.findall(html)[:3])
        assert str(ppo.pk) in client.get(f"/orgs/{ppo.pk}/").content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_appeal_figures_group_thousands(cast, language, monkeypatch):
    # Only how the page writes figures is under test here (the counts themselves are tested
    # against direct counts in test_appeal_figures.py): so the window comes ready-made.
    from tamyr.appeals import reception_views
    from tamyr.appeals.models import Topic
    from tamyr.appeals.selectors import WindowFigures

    topic = Topic.objects.get(code="housing")
    window = WindowFigures(
        start=date(2014, 1, 1),
        end=date(2014, 10, 31),
        received=4533,
        positive=3762,
        overdue=1012,
        closed=4100,
        receptions=1098,
        visitors=1584,
        reception_appeals=1457,
        by_channel={"portal": 2345},
        by_topic={topic.pk: 3456},
        by_outcome={"resolved_fully": 3001},
    )
    monkeypatch.setattr(reception_views, "appeal_statistics", lambda **kwargs: [window])
    html = (
        _client(cast["users"]["national_admin"], language)
        .get("/appeals/statistics/")
        .content.decode()
    )
    for figure in (4533, 3762, 1012, 4100, 1098, 1584, 1457, 2345, 3456, 3001):
        assert f">{grouped(figure, language)}" in html, figure
        assert str(figure) not in html, figure


def test_the_browsable_apis_forms_never_group_ids(cast):
    from tamyr.appeals.receptions import official_create

    _jump_sequences(1_234_566)
    official = official_create(
        actor=cast["users"]["national_admin"],
        full_name="Бақытжан Үлкенов",
        kind="akim",
        node=cast["nodes"]["D1"],
        position="әкім",
    )
    assert official.pk > 1_000_000
    html = (
        _client(cast["users"]["national_admin"], "kk")
        .get("/api/v1/receptions/", HTTP_ACCEPT="text/html")
        .content.decode()
    )
    assert f'<option value="{official.pk}"' in html
    assert not GROUPED_ID.findall(html)
