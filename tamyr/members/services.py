"""Writes to the member registry. Each runs in one transaction and is audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tamyr.core.audit import audit_event, save_versioned, snapshot
from tamyr.core.errors import ConflictError
from tamyr.members.models import CURRENT_STATUSES, Membership, MembershipStatus, Person
from tamyr.members.rules import membership_errors, normalise_phone, person_errors
from tamyr.orgs.models import Node
from tamyr.orgs.services import ppo_refresh_size

PERSON_FIELDS = (
    "surname",
    "given_name",
    "patronymic",
    "iin",
    "gender",
    "birth_date",
    "phone",
    "address",
    "sector",
    "education",
)
MEMBERSHIP_FIELDS = ("admitted_on", "card_number", "card_issued_on")


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_person_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: data[k] for k in PERSON_FIELDS if k in data}
    for key in ("surname", "given_name", "patronymic", "address", "iin"):
        if key in cleaned and isinstance(cleaned[key], str):
            cleaned[key] = cleaned[key].strip()
    if cleaned.get("phone"):
        cleaned["phone"] = normalise_phone(cleaned["phone"])
    return cleaned


def _unique_errors(
    iin: str | None, card_number: str | None, person_pk: Any = None, membership_pk: Any = None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    # One message whatever the person's status or branch: the registry must not answer "is
    # this citizen a member, and since when" for people outside the asker's subtree.
    if iin and Person.objects.filter(iin=iin).exclude(pk=person_pk).exists():
        errors["iin"] = [_("A person with this IIN is already registered.")]
    if (
        card_number
        and Membership.objects.filter(card_number=card_number).exclude(pk=membership_pk).exists()
    ):
        errors["card_number"] = [_("This membership card number is already issued.")]
    return errors


@transaction.atomic
def member_register(
    *, actor: Any, ppo: Node, person_data: dict[str, Any], membership_data: dict[str, Any]
) -> Person:
    """Register a new person as an active member of a PPO, with their card if issued."""
    if not ppo.is_ppo or not ppo.is_open:
        raise ValidationError({"ppo": _("Choose an open primary organisation.")})
    _raise_if(person_errors(person_data) | membership_errors(membership_data))
    person_values = _clean_person_data(person_data)
    membership_values = {k: membership_data.get(k) for k in MEMBERSHIP_FIELDS}
    membership_values["card_number"] = (membership_values.get("card_number") or "").strip() or None
    _raise_if(_unique_errors(person_values.get("iin"), membership_values["card_number"]))
    try:
        with transaction.atomic():
            person = Person.objects.create(**person_values, ppo=ppo, status=MembershipStatus.ACTIVE)
            membership = Membership.objects.create(
                person=person, ppo=ppo, status=MembershipStatus.ACTIVE, **membership_values
            )
    except IntegrityError as exc:
        # A concurrent registration won the race for the IIN or the card number.
        _raise_if(_unique_errors(person_values.get("iin"), membership_values["card_number"]))
        raise ValidationError(_("The record could not be saved; try again.")) from exc
    audit_event(
        actor=actor, action="create", obj=person, node_path=ppo.path, after=snapshot(person)
    )
    audit_event(
        actor=actor, action="create", obj=membership, node_path=ppo.path, after=snapshot(membership)
    )
    ppo_refresh_size(ppo=ppo)
    return person


def current_membership(person: Person) -> Membership | None:
    return person.memberships.filter(status__in=CURRENT_STATUSES).select_related("ppo").first()


@transaction.atomic
def member_update(
    *,
    actor: Any,
    person: Person,
    person_data: dict[str, Any],
    membership_data: dict[str, Any] | None = None,
    version: int,
) -> Person:
    """Change a member's personal data and current card, refusing an outdated edit."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.version != version:
        raise ConflictError()
    merged = {**{f: getattr(locked, f) for f in PERSON_FIELDS}, **person_data}
    membership = current_membership(locked)
    membership_values: dict[str, Any] = {}
    errors = person_errors(merged)
    if membership is not None and membership_data:
        membership_values = {
            k: membership_data[k] for k in MEMBERSHIP_FIELDS if k in membership_data
        }
        if "card_number" in membership_values:
            membership_values["card_number"] = (
                membership_values["card_number"] or ""
            ).strip() or None
        errors |= membership_errors(
            {**{f: getattr(membership, f) for f in MEMBERSHIP_FIELDS}, **membership_values}
        )
    _raise_if(errors)
    values = _clean_person_data(merged)
    _raise_if(
        _unique_errors(
            values.get("iin"),
            membership_values.get("card_number"),
            person_pk=locked.pk,
            membership_pk=membership.pk if membership else None,
        )
    )
    before = snapshot(locked)
    for field, value in values.items():
        setattr(locked, field, value)
    node_path = locked.ppo.path if locked.ppo else ""
    save_versioned(actor=actor, obj=locked, before=before, node_path=node_path)
    if membership is not None and membership_values:
        m_before = snapshot(membership)
        for field, value in membership_values.items():
            setattr(membership, field, value)
        membership.save()
        m_after = snapshot(membership)
        if m_after != m_before:
            audit_event(
                actor=actor,
                action="update",
                obj=membership,
                node_path=node_path,
                before=m_before,
                after=m_after,
            )
    return locked


@transaction.atomic
def member_delete(*, actor: Any, person: Person) -> None:
    """Delete a record entered by mistake, with its memberships; the audit trail keeps both."""
    node_path = person.ppo.path if person.ppo else ""
    ppos = {m.ppo for m in person.memberships.select_related("ppo")}
    for membership in person.memberships.all():
        audit_event(
            actor=actor,
            action="delete",
            obj=membership,
            node_path=node_path,
            before=snapshot(membership),
        )
    audit_event(
        actor=actor, action="delete", obj=person, node_path=node_path, before=snapshot(person)
    )
    person.delete()
    for ppo in ppos:
        ppo_refresh_size(ppo=ppo)
