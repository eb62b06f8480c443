"""Party responsibility: cases before a Party Control Commission, decisions and appeals.

An expulsion happens only here: deciding (or, on appeal, imposing) it ends the member's
registration through the lifecycle's one status function.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tamyr.core.audit import audit_event, save_versioned, snapshot
from tamyr.core.errors import ConflictError
from tamyr.core.translated import has_text, texts_given
from tamyr.members.lifecycle import membership_change, membership_restore
from tamyr.members.models import (
    AppealOutcome,
    CaseOutcome,
    CaseStatus,
    DisciplineCase,
    Membership,
    MembershipStatus,
    Penalty,
    Person,
)
from tamyr.members.models.people import EXPELLED_BY_DECISION, EXPULSION_OVERTURNED
from tamyr.members.rules import step_date_errors
from tamyr.members.services import current_membership, raise_if


@transaction.atomic
def case_open(
    *,
    actor: Any,
    person: Person,
    opened_on: date,
    grounds: str = "",
    grounds_kk: str = "",
    grounds_ru: str = "",
    grounds_en: str = "",
) -> DisciplineCase:
    """Open a case about a current member. The grounds are given in one language or more
    (`grounds` alone is the active language's)."""
    membership = current_membership(person)
    if membership is None:
        raise ValidationError(_("A case can only be opened about a current member."))
    errors = step_date_errors(opened_on, field="opened_on")
    texts = texts_given(
        "grounds",
        {
            "grounds": grounds,
            "grounds_kk": grounds_kk,
            "grounds_ru": grounds_ru,
            "grounds_en": grounds_en,
        },
    )
    if not has_text(texts):
        errors["grounds"] = [_("Describe the grounds in at least one language.")]
    raise_if(errors)
    case = DisciplineCase.objects.create(
        person=person, ppo=membership.ppo, opened_on=opened_on, opened_by=actor, **texts
    )
    audit_event(
        actor=actor, action="create", obj=case, node_path=case.ppo.path, after=snapshot(case)
    )
    return case


def _locked(case: DisciplineCase, version: int) -> DisciplineCase:
    locked = DisciplineCase.objects.select_for_update().get(pk=case.pk)
    if locked.version != version:
        raise ConflictError()
    return locked


def _expelled_by(case: DisciplineCase) -> Membership | None:
    return (
        case.person.memberships.filter(status=MembershipStatus.EXPELLED)
        .order_by("-ended_on", "-id")
        .first()
    )


@transaction.atomic
def case_decide(
    *,
    actor: Any,
    case: DisciplineCase,
    version: int,
    decided_on: date,
    outcome: str,
    penalty: str = "",
    protocol_number: str = "",
    hearing_on: date | None = None,
) -> DisciplineCase:
    """Record the commission's decision; an expulsion takes effect on the decision's date."""
    case = _locked(case, version)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("This case has already been decided."))
    errors = step_date_errors(decided_on, not_before=case.opened_on, field="decided_on")
    if outcome not in CaseOutcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if outcome == CaseOutcome.PENALTY and penalty not in Penalty.values:
        errors["penalty"] = [_("Choose the penalty.")]
    if outcome == CaseOutcome.NO_PENALTY and penalty:
        errors["penalty"] = [_("A decision without a penalty names no penalty.")]
    if not (protocol_number or "").strip():
        errors["protocol_number"] = [_("Give the number of the protocol.")]
    raise_if(errors)
    before = snapshot(case)
    case.status = CaseStatus.DECIDED
    case.outcome, case.penalty, case.final_penalty = outcome, penalty, penalty
    case.decided_on, case.hearing_on = decided_on, hearing_on or decided_on
    case.protocol_number = protocol_number.strip()
    save_versioned(actor=actor, obj=case, before=before, node_path=case.ppo.path)
    if penalty == Penalty.EXPULSION:
        _expel(actor, case, decided_on)
    return case


def _expel(actor: Any, case: DisciplineCase, on: date) -> None:
    """End the member's registration by the case's decision."""
    current = case.person.memberships.filter(status__in=["active", "suspended"]).first()
    if current is None or current.ppo_id != case.ppo_id:
        # Transfers carry open cases along, so this is a case left behind: refuse rather
        # than reach a member who is now another branch's.
        raise ValidationError(_("The member is no longer registered where the case was opened."))
    # The timeline names the decision, never the grounds: member pages are read by people who
    # may not read discipline cases.
    membership_change(
        actor=actor,
        person=case.person,
        action="expel",
        on=on,
        reason=EXPELLED_BY_DECISION.stored(number=case.protocol_number),
        from_discipline=True,
    )


@transaction.atomic
def case_appeal(
    *, actor: Any, case: DisciplineCase, version: int, filed_on: date
) -> DisciplineCase:
    """Record that the member appealed a penalty."""
    case = _locked(case, version)
    if case.status != CaseStatus.DECIDED or case.outcome != CaseOutcome.PENALTY:
        raise ValidationError(_("Only a decided penalty can be appealed."))
    raise_if(step_date_errors(filed_on, not_before=case.decided_on, field="appeal_filed_on"))
    before = snapshot(case)
    case.status = CaseStatus.APPEALED
    case.appeal_filed_on = filed_on
    save_versioned(actor=actor, obj=case, before=before, node_path=case.ppo.path)
    return case


@transaction.atomic
def case_appeal_decide(
    *,
    actor: Any,
    case: DisciplineCase,
    version: int,
    decided_on: date,
    outcome: str,
    new_penalty: str = "",
) -> DisciplineCase:
    """Record the appeal's outcome; undo or impose an expulsion as the outcome requires."""
    case = _locked(case, version)
    if case.status != CaseStatus.APPEALED:
        raise ValidationError(_("This case is not under appeal."))
    errors = step_date_errors(
        decided_on, not_before=case.appeal_filed_on, field="appeal_decided_on"
    )
    if outcome not in AppealOutcome.values:
        errors["appeal_outcome"] = [_("Choose the outcome of the appeal.")]
    if outcome == AppealOutcome.CHANGED and (
        new_penalty not in Penalty.values or new_penalty == case.penalty
    ):
        errors["new_penalty"] = [_("Choose the penalty that replaces the first one.")]
    raise_if(errors)
    final = {
        AppealOutcome.UPHELD: case.penalty,
        AppealOutcome.OVERTURNED: "",
        AppealOutcome.CHANGED: new_penalty,
    }[AppealOutcome(outcome)]
    before = snapshot(case)
    was_expelled = case.final_penalty == Penalty.EXPULSION
    case.status = CaseStatus.CLOSED
    case.appeal_outcome, case.appeal_decided_on, case.final_penalty = outcome, decided_on, final
    save_versioned(actor=actor, obj=case, before=before, node_path=case.ppo.path)
    if was_expelled and final != Penalty.EXPULSION:
        membership = _expelled_by(case)
        if membership is not None:
            membership_restore(
                actor=actor,
                membership=membership,
                on=decided_on,
                reason=EXPULSION_OVERTURNED.stored(),
            )
    elif final == Penalty.EXPULSION and not was_expelled:
        _expel(actor, case, decided_on)
    return case


@transaction.atomic
def case_close(*, actor: Any, case: DisciplineCase, version: int) -> DisciplineCase:
    """Close a decided case that was not appealed: the decision stands."""
    case = _locked(case, version)
    if case.status != CaseStatus.DECIDED:
        raise ValidationError(_("Only a decided case can be closed."))
    before = snapshot(case)
    case.status = CaseStatus.CLOSED
    save_versioned(actor=actor, obj=case, before=before, node_path=case.ppo.path)
    return case
