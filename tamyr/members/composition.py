"""The composition of the membership under a node, on a date and over a period.

Everything is counted from registration intervals (started_on <= day < ended_on), so any past
date gives the figures as they stood then: transfers, exits and deaths included.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet

from tamyr.members.models import (
    ENDED_STATUSES,
    Education,
    Entry,
    EventKind,
    Gender,
    Membership,
    MembershipEvent,
    Sector,
)
from tamyr.orgs.models import Node, SizeCategory, size_category_for

AGE_BANDS = ((18, 29), (30, 39), (40, 49), (50, 59), (60, 200))


def years_before(day: date, years: int) -> date:
    """Return the same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def in_force_on(day: date) -> Q:
    """Registrations in force at the end of the day."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


@dataclass
class Composition:
    node: Node
    on: date
    start: date
    end: date
    members: int = 0
    suspended: int = 0
    women: int = 0
    youth: int = 0
    admitted: int = 0
    readmitted: int = 0
    left: dict[str, int] = field(default_factory=dict)
    transferred_in: int = 0
    transferred_out: int = 0
    # Rows of (code, label in the reader's language, count); labels stay lazy until shown.
    by_age: list[tuple[str, Any, int]] = field(default_factory=list)
    by_sector: list[tuple[str, Any, int]] = field(default_factory=list)
    by_education: list[tuple[str, Any, int]] = field(default_factory=list)
    ppos_by_size: list[tuple[str, Any, int]] = field(default_factory=list)

    def share(self, part: int) -> float:
        """Return the part as a percentage of the members on the date, to one decimal."""
        return round(100 * part / self.members, 1) if self.members else 0.0

    @property
    def women_share(self) -> float:
        return self.share(self.women)

    @property
    def youth_share(self) -> float:
        return self.share(self.youth)

    @property
    def left_total(self) -> int:
        return sum(self.left.values())


def _under(node: Node, field_name: str = "ppo__path") -> Q:
    return Q(**{f"{field_name}__startswith": node.path})


def members_on(node: Node, day: date) -> QuerySet[Membership]:
    """Return the registrations under the node in force on the day."""
    return Membership.objects.filter(_under(node), in_force_on(day))


def composition(*, node: Node, on: date, start: date, end: date) -> Composition:
    """Return the composition under a node: on a date, and movements over a period.

    The caller has checked that the user may see the node; the figures name no person.
    """
    result = Composition(node=node, on=on, start=start, end=end)
    current = members_on(node, on)
    youth_from = years_before(on, settings.TAMYR_YOUTH_MAX_AGE + 1)
    totals = current.aggregate(
        members=Count("pk"),
        suspended=Count("pk", filter=Q(person__in=_suspended_people(on))),
        women=Count("pk", filter=Q(person__gender=Gender.FEMALE)),
        youth=Count("pk", filter=Q(person__birth_date__gt=youth_from)),
    )
    result.members, result.suspended = totals["members"], totals["suspended"]
    result.women, result.youth = totals["women"], totals["youth"]

    bands = []
    for low, high in AGE_BANDS:
        # Aged low..high on the day: born after (day - high - 1 years), on or before day - low.
        condition = Q(person__birth_date__lte=years_before(on, low)) & Q(
            person__birth_date__gt=years_before(on, high + 1)
        )
        label = f"{low}–{high}" if high < 200 else f"{low}+"
        bands.append((label, condition))
    band_counts = current.aggregate(
        **{str(i): Count("pk", filter=c) for i, (_, c) in enumerate(bands)}
    )
    result.by_age = [(label, label, band_counts[str(i)]) for i, (label, _) in enumerate(bands)]

    sectors = dict(
        current.values_list("person__sector")
        .annotate(n=Count("pk"))
        .values_list("person__sector", "n")
    )
    result.by_sector = [(v, label, sectors.get(v, 0)) for v, label in Sector.choices]
    levels = dict(
        current.values_list("person__education")
        .annotate(n=Count("pk"))
        .values_list("person__education", "n")
    )
    result.by_education = [(v, label, levels.get(v, 0)) for v, label in Education.choices]

    period = Membership.objects.filter(_under(node))
    entries = dict(
        period.filter(started_on__range=(start, end))
        .values_list("entry")
        .annotate(n=Count("pk"))
        .values_list("entry", "n")
    )
    result.admitted = entries.get(Entry.ADMISSION, 0)
    result.readmitted = entries.get(Entry.READMISSION, 0)
    ended = dict(
        period.filter(status__in=ENDED_STATUSES, ended_on__range=(start, end))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    result.left = {str(status): ended.get(status, 0) for status in ENDED_STATUSES}
    moves = MembershipEvent.objects.filter(kind=EventKind.TRANSFERRED, on__range=(start, end))
    result.transferred_in = (
        moves.filter(_under(node, "other_ppo__path")).exclude(_under(node)).count()
    )
    result.transferred_out = (
        moves.filter(_under(node)).exclude(_under(node, "other_ppo__path")).count()
    )

    result.ppos_by_size = _ppos_by_size(node, on)
    return result


def _ppos_by_size(node: Node, on: date) -> list[tuple[str, Any, int]]:
    """Count the PPOs open on the day by the size category their active members give them."""
    ppos = Node.objects.filter(
        path__startswith=node.path, kind="primary", opened_on__lte=on
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    # Members in force, less the suspended ones: two grouped counts (a semi-join each), not an
    # anti-join, which PostgreSQL runs slowly over a nation's registrations.
    in_force = members_on(node, on)

    def per_ppo(rows: QuerySet[Membership]) -> dict[int, int]:
        return dict(rows.values_list("ppo").annotate(n=Count("pk")).values_list("ppo", "n"))

    total = per_ppo(in_force)
    suspended = per_ppo(in_force.filter(person__in=_suspended_people(on)))
    counts = dict.fromkeys(SizeCategory.values, 0)
    for pk in ppos.values_list("pk", flat=True).iterator():
        counts[size_category_for(total.get(pk, 0) - suspended.get(pk, 0))] += 1
    return [(value, label, counts[value]) for value, label in SizeCategory.choices]


# The events that set whether a member is active or suspended. A transfer keeps the status;
# an admission or readmission starts afresh, so an old suspension does not outlive an exit.
STATUS_SETTING = [
    EventKind.SUSPENDED,
    EventKind.RESUMED,
    EventKind.ADMITTED,
    EventKind.READMITTED,
    EventKind.REGISTERED,
]


def _suspended_people(on: date) -> QuerySet[Any]:
    """A subquery: the people whose last status-setting event on or before the day is a
    suspension. Only people ever suspended are grouped, so this stays quick on a nation."""
    suspended = Q(kind=EventKind.SUSPENDED)
    ever = MembershipEvent.objects.filter(suspended, on__lte=on).values("person")
    return (
        MembershipEvent.objects.filter(person__in=ever, on__lte=on, kind__in=STATUS_SETTING)
        .values("person")
        .annotate(
            s_on=Max("on", filter=suspended),
            o_on=Max("on", filter=~suspended),
            s_id=Max("id", filter=suspended),
            o_id=Max("id", filter=~suspended),
        )
        # The latest date wins; on the same day, the step recorded last.
        .filter(
            Q(o_on__isnull=True)
            | Q(s_on__gt=F("o_on"))
            | (Q(s_on=F("o_on")) & Q(s_id__gt=F("o_id")))
        )
        .values("person")
    )


def default_period(on: date) -> tuple[date, date]:
    """The period the documents report by default: from 1 January to the date."""
    return date(on.year, 1, 1), on
