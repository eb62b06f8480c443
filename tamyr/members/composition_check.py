"""Count the composition figures the plain way, row by row in Python, and compare.

This is deliberately independent of composition.py (no shared query, no shared helper), so
that a bug in one is caught by the other. It streams rows, so it runs on the national data set.
"""

from collections import Counter
from datetime import date
from typing import Any

from django.conf import settings

from tamyr.members.composition import Composition
from tamyr.members.models import Membership, MembershipEvent
from tamyr.orgs.models import Node


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _band(age: int) -> str:
    for low, high, label in (
        (18, 29, "18–29"),
        (30, 39, "30–39"),
        (40, 49, "40–49"),
        (50, 59, "50–59"),
    ):
        if low <= age <= high:
            return label
    return "60+" if age >= 60 else "under 18"


def direct_counts(*, node: Node, on: date, start: date, end: date) -> dict[str, Any]:
    """Return every composition figure, counted one row at a time."""
    suspended_people = set()
    last: dict[int, str] = {}
    events = (
        MembershipEvent.objects.filter(
            on__lte=on, kind__in=["suspended", "resumed", "admitted", "readmitted", "registered"]
        )
        .order_by("person_id", "on", "id")
        .values_list("person_id", "kind")
    )
    for person_id, kind in events.iterator(chunk_size=20000):
        last[person_id] = kind
    suspended_people = {pid for pid, kind in last.items() if kind == "suspended"}
    del last

    figures: Counter = Counter()
    by_age: Counter = Counter()
    by_sector: Counter = Counter()
    by_education: Counter = Counter()
    active_by_ppo: Counter = Counter()
    left: Counter = Counter()
    rows = Membership.objects.filter(ppo__path__startswith=node.path).values_list(
        "person_id",
        "ppo_id",
        "status",
        "entry",
        "started_on",
        "ended_on",
        "person__gender",
        "person__birth_date",
        "person__sector",
        "person__education",
    )
    for (
        pid,
        ppo_id,
        status,
        entry,
        started,
        ended,
        gender,
        birth,
        sector,
        education,
    ) in rows.iterator(chunk_size=20000):
        if started <= on and (ended is None or ended > on):
            figures["members"] += 1
            if pid in suspended_people:
                figures["suspended"] += 1
            else:
                active_by_ppo[ppo_id] += 1
            if gender == "f":
                figures["women"] += 1
            age = _age(birth, on)
            if age <= settings.TAMYR_YOUTH_MAX_AGE:
                figures["youth"] += 1
            by_age[_band(age)] += 1
            by_sector[sector] += 1
            by_education[education] += 1
        if start <= started <= end and entry in ("admission", "readmission"):
            figures["admitted" if entry == "admission" else "readmitted"] += 1
        if status in ("left", "expelled", "deceased") and ended and start <= ended <= end:
            left[status] += 1

    under = {
        pk for pk, path in Node.objects.values_list("pk", "path") if path.startswith(node.path)
    }
    moves = MembershipEvent.objects.filter(kind="transferred", on__gte=start, on__lte=end)
    for from_ppo, to_ppo in moves.values_list("ppo_id", "other_ppo_id").iterator():
        if to_ppo in under and from_ppo not in under:
            figures["transferred_in"] += 1
        if from_ppo in under and to_ppo not in under:
            figures["transferred_out"] += 1

    sizes: Counter = Counter()
    ppos = Node.objects.filter(kind="primary", path__startswith=node.path).values_list(
        "pk", "opened_on", "closed_on"
    )
    for pk, opened, closed in ppos:
        if opened <= on and (closed is None or closed > on):
            active = active_by_ppo[pk]
            sizes["small" if active < 100 else "medium" if active <= 500 else "large"] += 1
    return {
        "figures": figures,
        "by_age": by_age,
        "by_sector": by_sector,
        "by_education": by_education,
        "left": left,
        "sizes": sizes,
    }


def mismatches(result: Composition) -> list[str]:
    """Return every figure of a composition that differs from the direct count."""
    direct = direct_counts(node=result.node, on=result.on, start=result.start, end=result.end)
    found = []
    f = direct["figures"]
    for name in (
        "members",
        "suspended",
        "women",
        "youth",
        "admitted",
        "readmitted",
        "transferred_in",
        "transferred_out",
    ):
        if getattr(result, name) != f[name]:
            found.append(f"{name}: {getattr(result, name)} != {f[name]}")
    for rows, counts, name in (
        (result.by_age, direct["by_age"], "age"),
        (result.by_sector, direct["by_sector"], "sector"),
        (result.by_education, direct["by_education"], "education"),
        (result.ppos_by_size, direct["sizes"], "size"),
    ):
        for code, _label, n in rows:
            if n != counts[code]:
                found.append(f"{name} {code}: {n} != {counts[code]}")
    for status, n in result.left.items():
        if n != direct["left"][status]:
            found.append(f"left {status}: {n} != {direct['left'][status]}")
    if direct["by_age"]["under 18"]:
        found.append(f"members under 18: {direct['by_age']['under 18']}")
    return found
