"""Receptions of citizens: officials, the schedule, and what each reception gave."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tamyr.appeals.models import Official, Reception, ReceptionFormat, ReceptionStatus
from tamyr.core.audit import audit_event, snapshot
from tamyr.core.errors import ConflictError
from tamyr.orgs import access
from tamyr.orgs.models import Node


def _node_allowed(actor: Any, node: Node) -> None:
    if node.closed_on is not None or not access.node_allows(
        actor, access.RECEPTION, access.CREATE, node.pk
    ):
        raise ValidationError({"node": [_("Choose an open branch in your subtree.")]})


@transaction.atomic
def official_create(
    *, actor: Any, full_name: str, position: str, kind: str, node: Node
) -> Official:
    """Add someone who receives citizens at a branch."""
    _node_allowed(actor, node)
    errors = {}
    if not full_name.strip():
        errors["full_name"] = [_("This field is required.")]
    if not position.strip():
        errors["position"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    official = Official.objects.create(
        full_name=full_name.strip(), position=position.strip(), kind=kind, node=node
    )
    audit_event(
        actor=actor, action="create", obj=official, node_path=node.path, after=snapshot(official)
    )
    return official


@transaction.atomic
def reception_schedule(
    *,
    actor: Any,
    official: Official,
    node: Node,
    format: ReceptionFormat,
    starts_at: datetime,
    place: str,
) -> Reception:
    """Put a reception on the schedule."""
    _node_allowed(actor, node)
    if not official.is_active:
        raise ValidationError({"official": [_("This official no longer holds receptions.")]})
    if not place.strip():
        raise ValidationError({"place": [_("This field is required.")]})
    reception = Reception.objects.create(
        official=official, node=node, format=format, starts_at=starts_at, place=place.strip()
    )
    audit_event(
        actor=actor, action="create", obj=reception, node_path=node.path, after=snapshot(reception)
    )
    return reception


@transaction.atomic
def reception_record(
    *, actor: Any, reception: Reception, version: int, status: str, visitors: int
) -> Reception:
    """Record how a reception went: held with its visitors, or cancelled."""
    locked = Reception.objects.select_for_update().get(pk=reception.pk)
    if locked.version != version:
        raise ConflictError()
    if locked.status != ReceptionStatus.PLANNED:
        raise ValidationError(_("This reception's outcome is already recorded."))
    errors: dict[str, list[str]] = {}
    if status not in (ReceptionStatus.HELD, ReceptionStatus.CANCELLED):
        errors["status"] = [_("Say whether the reception was held or cancelled.")]
    elif status == ReceptionStatus.HELD and locked.starts_at > timezone.now():
        errors["status"] = [_("A reception cannot be held before it starts.")]
    if visitors < 0 or (status == ReceptionStatus.CANCELLED and visitors):
        errors["visitors"] = [_("A cancelled reception has no visitors.")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    locked.status, locked.visitors = status, visitors
    locked.version += 1
    locked.save()
    audit_event(
        actor=actor,
        action="update",
        obj=locked,
        node_path=locked.node.path,
        before=before,
        after=snapshot(locked),
    )
    return locked
