"""Awards: ceremonies and conferrals to members or to citizens outside the party."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tamyr.core.audit import audit_event, snapshot
from tamyr.core.translated import has_text, texts_given
from tamyr.members.models import Ceremony, Conferral
from tamyr.members.rules import step_date_errors
from tamyr.members.services import raise_if
from tamyr.orgs.models import Node

CONFERRAL_FIELDS = (
    "award",
    "person",
    "citizen_name",
    "citizen_details",
    "conferred_on",
    "conferring_body",
    "ceremony",
)


@transaction.atomic
def ceremony_create(*, actor: Any, node: Node, data: dict[str, Any]) -> Ceremony:
    """Plan or record an award ceremony of a branch. The title and the place are given in one
    language or more: `title_kk`, `title_ru`, `title_en` (a plain `title` is the active
    language's), and the same for the place."""
    # A ceremony may be planned ahead, so its date may be in the future.
    errors = {} if data.get("held_on") else {"held_on": [_("Give the date.")]}
    titles, places = texts_given("title", data), texts_given("place", data)
    if not has_text(titles):
        errors["title"] = [_("Name the occasion in at least one language.")]
    raise_if(errors)
    ceremony = Ceremony.objects.create(node=node, held_on=data["held_on"], **titles, **places)
    audit_event(
        actor=actor, action="create", obj=ceremony, node_path=node.path, after=snapshot(ceremony)
    )
    return ceremony


@transaction.atomic
def conferral_create(*, actor: Any, node: Node, data: dict[str, Any]) -> Conferral:
    """Record an award given by a branch to a member or to a citizen."""
    person, citizen = data.get("person"), (data.get("citizen_name") or "").strip()
    errors = step_date_errors(data.get("conferred_on"), field="conferred_on")
    if person and not (person.ppo and person.ppo.path.startswith(node.path)):
        # A branch honours its own members; naming another branch's would show it to readers
        # of this branch's awards.
        errors["person"] = [_("The member is not registered under the conferring branch.")]
    if bool(person) == bool(citizen):
        errors["citizen_name"] = [
            _("Choose a member, or give the name of a citizen outside the party, not both.")
        ]
    if not (data.get("conferring_body") or "").strip():
        errors["conferring_body"] = [_("Say who conferred the award.")]
    reasons = texts_given("reason", data)
    if not has_text(reasons):
        errors["reason"] = [_("Say what the award is for, in at least one language.")]
    ceremony = data.get("ceremony")
    if ceremony is not None and ceremony.node_id != node.pk:
        errors["ceremony"] = [_("The ceremony belongs to another branch.")]
    if not data.get("award") or not data["award"].is_active:
        errors["award"] = [_("Choose an award that is still given.")]
    raise_if(errors)
    values = {k: data.get(k) for k in CONFERRAL_FIELDS}
    values["citizen_name"] = citizen
    values["citizen_details"] = (data.get("citizen_details") or "").strip()
    conferral = Conferral.objects.create(node=node, **values, **reasons)
    audit_event(
        actor=actor, action="create", obj=conferral, node_path=node.path, after=snapshot(conferral)
    )
    return conferral


@transaction.atomic
def conferral_delete(*, actor: Any, conferral: Conferral) -> None:
    """Delete a conferral entered by mistake; the audit log keeps it."""
    audit_event(
        actor=actor,
        action="delete",
        obj=conferral,
        node_path=conferral.node.path,
        before=snapshot(conferral),
    )
    conferral.delete()
