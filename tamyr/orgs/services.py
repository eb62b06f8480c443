"""Writes to the branch tree and staff roles. Each runs in one transaction and is audited."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from tamyr.core.audit import audit_event, save_versioned, snapshot
from tamyr.core.errors import ConflictError
from tamyr.orgs.access import access_changed
from tamyr.orgs.models import (
    ALLOWED_CHILDREN,
    Node,
    NodeKind,
    PPOSizeRecord,
    StaffRole,
    size_category_for,
)

NODE_FIELDS = (
    "kind",
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "host_kind",
    "host_name_kk",
    "host_name_ru",
    "host_name_en",
    "address",
    "opened_on",
)


def _check_names(data: dict[str, Any]) -> None:
    if not any((data.get(f) or "").strip() for f in ("name_kk", "name_ru", "name_en")):
        raise ValidationError({"name_kk": _("Give the name in at least one language.")})


def _check_kind_under(parent: Node | None, kind: str) -> None:
    if parent is None:
        if kind != NodeKind.CENTRAL:
            raise ValidationError({"kind": _("Only a central office can stand at the top.")})
        return
    if kind not in ALLOWED_CHILDREN.get(parent.kind, set()):
        raise ValidationError(
            {
                "kind": _("A %(child)s cannot be placed under a %(parent)s.")
                % {"child": NodeKind(kind).label, "parent": NodeKind(parent.kind).label}
            }
        )


@transaction.atomic
def node_create(*, actor: Any, parent: Node | None, data: dict[str, Any]) -> Node:
    """Create a node under the parent (or a new tree root) and record it."""
    _check_names(data)
    _check_kind_under(parent, data["kind"])
    if parent is not None and not parent.is_open:
        raise ValidationError(_("A closed node cannot receive new nodes."))
    if Node.objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": _("A node with this code already exists.")})
    values = {k: v for k, v in data.items() if k in NODE_FIELDS or k == "wing"}
    if parent is not None:
        values["wing"] = parent.wing
        node = Node.objects.add_child(parent, create_kwargs=values)
    else:
        node = Node.objects.add_root(create_kwargs=values)
    if node.is_ppo:
        _record_size(node, 0)
    audit_event(actor=actor, action="create", obj=node, node_path=node.path, after=snapshot(node))
    return node


@transaction.atomic
def node_update(*, actor: Any, node: Node, data: dict[str, Any], version: int) -> Node:
    """Change a node's own fields, refusing an edit based on an outdated version."""
    _check_names({**snapshot(node), **data})
    locked = Node.objects.select_for_update().get(pk=node.pk)
    if locked.version != version:
        raise ConflictError()
    if not locked.is_open:
        raise ValidationError(_("A closed node cannot be changed."))
    if "code" in data and Node.objects.filter(code=data["code"]).exclude(pk=node.pk).exists():
        raise ValidationError({"code": _("A node with this code already exists.")})
    before = snapshot(locked)
    for field, value in data.items():
        if field in NODE_FIELDS and field != "kind":
            setattr(locked, field, value)
    save_versioned(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def node_move(*, actor: Any, node: Node, new_parent: Node) -> Node:
    """Move a node with its whole subtree under another parent; history keeps the old place."""
    if new_parent.path.startswith(node.path):
        raise ValidationError(_("A node cannot be moved under itself."))
    _check_kind_under(new_parent, node.kind)
    if new_parent.wing != node.wing:
        raise ValidationError(_("A node cannot move between the party and the youth wing."))
    before = snapshot(node)
    Node.objects.move(node, new_parent, pos="last-child")
    access_changed()  # the subtree's paths were rewritten in SQL, past any signal
    node.refresh_from_db()
    # The before snapshot keeps the old path; the line is filed under the new place.
    audit_event(
        actor=actor,
        action="update",
        obj=node,
        node_path=node.path,
        before=before,
        after=snapshot(node),
    )
    return node


@transaction.atomic
def node_close(*, actor: Any, node: Node, on: date | None = None) -> Node:
    """Close a node that has no open children and no current members; the record stays."""
    from tamyr.members.models import CURRENT_STATUSES, Membership

    if not node.is_open:
        raise ValidationError(_("This node is already closed."))
    if Node.objects.get_children(node).filter(closed_on__isnull=True).exists():
        raise ValidationError(_("Close or move the nodes under it first."))
    if Membership.objects.filter(ppo=node, status__in=CURRENT_STATUSES).exists():
        raise ValidationError(_("Transfer its members to another PPO first."))
    if node.applications.filter(status="pending").exists():
        raise ValidationError(_("Decide its pending applications first."))
    before = snapshot(node)
    node.closed_on = on or date.today()
    save_versioned(actor=actor, obj=node, before=before)
    return node


@transaction.atomic
def node_merge(*, actor: Any, node: Node, into: Node) -> Node:
    """Merge a node into another of the same kind: its children and members move, it closes."""
    # Locked, so that two merges of one node (two tabs, two secretaries) cannot both run.
    node = Node.objects.select_for_update().get(pk=node.pk)
    if node.pk == into.pk or into.path.startswith(node.path):
        raise ValidationError(_("A node cannot be merged into itself or its own subtree."))
    if node.kind != into.kind or node.wing != into.wing or not into.is_open:
        raise ValidationError(_("Only an open node of the same kind can receive a merge."))
    if not node.is_open:
        raise ValidationError(_("This node is already closed."))
    for child in list(Node.objects.get_children(node)):
        node_move(actor=actor, node=child, new_parent=into)
    if node.is_ppo:
        from tamyr.members.lifecycle import ppo_memberships_merge

        # As transfers: the current registrations close and reopen in the target, and the
        # ended ones stay, so the composition of any past date is what it was.
        ppo_memberships_merge(actor=actor, ppo=node, into=into, on=date.today())
    node.refresh_from_db()
    before = snapshot(node)
    node.merged_into = into
    node.closed_on = date.today()
    save_versioned(actor=actor, obj=node, before=before)
    return node


def _record_size(ppo: Node, active: int) -> None:
    category = size_category_for(active)
    ppo.active_member_count = active
    if ppo.size_category != category:
        ppo.size_category = category
        PPOSizeRecord.objects.create(ppo=ppo, category=category, active_members=active)
    Node.objects.filter(pk=ppo.pk).update(
        active_member_count=active, size_category=ppo.size_category
    )


def ppo_refresh_size(*, ppo: Node) -> str:
    """Recount a PPO's active members and record its size category when it changes."""
    from tamyr.members.models import Membership, MembershipStatus

    active = Membership.objects.filter(ppo=ppo, status=MembershipStatus.ACTIVE).count()
    ppo.refresh_from_db(fields=["size_category", "active_member_count"])
    _record_size(ppo, active)
    return ppo.size_category


@transaction.atomic
def ppo_refresh_all_sizes() -> int:
    """Recount every open PPO's active members in one query; return how many changed.

    Services keep the counts current; this nightly pass catches anything written around them
    (fixes in the database, say) so the size categories never drift.
    """
    return _refresh_sizes(Node.objects.filter(kind="primary", closed_on__isnull=True))


def ppo_refresh_sizes(*, ppo_ids: list[int]) -> int:
    """Recount these PPOs' active members in one query; return how many changed."""
    return _refresh_sizes(Node.objects.filter(pk__in=ppo_ids))


def _refresh_sizes(ppos) -> int:
    """Recount, then write only what changed, in bulk: after an import every PPO may change."""
    from tamyr.members.models import Membership, MembershipStatus

    counts = dict(
        Membership.objects.filter(status=MembershipStatus.ACTIVE, ppo__in=ppos)
        .values_list("ppo")
        .annotate(n=Count("pk"))
        .values_list("ppo", "n")
    )
    changed, history = [], []
    for ppo in ppos.only("pk", "active_member_count", "size_category").iterator(chunk_size=2000):
        active = counts.get(ppo.pk, 0)
        category = size_category_for(active)
        if active == ppo.active_member_count and category == ppo.size_category:
            continue
        if category != ppo.size_category:
            history.append(PPOSizeRecord(ppo=ppo, category=category, active_members=active))
        ppo.active_member_count, ppo.size_category = active, category
        changed.append(ppo)
    _write_sizes(changed)
    PPOSizeRecord.objects.bulk_create(history, batch_size=2000)
    return len(changed)


def _write_sizes(changed: list[Node]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        Node.objects.bulk_update(changed, ["active_member_count", "size_category"], batch_size=500)
        return
    # bulk_update's CASE costs seconds for thousands of rows; a join on VALUES is one pass.
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 2000):
            batch = changed[start : start + 2000]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            params = [x for n in batch for x in (n.pk, n.active_member_count, n.size_category)]
            # Only placeholders are interpolated; the values travel as parameters.
            update = "UPDATE orgs_node AS n SET active_member_count = v.c, size_category = v.s "
            sql = f"{update}FROM (VALUES {values}) AS v(id, c, s) WHERE n.id = v.id"
            cursor.execute(sql, params)


@transaction.atomic
def staff_role_grant(
    *,
    actor: Any,
    user: Any,
    role: str,
    node: Node,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> StaffRole:
    """Give a user a role at a node."""
    staff_role = StaffRole(
        user=user, role=role, node=node, valid_from=valid_from or date.today(), valid_to=valid_to
    )
    staff_role.full_clean()
    staff_role.save()
    audit_event(
        actor=actor,
        action="create",
        obj=staff_role,
        node_path=node.path,
        after=snapshot(staff_role),
    )
    return staff_role


@transaction.atomic
def staff_role_end(*, actor: Any, staff_role: StaffRole, on: date | None = None) -> StaffRole:
    """End a role on a date; the row stays as history."""
    before = snapshot(staff_role)
    staff_role.valid_to = on or date.today()
    staff_role.full_clean()
    staff_role.save()
    audit_event(
        actor=actor,
        action="update",
        obj=staff_role,
        node_path=staff_role.node.path,
        before=before,
        after=snapshot(staff_role),
    )
    return staff_role
