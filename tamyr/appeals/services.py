"""Writes on appeals: intake, the one function that moves an appeal, terms and the calendar.

Every write is one transaction with an audit line. The allowed moves are the table
TRANSITIONS; `appeal_move` refuses anything else, and computes the terms it touches.
"""

import hashlib
import hmac
import re
import secrets
from calendar import monthrange
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tamyr.appeals import coupons
from tamyr.appeals.attachments import attachment_errors, content_type_for
from tamyr.appeals.calendar import WorkingCalendar, forget_moved_days
from tamyr.appeals.models import (
    ANONYMOUS_NOT_CONSIDERED,
    EMPTY_NOT_CONSIDERED,
    OPEN_STATUSES,
    Appeal,
    AppealAttachment,
    AppealStatus,
    AppealStep,
    AppealType,
    CalendarDay,
    Channel,
    Outcome,
    Reception,
    RegistrationCounter,
    Topic,
)
from tamyr.core.audit import audit_event, snapshot
from tamyr.core.errors import ConflictError
from tamyr.orgs import access
from tamyr.orgs.models import Node

MAX_TEXT = 20_000
DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATE_SIMILARITY = 0.6
# Letters a citizen cannot confuse when typing the secret from a coupon (no 0/O, 1/I/L).
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet, not a secret)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Channels where the citizen types the appeal in themselves: there is no letter to register, so
# an empty text is asked for again instead of being recorded. (An operator still registers an
# empty letter that came in, and it is left without consideration by rule.)
TYPED_BY_CITIZEN = (Channel.PORTAL, Channel.OPEN311)
TEXT_REQUIRED = gettext_lazy(
    "Write what your appeal is about: an appeal without text cannot be considered."
)
# How long a used submission token is remembered: longer than anyone keeps a sent form open.
SUBMISSION_SECONDS = 24 * 60 * 60
# How long a token is held while its appeal registers: if the worker dies meanwhile, the form
# can be sent again after this, rather than never.
SUBMISSION_PENDING_SECONDS = 2 * 60

S = AppealStatus
# (action, from status) -> to status: the only moves an appeal can make.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("assign", S.REGISTERED): S.IN_WORK,
    ("assign", S.IN_WORK): S.IN_WORK,
    ("assign", S.REOPENED): S.IN_WORK,
    ("answer", S.IN_WORK): S.ANSWER_PREPARED,
    ("return", S.ANSWER_PREPARED): S.IN_WORK,
    ("close", S.ANSWER_PREPARED): S.CLOSED,
    ("reopen", S.CLOSED): S.REOPENED,
    ("extend", S.REGISTERED): S.REGISTERED,
    ("extend", S.IN_WORK): S.IN_WORK,
    ("extend", S.ANSWER_PREPARED): S.ANSWER_PREPARED,
    ("extend", S.REOPENED): S.REOPENED,
    ("notify", S.REGISTERED): S.REGISTERED,
    ("notify", S.IN_WORK): S.IN_WORK,
    ("notify", S.ANSWER_PREPARED): S.ANSWER_PREPARED,
    ("notify", S.REOPENED): S.REOPENED,
}
ACTIONS = sorted({action for action, _status in TRANSITIONS})


def actions_from(status: str) -> list[str]:
    """Return the actions the table allows from a status."""
    return [action for action in ACTIONS if (action, status) in TRANSITIONS]


# -- terms ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    counted_from: date
    forward_due_on: date
    due_on: date


def terms_for(appeal_type: AppealType, received_on: date, calendar: WorkingCalendar) -> Terms:
    """Return an appeal's terms: counted from the first working day from receipt."""
    start = calendar.first_working_from(received_on)
    return Terms(
        counted_from=start,
        forward_due_on=calendar.add_working_days(start, appeal_type.forward_days),
        due_on=calendar.add_working_days(start, appeal_type.answer_days),
    )


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def answer_promised_on(appeal: Appeal) -> date | None:
    """Return the date the citizen is told to expect the answer by: none for an appeal left
    without consideration, which is closed on receipt and gets no answer."""
    return None if appeal.outcome == Outcome.NOT_CONSIDERED else appeal.due_on


# -- intake --------------------------------------------------------------------------------------


def secret_hash(number: str, secret: str) -> str:
    """Return the stored form of a tracking secret: keyed, so a copied table reveals nothing."""
    normalised = re.sub(r"[^A-Z0-9]", "", secret.upper())
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{number}:{normalised}".encode(), hashlib.sha256).hexdigest()


def new_secret() -> str:
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def contact_key(contact: str, citizen_name: str) -> str:
    """Return what identifies the same citizen across appeals: the phone's last ten digits, the
    e-mail address, or failing both the name."""
    contact = contact.strip().casefold()
    digits = re.sub(r"\D", "", contact)
    if "@" in contact:
        return contact
    if len(digits) >= 10:
        return digits[-10:]
    name = " ".join(citizen_name.casefold().split())
    return f"name:{name}" if name else ""


def _next_number(year: int) -> str:
    RegistrationCounter.objects.get_or_create(year=year)
    RegistrationCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = RegistrationCounter.objects.select_for_update().get(year=year).last
    return f"{year}-{last:07d}"


def _clean_text(text: str) -> str:
    # Stored as the citizen wrote it (pages escape it), less invisible control characters.
    return CONTROL_CHARACTERS.sub("", text or "").strip()


class DuplicateSubmission(Exception):
    """The same form was sent again: its appeal is registered already (or is being)."""


def _submission_key(token: str) -> str:
    # Hashed: the token comes from the form, and a cache key must be short and plain.
    return f"tamyr:appeal:submission:{hashlib.sha256(token.encode()).hexdigest()}"


def submission_number(token: str) -> str | None:
    """Return the number of the appeal a form's token registered, while it is remembered."""
    return (cache.get(_submission_key(token)) or None) if token else None


def submission_taken(token: str) -> bool:
    """Tell whether a form's token was taken: its appeal is registered, or registering now."""
    return bool(token) and cache.get(_submission_key(token)) is not None


@contextmanager
def _submission_once(token: str) -> Iterator[None]:
    """Take a form's one-time token for the block, or raise DuplicateSubmission if it was taken.

    The shared cache's `add` is atomic (Redis in production), so of two sendings of one form that
    arrive together exactly one goes on. A block that fails gives the token back, so the citizen
    can correct the form and send it again.
    """
    if not token:
        yield
        return
    key = _submission_key(token)
    if not cache.add(key, "", SUBMISSION_PENDING_SECONDS):
        raise DuplicateSubmission()
    try:
        yield
    except BaseException:
        cache.delete(key)
        coupons.token_forget(token)
        raise


def _possible_duplicate(appeal: Appeal) -> Appeal | None:
    if not appeal.contact_key or not appeal.text:
        return None
    # Within the region only: a flag must not tell a district what another region received.
    region = appeal.node.path[: 2 * Node.steplen]
    earlier = Appeal.objects.filter(
        contact_key=appeal.contact_key,
        received_at__gte=appeal.received_at - DUPLICATE_WINDOW,
        received_at__lte=appeal.received_at,
        node__path__startswith=region,
    )
    if appeal.pk:
        earlier = earlier.exclude(pk=appeal.pk)
    for candidate in earlier.order_by("-received_at")[:20]:
        ratio = SequenceMatcher(
            None, candidate.text.casefold()[:3000], appeal.text.casefold()[:3000]
        ).ratio()
        if ratio >= DUPLICATE_SIMILARITY:
            return candidate
    return None


def appeal_receive(
    *,
    actor: Any,
    channel: str,
    topic: Topic,
    node: Node,
    citizen_name: str = "",
    contact: str = "",
    locality: str = "",
    text: str = "",
    appeal_type: AppealType | None = None,
    received_at: datetime | None = None,
    reception: Reception | None = None,
    files: list[Any] | tuple = (),
    submission: str = "",
) -> tuple[Appeal, str]:
    """Register an appeal; return it and its tracking secret (shown once, on the coupon).

    Anonymous appeals (no name and no contact) and empty ones are recorded and closed as left
    without consideration, by rule; but where the citizen types the appeal in (the portal and
    Open311) an empty text is refused, so that they can write it. A `submission` token (a
    registration form's) registers one appeal, whose coupon is kept under it for a while: sent
    again, it raises DuplicateSubmission.
    """
    now = timezone.now()
    received_at = received_at or now
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Choose how the appeal came in.")]
    if received_at > now:
        errors["received_at"] = [_("The date cannot be in the future.")]
    if not topic.is_active:
        errors["topic"] = [_("Choose a topic from the list.")]
    if node.closed_on is not None:
        errors["node"] = [_("This branch is closed.")]
    text = _clean_text(text)
    if not text and channel in TYPED_BY_CITIZEN:
        errors["text"] = [str(TEXT_REQUIRED)]
    if len(text) > MAX_TEXT:
        errors["text"] = [
            _("Shorten the text to %(count)s characters.") % {"count": number_format(MAX_TEXT)}
        ]
    for field, value, limit in (
        ("citizen_name", citizen_name, 300),
        ("contact", contact, 200),
        ("locality", locality, 300),
    ):
        if len(value.strip()) > limit:
            errors[field] = [
                _("Shorten this to %(count)s characters.") % {"count": number_format(limit)}
            ]
    file_errors = attachment_errors(list(files))
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)
    with _submission_once(submission), transaction.atomic():
        appeal_type = appeal_type or AppealType.objects.get(code="appeal")
        received_on = local_date(received_at)
        terms = terms_for(appeal_type, received_on, WorkingCalendar())
        secret = new_secret()
        citizen_name, contact = citizen_name.strip(), contact.strip()
        appeal = Appeal(
            channel=channel,
            appeal_type=appeal_type,
            topic=topic,
            citizen_name=citizen_name,
            contact=contact,
            locality=locality.strip(),
            text=text,
            received_at=received_at,
            received_by=actor if getattr(actor, "pk", None) else None,
            reception=reception,
            node=node,
            counted_from=terms.counted_from,
            forward_due_on=terms.forward_due_on,
            due_on=terms.due_on,
            contact_key=contact_key(contact, citizen_name),
        )
        reason = ""
        if not citizen_name and not contact:
            reason = ANONYMOUS_NOT_CONSIDERED.stored()
        elif not text:
            reason = EMPTY_NOT_CONSIDERED.stored()
        if reason:
            appeal.status, appeal.outcome = AppealStatus.CLOSED, Outcome.NOT_CONSIDERED
            appeal.answer, appeal.answered_on, appeal.closed_on = reason, received_on, received_on
        appeal.possible_duplicate_of = _possible_duplicate(appeal)
        # The number last: its counter stays locked until the transaction ends, so the slower
        # work above is done before it is taken.
        appeal.number = _next_number(received_on.year)
        appeal.secret_hash = secret_hash(appeal.number, secret)
        appeal.save()
        for upload in files:
            AppealAttachment.objects.create(
                appeal=appeal,
                file=upload,
                name=upload.name[:255],
                content_type=content_type_for(upload.name),
                size=upload.size,
            )
        _step(appeal, actor, "register", "", AppealStatus.REGISTERED, "")
        if reason:
            _step(appeal, actor, "close", AppealStatus.REGISTERED, AppealStatus.CLOSED, reason)
        audit_event(
            actor=actor, action="create", obj=appeal, node_path=node.path, after=snapshot(appeal)
        )
        if submission:
            cache.set(_submission_key(submission), appeal.number, SUBMISSION_SECONDS)
            # Under the token too, so that the same form sent again shows the coupon, whatever
            # became of the session that should have kept it.
            coupons.token_keep(submission, pk=appeal.pk, number=appeal.number, secret=secret)
        return appeal, secret


def _step(appeal: Appeal, actor: Any, action: str, before: str, after: str, note: str) -> None:
    AppealStep.objects.create(
        appeal=appeal,
        action=action,
        from_status=before,
        to_status=after,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


# -- the one function that moves an appeal ---------------------------------------------------


@transaction.atomic
def appeal_move(*, actor: Any, appeal: Appeal, version: int, action: str, **data: Any) -> Appeal:
    """Take one action on an appeal, if the table allows it from its status and the actor's
    part in the appeal allows it; raise ValidationError, PermissionDenied or ConflictError."""
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.version != version:
        raise ConflictError()
    target = TRANSITIONS.get((action, locked.status))
    if target is None:
        raise ValidationError(
            _("An appeal that is “%(status)s” cannot be moved this way.")
            % {"status": locked.get_status_display()}
        )
    if not access.node_allows(actor, access.APPEAL, access.UPDATE, locked.node_id):
        raise PermissionDenied(_("Your role does not allow this."))
    before = snapshot(locked)
    today = timezone.localdate()
    note = MOVES[action](actor, locked, today, data)
    previous = locked.status
    locked.status = target
    locked.version += 1
    locked.save()
    _step(locked, actor, action, previous, target, note)
    audit_event(
        actor=actor,
        action="update",
        obj=locked,
        node_path=locked.node.path,
        before=before,
        after=snapshot(locked),
    )
    return locked


def _require(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _assign(actor: Any, appeal: Appeal, today: date, data: dict[str, Any]) -> str:
    node = data.get("node") or appeal.node
    executor, controller = data.get("executor"), data.get("controller")
    if appeal.status == AppealStatus.IN_WORK and not may_reassign(actor, appeal):
        raise PermissionDenied(
            _("Only the controller or a higher branch may reassign an appeal in work.")
        )
    errors: dict[str, list[str]] = {}
    if not access.node_allows(actor, access.APPEAL, access.UPDATE, node.pk) or node.closed_on:
        errors["node"] = [_("Choose an open branch in your subtree.")]
    else:
        staff = access.staff_for_appeals(node)
        if executor is None or not staff.filter(pk=executor.pk).exists():
            errors["executor"] = [_("Choose someone who works on appeals at this branch.")]
        if controller is None or not staff.filter(pk=controller.pk).exists():
            errors["controller"] = [_("Choose someone who works on appeals at this branch.")]
        elif executor is not None and executor.pk == controller.pk:
            errors["controller"] = [_("The controller must be someone other than the executor.")]
    _require(errors)
    appeal.node, appeal.executor, appeal.controller = node, executor, controller
    return data.get("note", "")


def may_reassign(actor: Any, appeal: Appeal) -> bool:
    if actor.pk == appeal.controller_id:
        return True
    parent_path = appeal.node.path[: -Node.steplen]
    parent = Node.objects.filter(path=parent_path).values_list("pk", flat=True).first()
    return parent is not None and access.node_allows(actor, access.APPEAL, access.UPDATE, parent)


def _answer(actor: Any, appeal: Appeal, today: date, data: dict[str, Any]) -> str:
    # The executor answers and the controller, always someone else, signs off: nobody can
    # both write the answer and approve it.
    if actor.pk != appeal.executor_id:
        raise PermissionDenied(_("Only the executor prepares the answer."))
    errors: dict[str, list[str]] = {}
    outcome, answer = data.get("outcome", ""), _clean_text(data.get("answer", ""))
    if outcome not in Outcome.values or outcome == Outcome.NOT_CONSIDERED:
        errors["outcome"] = [_("Choose the outcome.")]
    if not answer:
        errors["answer"] = [_("Write the answer to the citizen.")]
    _require(errors)
    appeal.outcome, appeal.answer, appeal.answered_on = outcome, answer, today
    appeal.answered_by = actor
    return ""


def _only_controller(actor: Any, appeal: Appeal) -> None:
    if actor.pk != appeal.controller_id:
        raise PermissionDenied(_("Only the appeal's controller may sign this off."))


def _return(actor: Any, appeal: Appeal, today: date, data: dict[str, Any]) -> str:
    _only_controller(actor, appeal)
    note = (data.get("note") or "").strip()
    _require({} if note else {"note": [_("Say what must be redone.")]})
    return note


def _close(actor: Any, appeal: Appeal, today: date, data: dict[str, Any]) -> str:
    _only_controller(actor, appeal)
    if not data.get("sign_off"):
        raise ValidationError({"sign_off": [_("Confirm the answer with your sign-off.")]})
    if not appeal.answer or not appeal.outcome:
        raise ValidationError(_("The appeal has no answer to sign off."))
    if appeal.answered_by_id == actor.pk:
        raise PermissionDenied(_("Whoever wrote the answer cannot sign it off."))
    appeal.closed_on, appeal.signed_off_by = today, actor
    return ""


def _reopen(actor: Any, appeal: Appeal, today: date, data: dict[str, Any]) -> str:
    note = (data.get("note") or "").strip()
    _require({} if note else {"note": [_("Give the reason for reopening.")]})
    appeal.closed_on, appeal.signed_off_by = None, None
    appeal.outcome, appeal.answer, appeal.answered_on, appeal.answered_by = "", "", None, None
    # A reopened appeal is considered anew: its terms run again from today.
    terms = terms_for(appeal.appeal_type, today, WorkingCalendar())
    appeal.counted_from, appeal.forward_due_on = terms.counted_from, terms.forward_due_on
    appeal.due_on = terms.due_on
    appeal.extended_on, appeal.extension_reason = None, ""
    appeal.notice_due_on = appeal.citizen_notified_on = None
    return note


def _extend(actor: Any, appeal: Appeal, today: date, data: dict[str, Any]) -> str:
    _only_controller(actor, appeal)
    new_due: date | None = data.get("due_on")
    reason = (data.get("reason") or "").strip()
    errors: dict[str, list[str]] = {}
    latest = add_months(local_date(appeal.received_at), appeal.appeal_type.extension_months)
    if appeal.due_on < today:
        raise ValidationError(
            _("The term has already passed: an overdue appeal cannot be extended.")
        )
    if new_due is None or new_due <= appeal.due_on:
        errors["due_on"] = [_("The new term must be later than the current one.")]
    elif new_due > latest:
        errors["due_on"] = [
            _("A term can be extended to %(date)s at the latest.")
            % {"date": date_format(latest, "SHORT_DATE_FORMAT")}
        ]
    if not reason:
        errors["reason"] = [_("Give the reasons for the extension.")]
    _require(errors)
    assert new_due is not None
    calendar = WorkingCalendar()
    appeal.due_on, appeal.extended_on, appeal.extension_reason = new_due, today, reason
    appeal.notice_due_on = calendar.add_working_days(today, appeal.appeal_type.notice_days)
    appeal.citizen_notified_on = None
    return reason


def _notify(actor: Any, appeal: Appeal, today: date, data: dict[str, Any]) -> str:
    if appeal.extended_on is None:
        raise ValidationError(_("There is no extension to tell the citizen about."))
    told = data.get("on") or today
    if told > today or told < appeal.extended_on:
        raise ValidationError({"on": [_("Give the day the citizen was told.")]})
    appeal.citizen_notified_on = told
    return ""


MOVES = {
    "assign": _assign,
    "answer": _answer,
    "return": _return,
    "close": _close,
    "reopen": _reopen,
    "extend": _extend,
    "notify": _notify,
}


# -- the calendar -------------------------------------------------------------------------------


@transaction.atomic
def calendar_day_set(*, actor: Any, day: date, is_working: bool, note: str = "") -> CalendarDay:
    """Record a day moved by decree, then recompute the open appeals' terms."""
    entry, created = CalendarDay.objects.get_or_create(
        day=day, defaults={"is_working": is_working, "note": note}
    )
    before = None if created else snapshot(entry)
    entry.is_working, entry.note = is_working, note
    entry.save()
    audit_event(
        actor=actor,
        action="create" if created else "update",
        obj=entry,
        before=before,
        after=snapshot(entry),
    )
    transaction.on_commit(_calendar_changed)
    return entry


@transaction.atomic
def calendar_day_delete(*, actor: Any, entry: CalendarDay) -> None:
    """Forget a moved day, then recompute the open appeals' terms."""
    audit_event(actor=actor, action="delete", obj=entry, before=snapshot(entry))
    entry.delete()
    transaction.on_commit(_calendar_changed)


def _calendar_changed() -> None:
    from tamyr.appeals.tasks import appeal_terms_recompute_task

    forget_moved_days()
    appeal_terms_recompute_task()


def appeal_terms_recompute(*, since: date | None = None) -> int:
    """Recompute the terms of open appeals; return how many changed.

    An extension names its answer date in a decision, so that date is left as decided; the
    forward term and the notice term still follow the calendar.
    """
    # Straight from the database: a worker's cache may not have seen the change yet.
    calendar = WorkingCalendar(dict(CalendarDay.objects.values_list("day", "is_working")))
    changed = 0
    appeals = Appeal.objects.filter(status__in=OPEN_STATUSES)
    if since is not None:
        appeals = appeals.filter(due_on__gte=since)
    fields = ("counted_from", "forward_due_on", "due_on", "notice_due_on")
    for pk in appeals.values_list("pk", flat=True).iterator(chunk_size=2000):
        with transaction.atomic():
            rows = Appeal.objects.select_for_update().select_related("appeal_type", "node")
            appeal = rows.get(pk=pk)
            if appeal.status not in OPEN_STATUSES:
                continue  # moved on since the list was read
            before = snapshot(appeal, fields)
            terms = terms_for(appeal.appeal_type, local_date(appeal.received_at), calendar)
            if appeal.steps.filter(action="reopen").exists():
                reopened = appeal.steps.filter(action="reopen").latest("at", "id").at
                terms = terms_for(appeal.appeal_type, local_date(reopened), calendar)
            appeal.counted_from, appeal.forward_due_on = terms.counted_from, terms.forward_due_on
            if appeal.extended_on is None:
                appeal.due_on = terms.due_on
            else:
                notice_days = appeal.appeal_type.notice_days
                appeal.notice_due_on = calendar.add_working_days(appeal.extended_on, notice_days)
            if snapshot(appeal, fields) == before:
                continue
            appeal.save(update_fields=fields)
            audit_event(
                actor=None,
                action="update",
                obj=appeal,
                node_path=appeal.node.path,
                before=before,
                after=snapshot(appeal, fields),
            )
            changed += 1
    return changed
