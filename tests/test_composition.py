"""Composition figures on generated data, checked against row-by-row counts."""

from datetime import date

import pytest
from django.urls import reverse

from tamyr.core.generator.nation import NationGenerator
from tamyr.members.composition import composition
from tamyr.members.composition_check import mismatches
from tamyr.members.models import Person
from tamyr.orgs.models import Node
from tests.clock import A_WORKING_MORNING

# Its data carries fixed dates: they keep their distance from "today" on every day it runs.
pytestmark = pytest.mark.time_machine(A_WORKING_MORNING, tick=False)


@pytest.fixture
def nation(db, today):
    totals = NationGenerator(scale="demo", seed=7, prefix="G-", today=today).generate()
    return totals


# Each period as (on, start, end), from the day the test runs: read then, not at import.
PERIODS = {
    "this-year": lambda today: (today, date(today.year, 1, 1), today),
    "2015": lambda today: (date(2015, 6, 30), date(2010, 1, 1), date(2020, 12, 31)),
    "2005": lambda today: (date(2005, 1, 1), date(1999, 1, 1), date(2004, 12, 31)),
}


@pytest.mark.parametrize("period", PERIODS)
def test_every_figure_equals_a_direct_count(nation, today, period):
    on, start, end = PERIODS[period](today)
    for node in Node.objects.filter(code__startswith="G-").exclude(kind="primary"):
        result = composition(node=node, on=on, start=start, end=end)
        assert mismatches(result) == [], node.code


def test_todays_members_are_the_people_who_are_members_now(nation, today):
    hq = Node.objects.get(code="G-HQ")
    result = composition(node=hq, on=today, start=date(2000, 1, 1), end=today)
    now = Person.objects.filter(ppo__path__startswith=hq.path, status__in=["active", "suspended"])
    assert result.members == now.count() == nation.current
    assert result.suspended == now.filter(status="suspended").count()
    assert result.women == now.filter(gender="f").count()
    assert sum(n for _c, _l, n in result.by_sector) == result.members
    assert sum(n for _c, _l, n in result.ppos_by_size) == nation.ppos - 3  # 3 youth centres


def _generated(seed: int) -> list[tuple]:
    """Generate, read everyone back, and roll it all back."""
    from django.db import transaction

    with transaction.atomic():
        NationGenerator(scale="demo", seed=seed, prefix="S-").generate()
        people = list(
            Person.objects.filter(ppo__code__startswith="S-")
            .order_by("id")
            .values_list("surname", "given_name", "iin", "birth_date", "status", "ppo__code")
        )
        transaction.set_rollback(True)
    return people


def test_the_same_seed_gives_the_same_nation(db):
    first, again, other = _generated(11), _generated(11), _generated(12)
    assert len(first) > 300
    assert first == again
    assert first != other


def test_generated_iins_are_valid_and_unique(nation):
    from tamyr.members.iin import parse_iin

    people = Person.objects.filter(ppo__code__startswith="G-")
    iins = list(people.values_list("iin", "birth_date", "gender"))
    assert len({i for i, _b, _g in iins}) == len(iins)
    for iin, birth, gender in iins:
        parsed = parse_iin(iin)
        assert (parsed.birth_date, parsed.sex) == (birth, gender)


def test_the_composition_page_and_api_show_the_figures(client, nation, cast):
    from django.contrib.auth import get_user_model

    hq = Node.objects.get(code="G-HQ")
    client.force_login(get_user_model().objects.get(username="national_admin"))
    page = client.get(
        reverse("members:composition", args=[hq.pk]),
        {"on": "2015-06-30"},
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert page.status_code == 200
    c = page.context["c"]
    assert "2015 жылғы 30 маусым" in page.content.decode()
    api = client.get(reverse("api:node-composition", args=[hq.pk]), {"on": "2015-06-30"})
    body = api.json()
    assert (body["members"], body["women"], body["by_sector"]["education"]) == (
        c.members,
        c.women,
        dict((code, n) for code, _l, n in c.by_sector)["education"],
    )
