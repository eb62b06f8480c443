"""Reads of the branch tree. Each takes the acting user and starts from the scoped queryset."""

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from tamyr.members.models import MembershipStatus, Person, search_key
from tamyr.orgs import access
from tamyr.orgs.models import ALLOWED_CHILDREN, Node, NodeKind, StaffRole

# The kinds of node that are branches: everything between the central office and the PPOs.
BRANCH_KINDS = {NodeKind.REGION, NodeKind.CITY, NodeKind.DISTRICT}


def node_children(*, user: Any, node: Node) -> QuerySet[Node]:
    """Return the node's children that the user may see, in tree order."""
    return (
        access.scoped_nodes(user)
        .filter(path__startswith=node.path, depth=node.depth + 1)
        .order_by("path")
    )


def node_ancestors(*, user: Any, node: Node) -> list[Node]:
    """Return the node's ancestors that the user may see, from the top down (breadcrumbs)."""
    visible = access.scoped_nodes(user)
    paths = [node.path[: i * Node.steplen] for i in range(1, node.depth)]
    return list(visible.filter(path__in=paths).order_by("depth"))


def node_subtree_counts(*, user: Any, node: Node) -> dict[str, int]:
    """Return the counts under a node the user sees: the open branches and PPOs below it (a
    figure only for the kinds the node may hold) and its members by status."""
    below = access.scoped_nodes(user).filter(
        path__startswith=node.path, depth__gt=node.depth, closed_on__isnull=True
    )
    # An aggregate, not a grouping by kind: the tree's manager orders by path, and a grouping
    # on an ordered queryset groups by the path too, one row a node.
    figures = {}
    if not node.is_ppo:
        figures["ppos"] = Count("pk", filter=Q(kind=NodeKind.PRIMARY))
    if ALLOWED_CHILDREN.get(node.kind, set()) & BRANCH_KINDS:
        figures["branches"] = Count("pk", filter=Q(kind__in=BRANCH_KINDS))
    counts: dict[str, int] = below.aggregate(**figures) if figures else {}
    # Counting members reveals no person, so anyone who sees the nodes sees the totals.
    members = Person.objects.filter(ppo__path__startswith=node.path).aggregate(
        active=Count("pk", filter=Q(status=MembershipStatus.ACTIVE)),
        suspended=Count("pk", filter=Q(status=MembershipStatus.SUSPENDED)),
    )
    counts.update(members)
    return counts


def home_counts(*, user: Any) -> list[tuple[Node, dict[str, int]]]:
    """Return the counts for each top node the user sees."""
    return [(node, node_subtree_counts(user=user, node=node)) for node in access.top_nodes(user)]


def node_list(
    *,
    user: Any,
    query: str = "",
    kind: str = "",
    include_closed: bool = False,
    action: str = access.VIEW,
) -> QuerySet[Node]:
    """Return the user's nodes matching a name or code search and a kind."""
    nodes = access.scoped_nodes(user, action)
    if not include_closed:
        nodes = nodes.filter(closed_on__isnull=True)
    if kind:
        nodes = nodes.filter(kind=kind)
    if query:
        for term in search_key(query).split():
            nodes = nodes.filter(search_name__contains=term)
    return nodes.order_by("path")


def user_roles(*, user: Any) -> QuerySet[StaffRole]:
    """Return the user's own roles valid today, with their nodes."""
    today = date.today()
    return (
        StaffRole.objects.filter(user=user, valid_from__lte=today, node__closed_on__isnull=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("node")
        .order_by("node__path")
    )
