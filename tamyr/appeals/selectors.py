"""Reads on appeals: every one starts from the user's scoped queryset."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, NullIf
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
from tamyr.core.collation import by_name
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


# The columns the operator's list sorts by. A key from the query string only picks one of
# these, so nothing a user types reaches order_by.
LIST_SORTS = ("number", "received", "topic", "branch", "executor", "status", "due")


def appeal_ordering(sort: str) -> list[OrderBy] | None:
    """Return the order of a list sorted by a column: "due" is nearest term first, "-due" the
    other way round; None for a key that is not a column. Ties fall to the nearest term and
    then the id, so a page never shifts between two readings; empty values (no executor) come
    last either way."""
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key not in LIST_SORTS:
        return None
    then: list[Any] = [F("due_on").asc(), F("id").asc()]
    primary: list[Any]
    if key == "number":  # unique: needs no tie-break
        primary, then = [F("number")], []
    elif key == "received":
        primary, then = [F("received_at"), F("id")], []
    elif key == "due":
        primary, then = [F("due_on"), F("id")], []
    elif key == "topic":
        primary = [by_name(translated("topic__name"))]
    elif key == "branch":
        primary = [by_name(translated("node__name"))]
    elif key == "executor":
        # By surname, as registries list people; a login name only for an account without one.
        primary = [
            by_name(Coalesce(NullIf(F("executor__last_name"), Value("")), F("executor__username"))),
            by_name("executor__first_name"),
        ]
    else:  # status: the order work moves in, closed last
        order = [*OPEN_STATUSES, AppealStatus.CLOSED]
        primary = [
            Case(
                *(When(status=s, then=Value(i)) for i, s in enumerate(order)),
                default=Value(len(order)),
                output_field=IntegerField(),
            )
        ]
    # Only an executor can be missing: every other key is never NULL, and a NULLS LAST on
    # those would keep PostgreSQL from reading an index backwards for a descending order.
    empty_last = {"nulls_last": True} if key == "executor" else {}
    ordered = [f.desc(**empty_last) if descending else f.asc(**empty_last) for f in primary]
    return [*ordered, *then]


def appeal_list(
    *,
    user: Any,
    status: str = "",
    term: str = "",
    executor: Any = None,
    node: Any = None,
    query: str = "",
    sort: str = "",
) -> QuerySet[Appeal]:
    """Return the appeals the user may see, filtered as an operator's list asks: status is one
    status, "open" for every open one, or "" (or "all") for any. Sorted by a column of
    LIST_SORTS when sort names one, else nearest term first."""
    appeals = access.scoped_appeals(user).select_related("topic", "node", "executor")
    if node is not None:
        appeals = appeals.filter(node__path__startswith=node.path)
    if status == "open":
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    elif status and status != "all":
        appeals = appeals.filter(status=status)
    if term == "overdue":
        appeals = appeals.filter(overdue_q())
    elif term == "due_soon":
        appeals = appeals.filter(due_soon_q())
    if executor is not None:
        appeals = appeals.filter(executor=executor)
    if query:
        appeals = appeals.filter(number__startswith=query.strip())
    return appeals.order_by(*(appeal_ordering(sort) or ("due_on", "id")))


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


# The parts of a user's own work, in the order the list shows them.
MINE, OWN_BRANCH, BELOW = 0, 1, 2


class AppealPages:
    """The operator's list as Django's Paginator reads it: a count and slices of plain rows.

    Either one sorted queryset, or a user's work in three parts: assigned to them (`mine`);
    under the control of the branches where they hold a role (`own`); the rest of their
    subtree; each nearest term first. A page reads only the parts it shows, each with its own
    LIMIT, so a page of one's own work never sorts the whole subtree's appeals."""

    def __init__(self, appeals: QuerySet[Appeal], *, mine: Q | None = None, own: Q | None = None):
        self.appeals, self.mine, self.own = appeals, mine, own
        self.parts = None
        if mine is not None and own is not None:
            self.parts = [mine, own & ~mine, ~own & ~mine]
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        """Return how many rows each part has."""
        if self._counts is None:
            if self.parts is None:
                self._counts = [self.appeals.count()]
            else:
                # Two counts, each read from an index alone (the branches' or the
                # executors'): one count of all three parts needs the executor and the
                # branch of every row at once, which only the table has.
                every = self._count_own(self.appeals)
                mine = self._count_own(self.appeals.filter(self.mine))
                own_not_mine = every["own"] - mine["own"]
                self._counts = [mine["n"], own_not_mine, every["n"] - mine["n"] - own_not_mine]
        return self._counts

    def _count_own(self, appeals: QuerySet[Appeal]) -> dict[str, int]:
        return appeals.order_by().aggregate(n=Count("node"), own=Count("node", filter=self.own))

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("AppealPages reads pages: slice it without a step")
        start, stop, _step = index.indices(self.count())
        if self.parts is None:
            return list(appeal_rows(self.appeals[start:stop]))
        rows: list[dict[str, Any]] = []
        first = 0  # where the current part starts in the whole list
        for part, (q, size) in enumerate(zip(self.parts, self.counts(), strict=True)):
            low, high = max(start - first, 0), min(stop - first, size)
            if low < high:
                for row in appeal_rows(self.appeals.filter(q)[low:high]):
                    row["part"] = part
                    rows.append(row)
            first += size
        return rows


def appeal_worklist(*, user: Any, sort: str = "", **filters: Any) -> AppealPages:
    """Return the operator's list: sorted by a column of LIST_SORTS when sort names one, else
    the user's own work first (see AppealPages), nearest term first in each part."""
    appeals = appeal_list(user=user, sort=sort, **filters)
    paths = access.held_paths(user, access.APPEAL, access.VIEW)
    if appeal_ordering(sort) is not None or not paths:  # no role: the list is empty anyway
        return AppealPages(appeals)
    # The branches by id: a national administrator's list needs no join to the tree for it.
    own = Q(node__in=Node.objects.filter(path__in=paths).values("pk"))
    return AppealPages(appeals, mine=Q(executor=user.pk), own=own)


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
        .order_by("held", by_name("full_name"), "id")
    )
    # Someone who no longer receives citizens is listed only for receptions they did hold.
    return [o for o in officials if o.is_active or o.held]
