"""A member's life in the party: application, admission, card, transfer, suspension, exit,
expulsion, death, readmission. Each step is a service in one transaction, audited, and
recorded on the member's timeline.

The status moves are one table (TRANSITIONS) and one function (membership_change).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tamyr.core.audit import audit_event, snapshot
from tamyr.members.models import (
    CURRENT_STATUSES,
    Application,
    ApplicationStatus,
    Entry,
    EventKind,
    Membership,
    MembershipCard,
    MembershipEvent,
    MembershipStatus,
    Person,
)
from tamyr.members.models.people import (
    CARD_CANCELLED,
    CARD_ENDED_BY,
    CARD_REPLACED,
    MERGE_REASON,
)
from tamyr.members.rules import person_errors, step_date_errors
from tamyr.members.services import (
    clean_person_data,
    current_membership,
    raise_if,
    record_event,
    sync_registration,
    unique_errors,
    valid_card,
)
from tamyr.orgs.models import Node
from tamyr.orgs.services import ppo_refresh_size

S = MembershipStatus


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[str]
    to: str
    event: str
    ends_membership: bool


# The status moves a member's registration may make. Expulsion is here too, but only the
# discipline service calls it, with the decision that orders it.
TRANSITIONS: dict[str, Transition] = {
    "suspend": Transition(frozenset({S.ACTIVE}), S.SUSPENDED, EventKind.SUSPENDED, False),
    "resume": Transition(frozenset({S.SUSPENDED}), S.ACTIVE, EventKind.RESUMED, False),
    "leave": Transition(frozenset({S.ACTIVE, S.SUSPENDED}), S.LEFT, EventKind.LEFT, True),
    "death": Transition(frozenset({S.ACTIVE, S.SUSPENDED}), S.DECEASED, EventKind.DIED, True),
    "expel": Transition(frozenset({S.ACTIVE, S.SUSPENDED}), S.EXPELLED, EventKind.EXPELLED, True),
}
# Steps a member's page offers, besides the status moves: these need more than a date.
STEPS = ("transfer", "card", "suspend", "resume", "leave", "death")


def allowed_steps(person: Person) -> list[str]:
    """Return the steps that may be taken now for this person, in the order the page shows."""
    membership = current_membership(person)
    if membership is None:
        return []
    steps = ["transfer", "card"]
    steps += [
        name
        for name in ("suspend", "resume", "leave", "death")
        if membership.status in TRANSITIONS[name].allowed_from
    ]
    return steps


def lock_person(person: Person) -> Person:
    """Lock the person's row: lifecycle steps on one member run one after the other, so two
    at once cannot both pass the status check."""
    return Person.objects.select_for_update().get(pk=person.pk)


def _audit_change(actor: Any, obj: Any, before: dict | None, node_path: str) -> None:
    audit_event(
        actor=actor,
        action="update" if before else "create",
        obj=obj,
        node_path=node_path,
        before=before,
        after=snapshot(obj),
    )


@transaction.atomic
def membership_change(
    *,
    actor: Any,
    person: Person,
    action: str,
    on: date,
    reason: str = "",
    from_discipline: bool = False,
) -> Membership:
    """Move a member's current registration along one row of TRANSITIONS, or refuse."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("This step does not exist."))
    if action == "expel" and not from_discipline:
        raise ValidationError(_("Expulsion is only by a decision in a discipline case."))
    person = lock_person(person)
    membership = current_membership(person)
    if membership is None or membership.status not in transition.allowed_from:
        raise ValidationError(_("This step is not possible for the member's current status."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    raise_if(step_date_errors(on, not_before=membership.started_on))
    before = snapshot(membership)
    membership.status = transition.to
    if transition.ends_membership:
        membership.ended_on = on
    membership.save()
    node_path = membership.ppo.path
    _audit_change(actor, membership, before, node_path)
    record_event(
        person=person,
        kind=transition.event,
        on=on,
        ppo=membership.ppo,
        membership=membership,
        reason=reason,
    )
    if transition.ends_membership:
        card = valid_card(person)
        if card is not None:
            why = CARD_ENDED_BY[EventKind(transition.event)].stored()
            _cancel_card(actor, person, card, on, why, membership)
    sync_registration(person)
    ppo_refresh_size(ppo=membership.ppo)
    return membership


def _cancel_card(
    actor: Any, person: Person, card: MembershipCard, on: date, reason: str, membership: Membership
) -> None:
    """Cancel the card for `reason`, a stored system text (see CARD_ENDED_BY)."""
    before = snapshot(card)
    card.cancelled_on = on
    card.cancel_reason = reason
    card.save()
    _audit_change(actor, card, before, membership.ppo.path)
    record_event(
        person=person,
        kind=EventKind.CARD_CANCELLED,
        on=on,
        ppo=membership.ppo,
        membership=membership,
        reason=CARD_CANCELLED.stored(number=card.number, reason=reason),
    )


@transaction.atomic
def card_issue(
    *, actor: Any, person: Person, number: str, issued_on: date, issued_by: str = ""
) -> MembershipCard:
    """Hand a member a new card; a card they still hold is cancelled as replaced."""
    person = lock_person(person)
    membership = current_membership(person)
    if membership is None:
        raise ValidationError(_("Cards are issued to current members only."))
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": [_("Give the card number.")]})
    errors = unique_errors(None, number)
    if errors:
        raise ValidationError({"number": errors["card_number"]})
    raise_if(step_date_errors(issued_on, not_before=membership.admitted_on, field="issued_on"))
    old = valid_card(person)
    if old is not None:
        _cancel_card(actor, person, old, issued_on, CARD_REPLACED.stored(), membership)
    try:
        with transaction.atomic():
            card = MembershipCard.objects.create(
                person=person, number=number, issued_on=issued_on, issued_by=issued_by
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"number": [_("This membership card number is already issued.")]}
        ) from exc
    _audit_change(actor, card, None, membership.ppo.path)
    record_event(
        person=person,
        kind=EventKind.CARD_ISSUED,
        on=issued_on,
        ppo=membership.ppo,
        membership=membership,
        reason=f"№ {number}",
    )
    return card


@transaction.atomic
def member_transfer(
    *, actor: Any, person: Person, to_ppo: Node, on: date, reason: str = ""
) -> Membership:
    """Move a member to another PPO: the old registration closes, a new one opens on the same
    day with the same admission date and status; the card stays valid, and open discipline
    cases follow the member to the commission now responsible for them."""
    person = lock_person(person)
    membership = current_membership(person)
    if membership is None:
        raise ValidationError(_("Only a current member can be transferred."))
    if not to_ppo.is_ppo or not to_ppo.is_open or to_ppo.wing != membership.ppo.wing:
        raise ValidationError({"to_ppo": [_("Choose an open primary organisation.")]})
    if to_ppo.pk == membership.ppo_id:
        raise ValidationError({"to_ppo": [_("The member is already registered there.")]})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    raise_if(step_date_errors(on, not_before=membership.started_on))
    before = snapshot(membership)
    status = membership.status
    membership.status = S.TRANSFERRED
    membership.ended_on = on
    membership.save()
    _audit_change(actor, membership, before, membership.ppo.path)
    new = Membership.objects.create(
        person=person,
        ppo=to_ppo,
        status=status,
        entry=Entry.TRANSFER,
        admitted_on=membership.admitted_on,
        started_on=on,
        admission_body=membership.admission_body,
        admission_protocol=membership.admission_protocol,
    )
    _audit_change(actor, new, None, to_ppo.path)
    record_event(
        person=person,
        kind=EventKind.TRANSFERRED,
        on=on,
        ppo=membership.ppo,
        membership=membership,
        other_ppo=to_ppo,
        reason=reason,
    )
    from tamyr.members.models import CaseStatus, DisciplineCase

    for case in DisciplineCase.objects.filter(
        person=person, status__in=[CaseStatus.OPEN, CaseStatus.APPEALED]
    ):
        case_before = snapshot(case)
        case.ppo = to_ppo
        case.save(update_fields=["ppo"])
        _audit_change(actor, case, case_before, to_ppo.path)
    sync_registration(person)
    ppo_refresh_size(ppo=membership.ppo)
    ppo_refresh_size(ppo=to_ppo)
    return new


def ppo_memberships_merge(*, actor: Any, ppo: Node, into: Node, on: date) -> int:
    """Move everyone current in a PPO that merges into another, as a transfer moves one
    member: each current registration closes on the day and a new one opens in the target with
    the same admission date and status (a suspended member stays suspended), the card stays
    valid, open discipline cases and pending applications follow. Ended registrations stay
    where they were, so the past reads the same. Return how many members moved.

    The caller (the tree's merge) holds the transaction and checks the two PPOs.
    """
    from tamyr.core.audit import audit_events_bulk
    from tamyr.members.models import CaseStatus, DisciplineCase

    # People first, then their registrations: the order every member step locks them in.
    people = {
        p.pk: p
        for p in Person.objects.select_for_update(of=("self",)).filter(
            memberships__ppo=ppo, memberships__status__in=CURRENT_STATUSES
        )
    }
    current = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(ppo=ppo, status__in=CURRENT_STATUSES)
        .select_related("person", "ppo")
        .order_by("pk")
    )
    closed_before = [snapshot(m) for m in current]
    opened = []
    for membership in current:
        raise_if(step_date_errors(on, not_before=membership.started_on))
        opened.append(
            Membership(
                person=people[membership.person_id],
                ppo=into,
                status=membership.status,
                entry=Entry.TRANSFER,
                admitted_on=membership.admitted_on,
                started_on=on,
                admission_body=membership.admission_body,
                admission_protocol=membership.admission_protocol,
            )
        )
        membership.status, membership.ended_on = S.TRANSFERRED, on
    Membership.objects.bulk_update(current, ["status", "ended_on"], batch_size=2000)
    Membership.objects.bulk_create(opened, batch_size=2000)
    MembershipEvent.objects.bulk_create(
        [
            MembershipEvent(
                person=m.person,
                membership=m,
                kind=EventKind.TRANSFERRED,
                on=on,
                ppo=ppo,
                other_ppo=into,
                reason=MERGE_REASON.stored(),
            )
            for m in current
        ],
        batch_size=2000,
    )
    updates: list[tuple[Any, str, dict | None, dict | None]] = [
        (m, ppo.path, before, snapshot(m)) for m, before in zip(current, closed_before, strict=True)
    ]
    pending = Application.objects.filter(ppo=ppo, status=ApplicationStatus.PENDING)
    moved: list[Any] = [
        *DisciplineCase.objects.select_for_update(of=("self",))
        .filter(person__in=list(people), status__in=[CaseStatus.OPEN, CaseStatus.APPEALED])
        .select_related("person"),
        *pending.select_for_update(of=("self",)).select_related("person", "ppo"),
        # Whoever stands here now (a current member or an applicant) stands in the target;
        # a former member keeps the PPO they left as their last one.
        *Person.objects.select_for_update().filter(
            Q(pk__in=list(people)) | Q(pk__in=pending.values("person")), ppo=ppo
        ),
    ]
    for record in moved:
        before = snapshot(record)
        record.ppo = into
        updates.append((record, into.path, before, snapshot(record)))
    for model in (DisciplineCase, Application, Person):
        model.objects.filter(pk__in=[r.pk for r in moved if isinstance(r, model)]).update(ppo=into)
    audit_events_bulk(actor=actor, action="update", rows=updates)
    audit_events_bulk(
        actor=actor,
        action="create",
        rows=[(m, into.path, None, snapshot(m)) for m in opened],
    )
    ppo_refresh_size(ppo=ppo)
    ppo_refresh_size(ppo=into)
    return len(current)


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    ppo: Node,
    applied_on: date,
    person: Person | None = None,
    person_data: dict[str, Any] | None = None,
) -> Application:
    """Record a request to join through a PPO: from a new person, or from a former member
    (a readmission)."""
    if not ppo.is_ppo or not ppo.is_open:
        raise ValidationError({"ppo": [_("Choose an open primary organisation.")]})
    raise_if(step_date_errors(applied_on, field="applied_on"))
    if person is None:
        person_data = person_data or {}
        raise_if(person_errors(person_data))
        values = clean_person_data(person_data)
        raise_if(unique_errors(values.get("iin"), None))
        person = Person.objects.create(**values, ppo=ppo, status="")
        _audit_change(actor, person, None, ppo.path)
    else:
        if current_membership(person) is not None:
            raise ValidationError(_("This person is already a member of the party."))
        if person.status == S.DECEASED:
            raise ValidationError(_("This person has died."))
    if person.applications.filter(status=ApplicationStatus.PENDING).exists():
        raise ValidationError(_("This person already has an application awaiting a decision."))
    application = Application.objects.create(person=person, ppo=ppo, applied_on=applied_on)
    _audit_change(actor, application, None, ppo.path)
    sync_registration(person)
    return application


def _decision_errors(
    application: Application, decided_on: date, body: str, protocol: str
) -> dict[str, list[str]]:
    errors = step_date_errors(decided_on, not_before=application.applied_on, field="decided_on")
    if not body:
        errors["decision_body"] = [_("Say which body took the decision.")]
    if not (protocol or "").strip():
        errors["protocol_number"] = [_("Give the number of the protocol.")]
    return errors


@transaction.atomic
def application_admit(
    *,
    actor: Any,
    application: Application,
    decided_on: date,
    decision_body: str,
    protocol_number: str,
) -> Membership:
    """Admit the applicant: their registration in the PPO starts on the decision's date."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."))
    raise_if(_decision_errors(application, decided_on, decision_body, protocol_number))
    if not application.ppo.is_open:
        raise ValidationError(_("The primary organisation has been closed since the application."))
    person = lock_person(application.person)
    if current_membership(person) is not None:
        raise ValidationError(_("This person is already a member of the party."))
    rejoining = person.memberships.exists()
    membership = Membership.objects.create(
        person=person,
        ppo=application.ppo,
        status=S.ACTIVE,
        entry=Entry.READMISSION if rejoining else Entry.ADMISSION,
        admitted_on=decided_on,
        started_on=decided_on,
        admission_body=decision_body,
        admission_protocol=protocol_number.strip(),
    )
    before = snapshot(application)
    application.status = ApplicationStatus.ADMITTED
    application.decided_on = decided_on
    application.decision_body = decision_body
    application.protocol_number = protocol_number.strip()
    application.membership = membership
    application.save()
    path = application.ppo.path
    _audit_change(actor, membership, None, path)
    _audit_change(actor, application, before, path)
    record_event(
        person=person,
        kind=EventKind.READMITTED if rejoining else EventKind.ADMITTED,
        on=decided_on,
        ppo=application.ppo,
        membership=membership,
        reason=protocol_number.strip(),
    )
    sync_registration(person)
    ppo_refresh_size(ppo=application.ppo)
    return membership


@transaction.atomic
def application_reject(
    *,
    actor: Any,
    application: Application,
    decided_on: date,
    decision_body: str,
    protocol_number: str,
    reason: Any,
) -> Application:
    """Refuse the application, with the reason the body gave."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."))
    errors = _decision_errors(application, decided_on, decision_body, protocol_number)
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the refusal.")]
    raise_if(errors)
    before = snapshot(application)
    application.status = ApplicationStatus.REJECTED
    application.decided_on = decided_on
    application.decision_body = decision_body
    application.protocol_number = protocol_number.strip()
    application.reason = reason.strip()
    application.save()
    _audit_change(actor, application, before, application.ppo.path)
    sync_registration(application.person)
    return application


def membership_restore(*, actor: Any, membership: Membership, on: date, reason: str) -> bool:
    """Reopen a registration ended by an expulsion that an appeal overturned, when it still
    can be: not if the person has joined again since, has died, or the PPO has closed.
    Return whether it was reopened; the appeal's decision stands either way."""
    person = lock_person(membership.person)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    later = person.memberships.filter(started_on__gte=membership.started_on).exclude(
        pk=membership.pk
    )
    if (
        membership.status != S.EXPELLED
        or later.exists()
        or person.status == S.DECEASED
        or not membership.ppo.is_open
    ):
        return False
    before = snapshot(membership)
    membership.status = S.ACTIVE
    membership.ended_on = None
    membership.save()
    _audit_change(actor, membership, before, membership.ppo.path)
    record_event(
        person=person,
        kind=EventKind.RESUMED,
        on=on,
        ppo=membership.ppo,
        membership=membership,
        reason=reason,
    )
    sync_registration(person)
    ppo_refresh_size(ppo=membership.ppo)
    return True
