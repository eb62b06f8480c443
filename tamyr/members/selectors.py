"""Reads of the member registry. Each takes the acting user and starts from the scoped queryset."""

from typing import Any

from django.db.models import Q, QuerySet

from tamyr.members.models import Membership, Person, search_key
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
    people = access.scoped_people(user, action).select_related("ppo")
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
            people = people.filter(
                Q(iin__startswith=query) | Q(memberships__card_number=query)
            ).distinct()
        else:
            for term in search_key(query).split():
                people = people.filter(search_name__contains=term)
    return people.order_by("surname", "given_name", "pk")


def member_memberships(*, person: Person) -> QuerySet[Membership]:
    """Return a visible person's memberships, newest first (the person is already scoped)."""
    return person.memberships.select_related("ppo").order_by("-admitted_on", "-id")
