"""The demo's appeals look like a real reception's (issue 9, point 2.12, the demo data).

In the documents every letter is under strict control and terms are met with few exceptions:
old appeals are closed, a small share of them late, and the open work is recent, with a few
overdue appeals of the last month or two. So the national administrator's list, which opens on
open work nearest term first, starts with this autumn's appeals, not with ones three years
overdue. The demo is generated in a process of its own, on a database of its own, with the
clock held on 1 December 2026.
"""

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from tamyr.appeals.models import Appeal, AppealStep

PROJECT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 1)
# No open appeal was received before 2 October 2026: sixty days before the demo's day.
OLDEST_OPEN = date(2026, 10, 2)
# Of the open appeals, at most one in ten is past its term.
MOST_OVERDUE_SHARE = 0.10
# Of the closed appeals, some but at most one in twelve were closed after their term.
MOST_LATE_SHARE = 1 / 12

DEMO = """
import json, re, sys
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Almaty")), tick=False):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from tamyr.appeals.models import Appeal
    from tamyr.core.demo import load_demo

    call_command("migrate", interactive=False, verbosity=0)
    load_demo()
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    html = client.get("/appeals/").content.decode()
    day = lambda d: d.isoformat() if d else None
    json.dump({
        "first_page": [int(pk) for pk in re.findall(r'href="/appeals/([0-9]+)/"', html)],
        "appeals": [
            [pk, status, timezone.localtime(at).date().isoformat(), day(due), day(closed)]
            for pk, status, at, due, closed in Appeal.objects.values_list(
                "pk", "status", "received_at", "due_on", "closed_on"
            )
        ],
    }, sys.stdout)
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Load the demo into a fresh SQLite database and return its appeals and the admin's list."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        TAMYR_VAR_DIR=str(tmp_path_factory.mktemp("demo")),
        DJANGO_SETTINGS_MODULE="tamyr.settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", DEMO],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(done.stdout)
    appeals = {
        pk: {
            "status": status,
            "received_on": date.fromisoformat(received),
            "due_on": date.fromisoformat(due),
            "closed_on": date.fromisoformat(closed) if closed else None,
        }
        for pk, status, received, due, closed in data["appeals"]
    }
    return appeals, data["first_page"]


def test_the_demo_has_no_open_appeal_older_than_two_months(demo):
    appeals, _page = demo
    assert len(appeals) == 4500
    open_ = [a for a in appeals.values() if a["status"] != "closed"]
    assert len(open_) >= 20  # there is work to show
    assert min(a["received_on"] for a in open_) >= OLDEST_OPEN


def test_the_demo_has_few_overdue_open_appeals(demo):
    appeals, _page = demo
    open_ = [a for a in appeals.values() if a["status"] != "closed"]
    overdue = [a for a in open_ if a["due_on"] < TODAY]
    assert len(overdue) <= MOST_OVERDUE_SHARE * len(open_)


def test_the_demo_closes_a_small_share_late(demo):
    appeals, _page = demo
    closed = [a for a in appeals.values() if a["status"] == "closed"]
    late = [a for a in closed if a["closed_on"] > a["due_on"]]
    assert 0 < len(late) <= MOST_LATE_SHARE * len(closed)


def test_the_national_admins_list_opens_on_recent_appeals(demo):
    appeals, page = demo
    assert len(page) == 25
    assert {appeals[pk]["status"] for pk in page} <= {
        "registered",
        "in_work",
        "answer_prepared",
        "reopened",
    }
    assert min(appeals[pk]["received_on"] for pk in page) >= OLDEST_OPEN


# -- the generator, in this process ------------------------------------------------------------


def generate(seed: int, per_year: int = 400, years: int = 2) -> list[tuple]:
    """Generate appeals over the cast's districts; return what they are."""
    from tamyr.core.generator.appeals import AppealGenerator

    before = Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    AppealGenerator(per_year=per_year, years=years, seed=seed, today=TODAY).generate()
    return list(
        Appeal.objects.filter(pk__gt=before)
        .order_by("pk")
        .values_list(
            "number", "received_at", "node__code", "status", "outcome", "citizen_name",
            "due_on", "answered_on", "closed_on", "answer",
        )
    )  # fmt: skip


class Discard(Exception):
    pass


def test_the_generator_gives_the_same_appeals_for_a_seed(cast):
    try:
        with transaction.atomic():
            first = generate(seed=21)
            raise Discard
    except Discard:
        pass
    assert generate(seed=21) == first
    assert len(first) == 800


def test_generated_appeals_agree_with_their_steps_and_the_rules(cast):
    before = Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    generate(seed=21, per_year=1500, years=1)
    generated = Appeal.objects.filter(pk__gt=before)
    last_step = {}
    for appeal_id, to_status in (
        AppealStep.objects.filter(appeal__in=generated)
        .order_by("appeal_id", "at", "id")
        .values_list("appeal_id", "to_status")
    ):
        last_step[appeal_id] = to_status
    statuses = set()
    for a in generated:
        statuses.add(a.status)
        received = timezone.localtime(a.received_at).date()
        assert last_step[a.pk] == a.status, a.number
        if a.outcome == "not_considered":
            # Only an anonymous appeal (or one without text) is left without consideration,
            # closed on the day it came, with the answer Tamyr writes.
            assert (a.citizen_name, a.contact, a.status) == ("", "", "closed"), a.number
            assert a.closed_on == a.answered_on == received
            assert a.answer == "Anonymous appeal: left without consideration, as the law requires."
        elif a.status == "closed":
            assert a.answer and a.outcome and a.executor_id and a.signed_off_by_id, a.number
            assert received <= a.answered_on <= a.closed_on <= TODAY, a.number
        elif a.status == "answer_prepared":
            assert a.answer and a.outcome and a.answered_on <= TODAY and a.closed_on is None
        else:
            assert (a.answer, a.outcome, a.answered_on, a.closed_on) == ("", "", None, None)
        assert a.status == "closed" or received >= TODAY - timedelta(days=60), a.number
    assert statuses <= {"registered", "in_work", "answer_prepared", "closed"}
    assert {"in_work", "answer_prepared", "closed"} <= statuses
