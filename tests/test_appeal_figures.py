"""Appeal and reception figures equal direct counts, for a window and earlier years."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.urls import reverse

from tamyr.appeals import receptions
from tamyr.appeals.models import (
    Appeal,
    Channel,
    Official,
    Outcome,
    Reception,
    ReceptionFormat,
    Topic,
)
from tamyr.appeals.selectors import appeal_statistics, officials_by_receptions
from tamyr.appeals.services import appeal_receive

ALMATY = ZoneInfo("Asia/Almaty")
# "Resolved positively" means the citizen got what they asked for, in full or in part; an
# explanation, a refusal, a forwarding or an appeal left without consideration is not positive.
# Written out here so that the figures cannot quietly agree with a changed constant in the code.
POSITIVE = {"resolved_fully", "resolved_partly"}
TODAY = date(2026, 11, 20)


def populate(cast, count=120):
    """Spread appeals over three years, branches, channels, topics and outcomes."""
    rng = random.Random(7)
    admin = cast["users"]["national_admin"]
    topics = list(Topic.objects.all())
    nodes = [cast["nodes"][c] for c in ("D1", "D2", "P1", "D3", "R1")]
    regular = ReceptionFormat.objects.get(code="regular")
    deputy = receptions.official_create(
        actor=admin, full_name="Deputy A", position="Deputy", kind="deputy", node=nodes[0]
    )
    receptions.official_create(
        actor=admin, full_name="Akim B", position="Deputy akim", kind="akim", node=nodes[0]
    )
    held = []
    for year in (2024, 2025, 2026):
        reception = receptions.reception_schedule(
            actor=admin, official=deputy, node=nodes[0], format=regular,
            starts_at=datetime(year, 3, 5, 10, tzinfo=ALMATY), place="Office",
        )  # fmt: skip
        held.append(
            receptions.reception_record(
                actor=admin, reception=reception, version=1, status="held", visitors=year - 2020
            )
        )
    for i in range(count):
        year = rng.choice((2024, 2025, 2026))
        received = datetime(year, rng.randint(1, 11), rng.randint(1, 28), 10, tzinfo=ALMATY)
        channel = rng.choice([c for c in Channel.values if c != "reception"])
        appeal, _s = appeal_receive(
            actor=admin, channel=channel, topic=rng.choice(topics), node=rng.choice(nodes),
            citizen_name=f"Citizen {i}", contact=f"+7 701 {i:03d} 00 00", text=f"Text {i}",
            received_at=received,
            reception=held[year - 2024] if i % 10 == 0 else None,
        )  # fmt: skip
        roll = rng.random()
        if roll < 0.6:
            outcome = rng.choice([o for o in Outcome.values if o != "not_considered"])
            closed = received.date() + timedelta(days=rng.randint(5, 40))
            Appeal.objects.filter(pk=appeal.pk).update(
                status="closed", outcome=outcome, closed_on=min(closed, TODAY)
            )
    return deputy


def direct(node, start, end):
    rows = [
        a for a in Appeal.objects.select_related("node")
        if a.node.path.startswith(node.path)
        and start <= a.received_at.astimezone(ALMATY).date() <= end
    ]  # fmt: skip
    late = [
        a for a in rows
        if (a.closed_on and a.closed_on > a.due_on) or (a.status != "closed" and a.due_on < TODAY)
    ]  # fmt: skip
    channel, topic, outcome = {}, {}, {}
    for a in rows:
        channel[a.channel] = channel.get(a.channel, 0) + 1
        topic[a.topic_id] = topic.get(a.topic_id, 0) + 1
        outcome[a.outcome] = outcome.get(a.outcome, 0) + 1
    held = [
        r for r in Reception.objects.select_related("node")
        if r.node.path.startswith(node.path) and r.status == "held"
        and start <= r.starts_at.astimezone(ALMATY).date() <= end
    ]  # fmt: skip
    return {
        "received": len(rows),
        "positive": sum(a.outcome in POSITIVE for a in rows),
        "overdue": len(late),
        "closed": sum(a.status == "closed" for a in rows),
        "from_receptions": sum(a.reception_id is not None for a in rows),
        "by_channel": channel,
        "by_topic": topic,
        "by_outcome": outcome,
        "receptions": len(held),
        "visitors": sum(r.visitors for r in held),
        "reception_appeals": sum(
            a.reception_id in {r.pk for r in held} for a in Appeal.objects.all()
        ),
    }


def test_every_figure_equals_a_direct_count_for_each_node_and_year(cast, monkeypatch):
    import tamyr.appeals.selectors as selectors

    populate(cast)
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: TODAY)
    for code in ("HQ", "R1", "D1", "D2", "R2"):
        node = cast["nodes"][code]
        windows = appeal_statistics(
            node=node, start=date(2026, 1, 1), end=date(2026, 10, 31), years=2
        )
        assert [w.start.year for w in windows] == [2026, 2025, 2024]
        for w in windows:
            expected = direct(node, w.start, w.end)
            got = {k: getattr(w, k) for k in expected}
            assert got == expected, (code, w.start)
    assert (
        appeal_statistics(
            node=cast["nodes"]["R1"], start=date(2026, 1, 1), end=date(2026, 10, 31), years=0
        )[0].received
        > 0
    )


def test_officials_who_held_no_reception_come_first(cast):
    populate(cast, count=5)
    officials = officials_by_receptions(
        node=cast["nodes"]["R1"], start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    # The cast's officials of D1 and D2 (in R1) have only a planned reception: none held.
    assert [(o.full_name, o.held, o.seen) for o in officials] == [
        ("Akim B", 0, None),
        ("Official of D1", 0, None),
        ("Official of D2", 0, None),
        ("Deputy A", 1, 6),
    ]
    Official.objects.filter(full_name="Akim B").update(is_active=False)
    officials = officials_by_receptions(
        node=cast["nodes"]["R1"], start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert [o.full_name for o in officials] == ["Official of D1", "Official of D2", "Deputy A"]


def test_the_figures_page_compares_years_and_stays_in_scope(client, cast):
    populate(cast, count=30)
    client.force_login(cast["users"]["district_secretary"])
    response = client.get(reverse("appeals:statistics"))
    assert response.status_code == 200
    assert response.context["node"] == cast["nodes"]["D1"]
    assert len(response.context["windows"]) == 3
    outside = client.get(
        reverse("appeals:statistics"),
        {"node": cast["nodes"]["D3"].pk, "start": "2026-01-01", "end": "2026-11-01", "years": 1},
    )
    assert outside.status_code == 400
    client.force_login(cast["users"]["analyst"])
    page = client.get(reverse("appeals:statistics")).content.decode()
    assert "Akim B" in page and "Citizen" not in page


def test_figures_equal_direct_counts_on_generated_appeals(cast, monkeypatch):
    import tamyr.appeals.selectors as selectors
    from tamyr.core.generator.appeals import AppealGenerator

    totals = AppealGenerator(per_year=150, years=3, seed=5, today=TODAY).generate()
    assert totals.appeals == 450 and totals.receptions > 0
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: TODAY)
    for code in ("HQ", "R1", "D1", "D3"):
        node = cast["nodes"][code]
        for w in appeal_statistics(
            node=node, start=date(2026, 1, 1), end=date(2026, 11, 19), years=2
        ):
            expected = direct(node, w.start, w.end)
            assert {k: getattr(w, k) for k in expected} == expected, (code, w.start)
    assert Appeal.objects.filter(status="closed", closed_on__gt=F("due_on")).exists()
