"""Who may do what, where: the one place that answers every access question.

A staff role is bound to a node and applies to the node's whole subtree. Every list, detail,
search, export, admin page and API call asks this module for a scoped queryset or an object.
Anything not granted here is denied. An object outside the user's subtree is a 404, so ids do
not reveal that a record exists; an object the user may see but not change is a 403.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import attrgetter, or_
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tamyr.core.collation import by_name, sorted_by_name
from tamyr.orgs.models import Node, Role, StaffRole

VIEW, CREATE, UPDATE, DELETE, EXPORT = "view", "create", "update", "delete", "export"
ACTIONS = (VIEW, CREATE, UPDATE, DELETE, EXPORT)
NODE, MEMBER, AUDIT, DISCIPLINE, AWARD = "node", "member", "audit", "discipline", "award"
APPEAL, RECEPTION = "appeal", "reception"

# What each role may do, by object type. Node "create" means creating a child under the node;
# "update" and "delete" (closing) apply strictly below the role's own node: a node is managed
# from the level above it. Only the national administrator manages the central office.
GRANTS: dict[str, dict[str, frozenset[str]]] = {
    Role.NATIONAL_ADMIN: {
        NODE: frozenset(ACTIONS),
        MEMBER: frozenset(ACTIONS),
        AUDIT: frozenset({VIEW}),
        DISCIPLINE: frozenset(ACTIONS),
        AWARD: frozenset(ACTIONS),
        APPEAL: frozenset(ACTIONS),
        RECEPTION: frozenset(ACTIONS),
    },
    Role.SECRETARY: {
        NODE: frozenset({VIEW, CREATE, UPDATE, DELETE, EXPORT}),
        # Member "update" covers the lifecycle steps: card, transfer, suspension, exit, death.
        MEMBER: frozenset({VIEW, CREATE, UPDATE, EXPORT}),
        AUDIT: frozenset({VIEW}),
        # Secretaries see their members' cases; only the commission opens and decides them.
        DISCIPLINE: frozenset({VIEW}),
        AWARD: frozenset({VIEW, CREATE, UPDATE, DELETE, EXPORT}),
        # Secretaries execute and control appeals sent to their branch.
        APPEAL: frozenset({VIEW, CREATE, UPDATE, EXPORT}),
        RECEPTION: frozenset({VIEW, CREATE, UPDATE, EXPORT}),
    },
    Role.CONTROL_COMMISSION: {
        NODE: frozenset({VIEW}),
        MEMBER: frozenset({VIEW}),
        AUDIT: frozenset({VIEW}),
        DISCIPLINE: frozenset({VIEW, CREATE, UPDATE, EXPORT}),
    },
    # Analysts and observers see the reception schedule, never a citizen's appeal.
    Role.ANALYST: {
        NODE: frozenset({VIEW, EXPORT}),
        MEMBER: frozenset({VIEW, EXPORT}),
        AWARD: frozenset({VIEW, EXPORT}),
        RECEPTION: frozenset({VIEW, EXPORT}),
    },
    Role.OBSERVER: {
        NODE: frozenset({VIEW}),
        MEMBER: frozenset({VIEW}),
        AWARD: frozenset({VIEW}),
        RECEPTION: frozenset({VIEW}),
    },
    Role.RECEPTION_OPERATOR: {
        NODE: frozenset({VIEW}),
        APPEAL: frozenset({VIEW, CREATE, UPDATE, EXPORT}),
        RECEPTION: frozenset({VIEW, CREATE, UPDATE, EXPORT}),
    },
    Role.JUROR: {NODE: frozenset({VIEW})},
}
# Whoever may view a node may also see its aggregate counts (members by status, PPOs): they name
# no person, and jurors and reception operators need the size of the organisations they serve.

# Actions on a node that its own role holder may not take on the node itself.
STRICTLY_BELOW = {(NODE, UPDATE), (NODE, DELETE)}


@dataclass(frozen=True)
class Grant:
    role: str
    path: str  # the role's node's tree path; the grant covers every path starting with it
    depth: int
    everywhere: bool  # national administrators see every tree, the youth wing's included


# Grants are read on every request and change only when a role, a branch or a staff account
# does. Each such change draws a new random version; every cached entry carries the version it
# was read under and counts only while that is still the version. A random version, unlike a
# counter, cannot come back after the cache evicts it. One round trip fetches the version with
# all of a user's entries.
ACCESS_VERSION_KEY = "tamyr:access-version"
ACCESS_CACHE_SECONDS = 600
# Named apart from the staff menu's earlier, one-language entries ("appeal-staff").
CACHED_PER_USER = ("grants", "appeal-menus")


def access_changed() -> None:
    """Forget every cached grant and staff menu: now, and again once the current transaction
    commits, since until then another request may still read, and cache, the old rows."""

    def new_version() -> None:
        cache.set(ACCESS_VERSION_KEY, secrets.token_hex(8), timeout=None)

    new_version()
    transaction.on_commit(new_version, robust=True)


def _user_key(user: Any, what: str) -> str:
    return f"tamyr:{what}:{user.pk}:{date.today().isoformat()}"


def _cached_per_user(user: Any, what: str, read: Any) -> Any:
    """Return what read() gives for this user today, from the cache while nothing changed.

    The user object keeps what it fetched for the rest of the request: one request answers
    every access question from one version."""
    fetched = getattr(user, "_tamyr_access", None)
    if fetched is None:  # the first question in this request: one round trip for all
        keys = [ACCESS_VERSION_KEY, *(_user_key(user, name) for name in CACHED_PER_USER)]
        found = cache.get_many(keys)
        version = found.get(ACCESS_VERSION_KEY)
        if version is None:
            cache.add(ACCESS_VERSION_KEY, secrets.token_hex(8), timeout=None)
            version = cache.get(ACCESS_VERSION_KEY)
        entries = {name: found.get(_user_key(user, name)) for name in CACHED_PER_USER}
        fetched = user._tamyr_access = (version, entries)
    version, entries = fetched
    entry = entries.get(what)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = read()
    entries[what] = (version, value)
    cache.set(_user_key(user, what), (version, value), ACCESS_CACHE_SECONDS)
    return value


def active_grants(user: Any, today: date | None = None) -> list[Grant]:
    """Return the user's grants valid today (or on another day, read afresh)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if today is not None:
        return _read_grants(user, today)
    return list(_cached_per_user(user, "grants", lambda: _read_grants(user, date.today())))


def _read_grants(user: Any, day: date) -> list[Grant]:
    roles = (
        StaffRole.objects.filter(user=user, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .filter(node__closed_on__isnull=True)
        .values_list("role", "node__path", "node__depth")
    )
    return [
        Grant(role=r, path=p, depth=d, everywhere=(r == Role.NATIONAL_ADMIN)) for r, p, d in roles
    ]


def _grants_for(user: Any, object_type: str, action: str) -> list[Grant]:
    return [g for g in active_grants(user) if action in GRANTS.get(g.role, {}).get(object_type, ())]


def may(user: Any, object_type: str, action: str) -> bool:
    """Return whether the user may take this action on this type of object anywhere at all."""
    return bool(_grants_for(user, object_type, action))


def _path_q(grants: Iterable[Grant], field: str, object_type: str, action: str) -> Q:
    """Return a filter on a tree-path field for the nodes these grants cover."""
    parts = []
    for g in grants:
        if g.everywhere:
            return Q()
        q = Q(**{f"{field}__startswith": g.path})
        if (object_type, action) in STRICTLY_BELOW:
            q &= ~Q(**{field: g.path})
        parts.append(q)
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def held_paths(user: Any, object_type: str, action: str) -> list[str]:
    """Return the paths of the nodes where the user holds a role granting the action: their
    own branches, as against the subtree below them."""
    return sorted({g.path for g in _grants_for(user, object_type, action)})


def node_filter(user: Any, object_type: str, action: str, field: str = "path") -> Q:
    """Return a Q limiting a tree-path field to where the user may take the action."""
    return _path_q(_grants_for(user, object_type, action), field, object_type, action)


def node_allows(user: Any, object_type: str, action: str, node_pk: Any) -> bool:
    """Return whether the user may take the action on objects of this type at this node."""
    return (
        node_pk is not None
        and Node.objects.filter(node_filter(user, object_type, action), pk=node_pk).exists()
    )


def scoped_nodes(user: Any, action: str = VIEW) -> QuerySet[Node]:
    """Return the nodes the user may take the action on."""
    return Node.objects.filter(node_filter(user, NODE, action))


def scoped_ppos_for_members(user: Any, action: str) -> QuerySet[Node]:
    """Return the open PPOs where the user may take a member action (e.g. register a member)."""
    return Node.objects.filter(
        node_filter(user, MEMBER, action), kind="primary", closed_on__isnull=True
    )


def scoped_people(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the people registered in PPOs where the user may take the action."""
    from tamyr.members.models import Person

    return Person.objects.filter(node_filter(user, MEMBER, action, field="ppo__path"))


def scoped_applications(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the applications to PPOs where the user may take the member action."""
    from tamyr.members.models import Application

    return Application.objects.filter(node_filter(user, MEMBER, action, field="ppo__path"))


def scoped_cases(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the discipline cases about members of PPOs in the user's subtree."""
    from tamyr.members.models import DisciplineCase

    return DisciplineCase.objects.filter(node_filter(user, DISCIPLINE, action, field="ppo__path"))


def scoped_conferrals(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the awards conferred by branches in the user's subtree."""
    from tamyr.members.models import Conferral

    return Conferral.objects.filter(node_filter(user, AWARD, action, field="node__path"))


def scoped_ceremonies(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the award ceremonies of branches in the user's subtree."""
    from tamyr.members.models import Ceremony

    return Ceremony.objects.filter(node_filter(user, AWARD, action, field="node__path"))


def scoped_award_nodes(user: Any, action: str = CREATE) -> QuerySet[Node]:
    """Return the open nodes where the user may confer awards or hold ceremonies."""
    return scoped_nodes_for(user, AWARD, action)


def scoped_appeals(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the appeals under the control of branches in the user's subtree."""
    from tamyr.appeals.models import Appeal

    return Appeal.objects.filter(node_filter(user, APPEAL, action, field="node__path"))


def scoped_receptions(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the receptions held at branches in the user's subtree."""
    from tamyr.appeals.models import Reception

    return Reception.objects.filter(node_filter(user, RECEPTION, action, field="node__path"))


def scoped_officials(user: Any, action: str = VIEW) -> QuerySet[Any]:
    """Return the officials who receive citizens at branches in the user's subtree."""
    from tamyr.appeals.models import Official

    return Official.objects.filter(node_filter(user, RECEPTION, action, field="node__path"))


def scoped_nodes_for(user: Any, object_type: str, action: str) -> QuerySet[Node]:
    """Return the open nodes where the user may take the action on this type of object."""
    return Node.objects.filter(node_filter(user, object_type, action), closed_on__isnull=True)


def scoped_appeal_nodes(user: Any, action: str = UPDATE) -> QuerySet[Node]:
    """Return the open nodes to which the user may send appeals (or register them)."""
    return scoped_nodes_for(user, APPEAL, action)


# Staff are listed by surname, as registries list people, in the reader's alphabet.
_STAFF_ORDER = ("last_name", "first_name", "username")


def _appeal_staff(where: Q) -> QuerySet[Any]:
    """Return the active users holding, today, a role that works on appeals, at nodes where;
    each with those roles (and their nodes) as `held_roles`, which their choice label names."""
    from django.contrib.auth import get_user_model

    today = date.today()
    roles = [r for r, grants in GRANTS.items() if UPDATE in grants.get(APPEAL, ())]
    # A role at a closed branch grants nothing (see _read_grants): its holder is nobody to
    # assign or filter by.
    holders = StaffRole.objects.filter(
        role__in=roles, valid_from__lte=today, node__closed_on__isnull=True
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today), where)
    held = holders.select_related("node")
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=holders.values("user"))
        .order_by(*(by_name(f) for f in _STAFF_ORDER))
        .prefetch_related(
            Prefetch("staff_roles", held.order_by("node__path", "role"), to_attr="held_roles")
        )
    )


def staff_for_appeals(node: Node) -> QuerySet[Any]:
    """Return the users who may work on appeals at this node: its executors and controllers
    are chosen among them."""
    ancestors = [node.path[:i] for i in range(Node.steplen, len(node.path) + 1, Node.steplen)]
    # A national administrator's grant covers every tree; everyone else's only their subtree.
    return _appeal_staff(Q(node__path__in=ancestors) | Q(role=Role.NATIONAL_ADMIN))


def appeal_staff_menu(user: Any) -> list[tuple[int, str]]:
    """Return (id, label) of the users who work on appeals anywhere in the user's appeal
    subtree, labelled in the reader's language with their branches and positions there: the
    list's executor filter, read on every view of the busiest page."""
    from django.conf import settings
    from django.utils import translation

    from tamyr.orgs.staff import staff_choice_label

    def read() -> dict[str, list[tuple[int, str]]]:
        # One cached entry serves every language: the labels are written in each at once.
        staff = list(_appeal_staff(node_filter(user, APPEAL, VIEW, field="node__path")))
        menus = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                ordered = sorted_by_name(staff, *(attrgetter(f) for f in _STAFF_ORDER))
                menus[language] = [(u.pk, staff_choice_label(u)) for u in ordered]
        return menus

    menus = _cached_per_user(user, "appeal-menus", read)
    return menus.get(translation.get_language()) or menus[settings.LANGUAGE_CODE]


def get_appeal(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_scoped_or_404(user, APPEAL, scoped_appeals, pk, action)


def get_reception(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_scoped_or_404(user, RECEPTION, scoped_receptions, pk, action)


def scoped_audit_events(user: Any) -> QuerySet[Any]:
    """Return the audit events about objects in the user's subtree."""
    from tamyr.core.models import AuditEvent

    # Events with no node (e.g. about users) match no path prefix: only national scope sees them.
    return AuditEvent.objects.filter(node_filter(user, AUDIT, VIEW, field="node_path"))


def require(user: Any, object_type: str, action: str) -> None:
    """Raise PermissionDenied unless the user may take the action somewhere."""
    if not may(user, object_type, action):
        raise PermissionDenied(_("Your role does not allow this."))


def get_scoped_or_404(
    user: Any, object_type: str, queryset_for: Any, pk: Any, action: str = VIEW
) -> Model:
    """Return the object if the user may take the action on it.

    Not visible at all: 404. Visible but the action is not granted: 403.
    """
    visible = queryset_for(user, VIEW)
    try:
        obj = visible.get(pk=pk)
    except (ValueError, TypeError, ValidationError, visible.model.DoesNotExist) as exc:
        raise Http404(_("Not found.")) from exc
    if action != VIEW and not queryset_for(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("Your role does not allow this."))
    return obj


def get_node(user: Any, pk: Any, action: str = VIEW) -> Node:
    node = get_scoped_or_404(user, NODE, scoped_nodes, pk, action)
    assert isinstance(node, Node)
    return node


def get_person(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_scoped_or_404(user, MEMBER, scoped_people, pk, action)


def get_application(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_scoped_or_404(user, MEMBER, scoped_applications, pk, action)


def get_case(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_scoped_or_404(user, DISCIPLINE, scoped_cases, pk, action)


def get_conferral(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_scoped_or_404(user, AWARD, scoped_conferrals, pk, action)


def get_ceremony(user: Any, pk: Any, action: str = VIEW) -> Any:
    return get_scoped_or_404(user, AWARD, scoped_ceremonies, pk, action)


def roles_of(user: Any) -> list[str]:
    return sorted({g.role for g in active_grants(user)})


def top_nodes(user: Any) -> QuerySet[Node]:
    """Return the highest nodes the user sees: the roots of their visible forest."""
    grants = _grants_for(user, NODE, VIEW)
    if any(g.everywhere for g in grants):
        return Node.objects.get_root_nodes()
    paths = sorted({g.path for g in grants})
    # Drop nodes already inside another granted subtree.
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return Node.objects.filter(path__in=tops).order_by("path")
