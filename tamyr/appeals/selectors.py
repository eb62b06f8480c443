"""Reads on appeals: every one starts from the user's scoped queryset."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from tamyr.appeals.calendar import WorkingCalendar
from tamyr.appeals.models import (
    OPEN_STATUSES,
    POSITIVE_OUTCOMES,
    Appeal,
    AppealStatus,
    Official,
    Reception,
    ReceptionStatus,
)
from tamyr.core.translated import translated
from tamyr.orgs import access
from tamyr.orgs.models import Node

DUE_SOON_DAYS = 3


def due_soon_limit(today: date | None = None, calendar: WorkingCalendar | None = None) -> date:
    """Return the last day an appeal's term may end on to count as due soon."""
    today = today or timezone.localdate()
    return (calendar or WorkingCalendar()).add_working_days(today, DUE_SOON_DAYS)


def overdue_q(today: date | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today or timezone.localdate())


def due_soon_q(today: date | None = None, limit: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(
        status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=limit or due_soon_limit(today)
    )


def appeal_list(
    *,
    user: Any,
    status: str = "",
    term: str = "",
    executor: Any = None,
    node: Any = None,
    query: str = "",
) -> QuerySet[Appeal]:
    """Return the appeals the user may see, filtered as an operator's list asks."""
    appeals = access.scoped_appeals(user).select_related("topic", "node", "executor")
    if node is not None:
        appeals = appeals.filter(node__path__startswith=node.path)
    if status:
        appeals = appeals.filter(status=status)
    if term == "overdue":
        appeals = appeals.filter(overdue_q())
    elif term == "due_soon":
        appeals = appeals.filter(due_soon_q())
    if executor is not None:
        appeals = appeals.filter(executor=executor)
    if query:
        appeals = appeals.filter(number__startswith=query.strip())
    return appeals.order_by("due_on", "id")


def appeal_rows(appeals: QuerySet[Appeal]) -> QuerySet[Appeal, Any]:
    """Return the operator's list columns as plain values: building the model instances of a
    page (the appeal, its topic, branch and executor) cost more than its query."""
    return appeals.values(
        "id",
        "number",
        "received_at",
        "status",
        "due_on",
        "executor__first_name",
        "executor__last_name",
        "executor__username",
        topic_name=translated("topic__name"),
        node_name=translated("node__name"),
    )


def term_flag(
    status: str, due_on: date, today: date, soon: date | Callable[[], date] | None = None
) -> str:
    """Return "overdue", "due_soon" or "" for an appeal in this status with this term. The
    due-soon limit may come as a function, asked only when a term is still running (it reads
    the calendar)."""
    if status not in OPEN_STATUSES:
        return ""
    if due_on < today:
        return "overdue"
    limit = soon() if callable(soon) else soon or due_soon_limit(today)
    return "due_soon" if due_on <= limit else ""


def appeal_flags(appeal: Appeal, today: date | None = None, soon: date | None = None) -> str:
    """Return "overdue", "due_soon" or "" for one appeal."""
    return term_flag(appeal.status, appeal.due_on, today or timezone.localdate(), soon)


# -- statistics ----------------------------------------------------------------------------------


def _window_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    first = datetime.combine(start, time.min, tzinfo=tz)
    return first, datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class WindowFigures:
    start: date
    end: date
    received: int = 0
    positive: int = 0
    overdue: int = 0
    closed: int = 0
    from_receptions: int = 0
    receptions: int = 0
    visitors: int = 0
    reception_appeals: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_topic: dict[int, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)

    @property
    def positive_share(self) -> float | None:
        return 100 * self.positive / self.received if self.received else None


def window_figures(
    *, node: Node, start: date, end: date, today: date | None = None
) -> WindowFigures:
    """Return the appeal and reception figures of a node's subtree for one window of dates."""
    return _figures(node=node, windows=[(start, end)], today=today)[0]


def appeal_statistics(*, node: Node, start: date, end: date, years: int) -> list[WindowFigures]:
    """Return the figures for the window and the same window of each of `years` earlier years."""
    windows = [(_years_back(start, k), _years_back(end, k)) for k in range(years + 1)]
    return _figures(node=node, windows=windows)


def _which_window(field: str, bounds: list[tuple[datetime, datetime]]) -> tuple[Case, Q]:
    """Return an expression giving each row's window number, and a filter for any window."""
    whens = [
        When(**{f"{field}__gte": first, f"{field}__lt": after}, then=Value(k))
        for k, (first, after) in enumerate(bounds)
    ]
    inside = reduce(
        or_, (Q(**{f"{field}__gte": first, f"{field}__lt": after}) for first, after in bounds)
    )
    return Case(*whens, output_field=IntegerField()), inside


def _figures(
    *, node: Node, windows: list[tuple[date, date]], today: date | None = None
) -> list[WindowFigures]:
    """Count every window in one pass over the appeals: grouped by window, channel, topic and
    outcome, the totals are sums of the groups (a region's three years take one scan, not
    eighteen)."""
    today = today or timezone.localdate()
    bounds = [_window_bounds(start, end) for start, end in windows]
    figures = [WindowFigures(start=start, end=end) for start, end in windows]
    window, inside = _which_window("received_at", bounds)
    late = Q(closed_on__isnull=False, closed_on__gt=F("due_on")) | Q(
        status__in=OPEN_STATUSES, due_on__lt=today
    )
    groups = (
        Appeal.objects.filter(inside, node__path__startswith=node.path)
        .annotate(k=window)
        .order_by()
        .values("k", "channel", "topic", "outcome")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=late),
            closed=Count("id", filter=Q(status=AppealStatus.CLOSED)),
            from_receptions=Count("id", filter=Q(reception__isnull=False)),
        )
    )
    for row in groups:
        f, n = figures[row["k"]], row["n"]
        f.received += n
        f.positive += n if row["outcome"] in POSITIVE_OUTCOMES else 0
        f.overdue += row["overdue"]
        f.closed += row["closed"]
        f.from_receptions += row["from_receptions"]
        f.by_channel[row["channel"]] = f.by_channel.get(row["channel"], 0) + n
        f.by_topic[row["topic"]] = f.by_topic.get(row["topic"], 0) + n
        f.by_outcome[row["outcome"]] = f.by_outcome.get(row["outcome"], 0) + n
    window, inside = _which_window("starts_at", bounds)
    held = Reception.objects.filter(
        inside, node__path__startswith=node.path, status=ReceptionStatus.HELD
    ).annotate(k=window)
    for held_row in held.order_by().values("k").annotate(n=Count("id"), seen=Sum("visitors")):
        figures[held_row["k"]].receptions = held_row["n"]
        figures[held_row["k"]].visitors = held_row["seen"] or 0
    window, inside = _which_window("reception__starts_at", bounds)
    born = Appeal.objects.filter(
        inside,
        reception__node__path__startswith=node.path,
        reception__status=ReceptionStatus.HELD,
    ).annotate(k=window)
    for born_row in born.order_by().values("k").annotate(n=Count("id")):
        figures[born_row["k"]].reception_appeals = born_row["n"]
    return figures


def officials_by_receptions(*, node: Node, start: date, end: date) -> list[Official]:
    """Return the subtree's officials with receptions held and visitors in the window, those
    who held none first."""
    first, after = _window_bounds(start, end)
    in_window = Q(
        receptions__status=ReceptionStatus.HELD,
        receptions__starts_at__gte=first,
        receptions__starts_at__lt=after,
    )
    officials = (
        Official.objects.filter(node__path__startswith=node.path)
        .annotate(
            held=Count("receptions", filter=in_window),
            seen=Sum("receptions__visitors", filter=in_window),
        )
        .select_related("node")
        .order_by("held", "full_name", "id")
    )
    # Someone who no longer receives citizens is listed only for receptions they did hold.
    return [o for o in officials if o.is_active or o.held]
