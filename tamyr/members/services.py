"""Writes to the member registry: registering, editing and deleting people.

Lifecycle steps (applications, cards, transfers, suspension, exit...) are in lifecycle.py.
Each service runs in one transaction and is audited.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tamyr.core.audit import audit_event, save_versioned, snapshot
from tamyr.core.errors import ConflictError
from tamyr.members.models import (
    CURRENT_STATUSES,
    Entry,
    EventKind,
    Membership,
    MembershipCard,
    MembershipEvent,
    MembershipStatus,
    Person,
)
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
# What registering an already admitted member records besides the person.
MEMBERSHIP_FIELDS = (
    "admitted_on",
    "admission_body",
    "admission_protocol",
    "card_number",
    "card_issued_on",
    "card_issued_by",
)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def clean_person_data(data: dict[str, Any]) -> dict[str, Any]:
    """Return the person's fields trimmed, with the phone in E.164 form."""
    cleaned = {k: data[k] for k in PERSON_FIELDS if k in data}
    for key in ("surname", "given_name", "patronymic", "address", "iin"):
        if key in cleaned and isinstance(cleaned[key], str):
            cleaned[key] = cleaned[key].strip()
    if cleaned.get("phone"):
        cleaned["phone"] = normalise_phone(cleaned["phone"])
    return cleaned


def unique_errors(
    iin: str | None, card_number: str | None, person_pk: Any = None
) -> dict[str, list[str]]:
    """Return clashes with the national registry: the IIN and the card number."""
    errors: dict[str, list[str]] = {}
    # One message whatever the person's status or branch: the registry must not answer "is
    # this citizen a member, and since when" for people outside the asker's subtree.
    if iin and Person.objects.filter(iin=iin).exclude(pk=person_pk).exists():
        errors["iin"] = [_("A person with this IIN is already registered.")]
    if card_number and MembershipCard.objects.filter(number=card_number).exists():
        errors["card_number"] = [_("This membership card number is already issued.")]
    return errors


def sync_registration(person: Person) -> None:
    """Copy where the person stands onto the person row, for scoping and lists.

    The PPO is that of the current registration, else of a pending application, else of the
    last registration; the status is the latest registration's ("" for an applicant).
    """
    latest = person.memberships.order_by("-started_on", "-id").first()
    pending = person.applications.filter(status="pending").first()
    ppo_id: int | None
    if latest is not None and latest.status in CURRENT_STATUSES:
        ppo_id, status = latest.ppo_id, latest.status
    elif pending is not None:
        ppo_id, status = pending.ppo_id, latest.status if latest else ""
    else:
        ppo_id, status = (latest.ppo_id, latest.status) if latest else (person.ppo_id, "")
    Person.objects.filter(pk=person.pk).update(ppo_id=ppo_id, status=status)
    person.ppo_id, person.status = ppo_id, status


def record_event(
    *,
    person: Person,
    kind: str,
    on: date,
    ppo: Node,
    membership: Membership | None = None,
    other_ppo: Node | None = None,
    reason: str = "",
) -> MembershipEvent:
    return MembershipEvent.objects.create(
        person=person,
        membership=membership,
        kind=kind,
        on=on,
        ppo=ppo,
        other_ppo=other_ppo,
        reason=reason,
    )


@transaction.atomic
def member_register(
    *, actor: Any, ppo: Node, person_data: dict[str, Any], membership_data: dict[str, Any]
) -> Person:
    """Register a person already admitted to the party as an active member of a PPO, with
    their card if one was issued."""
    if not ppo.is_ppo or not ppo.is_open:
        raise ValidationError({"ppo": _("Choose an open primary organisation.")})
    raise_if(person_errors(person_data) | membership_errors(membership_data))
    person_values = clean_person_data(person_data)
    card_number = (membership_data.get("card_number") or "").strip() or None
    raise_if(unique_errors(person_values.get("iin"), card_number))
    admitted_on = membership_data["admitted_on"]
    try:
        with transaction.atomic():
            person = Person.objects.create(**person_values, ppo=ppo, status=MembershipStatus.ACTIVE)
            membership = Membership.objects.create(
                person=person,
                ppo=ppo,
                status=MembershipStatus.ACTIVE,
                entry=Entry.ADMISSION,
                admitted_on=admitted_on,
                started_on=admitted_on,
                admission_body=membership_data.get("admission_body") or "",
                admission_protocol=membership_data.get("admission_protocol") or "",
            )
            card = None
            if card_number:
                card = MembershipCard.objects.create(
                    person=person,
                    number=card_number,
                    issued_on=membership_data["card_issued_on"],
                    issued_by=membership_data.get("card_issued_by") or "",
                )
    except IntegrityError as exc:
        # A concurrent registration won the race for the IIN or the card number.
        raise_if(unique_errors(person_values.get("iin"), card_number))
        raise ValidationError(_("The record could not be saved; try again.")) from exc
    record_event(
        person=person, kind=EventKind.REGISTERED, on=admitted_on, ppo=ppo, membership=membership
    )
    for obj in filter(None, (person, membership, card)):
        audit_event(actor=actor, action="create", obj=obj, node_path=ppo.path, after=snapshot(obj))
    if card is not None:
        record_event(
            person=person,
            kind=EventKind.CARD_ISSUED,
            on=card.issued_on,
            ppo=ppo,
            membership=membership,
            reason=f"№ {card.number}",
        )
    ppo_refresh_size(ppo=ppo)
    return person


def current_membership(person: Person) -> Membership | None:
    return person.memberships.filter(status__in=CURRENT_STATUSES).select_related("ppo").first()


def valid_card(person: Person) -> MembershipCard | None:
    return person.cards.filter(cancelled_on__isnull=True).first()


@transaction.atomic
def member_update(
    *, actor: Any, person: Person, person_data: dict[str, Any], version: int
) -> Person:
    """Change a member's personal data, refusing an edit based on an outdated version."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.version != version:
        raise ConflictError()
    merged = {**{f: getattr(locked, f) for f in PERSON_FIELDS}, **person_data}
    raise_if(person_errors(merged))
    values = clean_person_data(merged)
    raise_if(unique_errors(values.get("iin"), None, person_pk=locked.pk))
    before = snapshot(locked)
    for field, value in values.items():
        setattr(locked, field, value)
    node_path = locked.ppo.path if locked.ppo else ""
    save_versioned(actor=actor, obj=locked, before=before, node_path=node_path)
    return locked


@transaction.atomic
def member_delete(*, actor: Any, person: Person) -> None:
    """Delete a record entered by mistake, with its registrations and cards; the audit trail
    keeps them all."""
    if person.discipline_cases.exists() or person.awards.exists():
        raise ValidationError(
            _("This record has discipline cases or awards: it is history, not a mistake.")
        )
    node_path = person.ppo.path if person.ppo else ""
    ppos = {m.ppo for m in person.memberships.select_related("ppo")}
    for part in [*person.memberships.all(), *person.cards.all(), *person.applications.all()]:
        audit_event(
            actor=actor, action="delete", obj=part, node_path=node_path, before=snapshot(part)
        )
    audit_event(
        actor=actor, action="delete", obj=person, node_path=node_path, before=snapshot(person)
    )
    person.delete()
    for ppo in ppos:
        ppo_refresh_size(ppo=ppo)
