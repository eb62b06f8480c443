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
from tamyr.core.translated import has_text, texts_given
from tamyr.orgs import access
from tamyr.orgs.models import Node


def _node_allowed(actor: Any, node: Node) -> None:
    if node.closed_on is not None or not access.node_allows(
        actor, access.RECEPTION, access.CREATE, node.pk
    ):
        raise ValidationError({"node": [_("Choose an open branch in your subtree.")]})


@transaction.atomic
def official_create(
    *,
    actor: Any,
    full_name: str,
    kind: str,
    node: Node,
    position: str = "",
    position_kk: str = "",
    position_ru: str = "",
    position_en: str = "",
) -> Official:
    """Add someone who receives citizens at a branch. The position is given in one language or
    more (`position` alone is the active language's)."""
    _node_allowed(actor, node)
    positions = texts_given(
        "position",
        {
            "position": position,
            "position_kk": position_kk,
            "position_ru": position_ru,
            "position_en": position_en,
        },
    )
    errors = {}
    if not full_name.strip():
        errors["full_name"] = [_("This field is required.")]
    if not has_text(positions):
        errors["position"] = [_("Give the position in at least one language.")]
    if errors:
        raise ValidationError(errors)
    official = Official.objects.create(
        full_name=full_name.strip(), kind=kind, node=node, **positions
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
    place: str = "",
    place_kk: str = "",
    place_ru: str = "",
    place_en: str = "",
) -> Reception:
    """Put a reception on the schedule. The place is given in one language or more (`place`
    alone is the active language's)."""
    _node_allowed(actor, node)
    # The official is a write target too: a reception puts them on a branch's schedule.
    if not access.scoped_officials(actor).filter(pk=official.pk).exists():
        raise ValidationError({"official": [_("Choose an official of your subtree.")]})
    if not official.is_active:
        raise ValidationError({"official": [_("This official no longer holds receptions.")]})
    places = texts_given(
        "place", {"place": place, "place_kk": place_kk, "place_ru": place_ru, "place_en": place_en}
    )
    if not has_text(places):
        raise ValidationError({"place": [_("Give the place in at least one language.")]})
    reception = Reception.objects.create(
        official=official, node=node, format=format, starts_at=starts_at, **places
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
