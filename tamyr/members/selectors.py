"""Reads of the member registry. Each takes the acting user and starts from the scoped queryset."""

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Collate
from django.http import Http404

from tamyr.core.collation import by_name
from tamyr.members.models import (
    AppealOutcome,
    CaseOutcome,
    CaseStatus,
    Membership,
    MembershipEvent,
    Penalty,
    Person,
    search_key,
)
from tamyr.orgs import access
from tamyr.orgs.models import Node


def member_list(
    *,
    user: Any,
    query: str = "",
    node: Node | None = None,
    status: str = "",
    gender: str = "",
    sector: str = "",
    action: str = access.VIEW,
) -> QuerySet[Person]:
    """Return the people in the user's scope that match the search and filters."""
    # Applicants (no registration yet) are listed with the applications, not as members.
    people = access.scoped_people(user, action).exclude(status="").select_related("ppo")
    if node is not None:
        people = people.filter(ppo__path__startswith=node.path)
    if status:
        people = people.filter(status=status)
    if gender:
        people = people.filter(gender=gender)
    if sector:
        people = people.filter(sector=sector)
    query = query.strip()
    if query:
        if query.isdigit():
            people = people.filter(Q(iin__startswith=query) | Q(cards__number=query)).distinct()
        else:
            for term in search_key(query).split():
                people = people.filter(search_name__contains=term)
    return people.order_by(*person_name_order(), "pk")


def person_name_order(prefix: str = "") -> list[Collate]:
    """Return the order in which registries list people: by surname, name and patronymic, in
    the reader's alphabet; a prefix reaches the person through a relation ("person__")."""
    return [by_name(f"{prefix}{field}") for field in ("surname", "given_name", "patronymic")]


def member_memberships(*, person: Person) -> QuerySet[Membership]:
    """Return a visible person's registrations, newest first (the person is already scoped)."""
    return person.memberships.select_related("ppo").order_by("-started_on", "-id")


def member_timeline(*, person: Person) -> QuerySet[MembershipEvent]:
    """Return a visible person's life in the party, newest first."""
    return person.events.select_related("ppo", "other_ppo").order_by("-on", "-id")


def figures_period(user: Any, form: Any) -> tuple[Node, date, date]:
    """Return the node and period a figures page asks for: by default the user's top node,
    from the start of this year to today."""
    today = date.today()
    data = form.cleaned_data if form.is_valid() else {}
    node = (
        access.get_node(user, data["node"]) if data.get("node") else access.top_nodes(user).first()
    )
    if node is None:
        raise Http404
    return node, data.get("start") or date(today.year, 1, 1), data.get("end") or today


def discipline_counts(*, user: Any, node: Node, start: date, end: date) -> dict[str, Any]:
    """Return party responsibility under a node in a period: cases opened, decisions by the
    penalty that stands, members brought to responsibility, appeals."""
    cases = access.scoped_cases(user).filter(ppo__path__startswith=node.path)
    decided = cases.filter(decided_on__range=(start, end))
    penalised = decided.filter(outcome=CaseOutcome.PENALTY).exclude(final_penalty="")
    by_penalty = dict(
        penalised.values_list("final_penalty")
        .annotate(n=Count("pk"))
        .values_list("final_penalty", "n")
    )
    return {
        "opened": cases.filter(opened_on__range=(start, end)).count(),
        "decided": decided.count(),
        "no_penalty": decided.filter(outcome=CaseOutcome.NO_PENALTY).count(),
        "members_brought_to_responsibility": penalised.values("person").distinct().count(),
        "by_penalty": [(label, by_penalty.get(value, 0)) for value, label in Penalty.choices],
        "appeals_filed": cases.filter(appeal_filed_on__range=(start, end)).count(),
        "overturned": cases.filter(
            appeal_decided_on__range=(start, end), appeal_outcome=AppealOutcome.OVERTURNED
        ).count(),
        "pending": cases.filter(status__in=[CaseStatus.OPEN, CaseStatus.APPEALED]).count(),
    }
