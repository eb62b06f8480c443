"""What a browser keeps between the pages that register an appeal, and for how long.

Sending the form and following an appeal are answered by a redirect to a page of their own (the
coupon, the tracking result), so that a reload sends nothing again and the language switch, which
returns to the page it was pressed on, shows the same page in the other language. Another browser
has another session and sees neither.

A form carries a one-time token: signed, dated and naming the form it is for, so that opening a
form stores nothing (a crawler fills no session table). The service takes the token atomically in
the shared cache, so one token registers one appeal, and keeps the appeal's coupon there under
it for the coupon's lifetime. The session only points at that coupon; so a coupon the session
lost (two tabs sent at once, where the last save of the session wins, or a save that failed)
comes back whenever the same form is sent again.

The citizen's public form and the operator's registration form keep their tokens and coupons
apart (a `Desk` each), so that an operator's coupons never show on the public pages, and the
other way round. An operator registers several appeals in a row (a reception's visitors), so
that desk keeps more coupons, each at its appeal's own address, for longer; an operator's token
also belongs to the login session that opened its form, like the CSRF token beside it.

The citizen may be at a shared computer (a kiosk at a reception, a library), so the coupon is
shown for a quarter of an hour, until they say they have written the code down, and the
tracking result for five minutes; the public pages lead to neither.

A copied cache must reveal no tracking code (the appeal itself keeps only a keyed hash), so the
code is kept masked with a pad drawn from the SECRET_KEY and the token, which the cache does not
hold: like the hash, only the key and the form turn it back.
"""

import base64
import hashlib
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

COUPONS = "tamyr.appeal.coupons"  # the coupons of the appeals sent, the latest last
STAFF_COUPONS = "tamyr.appeal.staff.coupons"
TRACKED = "tamyr.appeal.tracked"  # the appeal last followed, and until when it is shown

FORM_SECONDS = 24 * 60 * 60  # a form left open longer is sent again after a check
COUPON_SECONDS = 15 * 60  # time to write the code down, not long enough to wait for the next person
STAFF_COUPON_SECONDS = 60 * 60  # an operator's own login: time to hand coupons over
TRACKED_SECONDS = 5 * 60  # time to read an answer, in more than one language if need be
WAIT_SECONDS = 3.0  # how long a second click waits for the first one's coupon
KEPT_COUPONS = 5
KEPT_STAFF_COUPONS = 20  # an hour of a busy reception
FORM_SALT = "tamyr.appeals.form"

Session = MutableMapping[str, Any]


@dataclass(frozen=True)
class Desk:
    """One registration form: the purpose its tokens name, where the session points at its
    coupons, how many, and for how long."""

    name: str
    coupons: str
    kept: int
    seconds: int


PUBLIC = Desk(name="public", coupons=COUPONS, kept=KEPT_COUPONS, seconds=COUPON_SECONDS)
STAFF = Desk(
    name="staff", coupons=STAFF_COUPONS, kept=KEPT_STAFF_COUPONS, seconds=STAFF_COUPON_SECONDS
)
DESKS = {desk.name: desk for desk in (PUBLIC, STAFF)}


@dataclass(frozen=True)
class Coupon:
    pk: int
    number: str
    secret: str
    until: datetime


# -- form tokens -------------------------------------------------------------------------------


def _session_mark(session: Any, desk: Desk) -> str:
    # The public form is opened without a session, and its token needs none: it only makes
    # sending the form idempotent. An operator's is tied to their login, as CSRF tokens are.
    if desk is PUBLIC:
        return ""
    key = getattr(session, "session_key", None) or ""
    return salted_hmac("tamyr.appeals.form.session", key, algorithm="sha256").hexdigest()[:24]


def form_issue(session: Any, desk: Desk = PUBLIC) -> str:
    """Return a new one-time token for a registration form; issuing it stores nothing."""
    nonce = secrets.token_urlsafe(12)
    payload = {"desk": desk.name, "session": _session_mark(session, desk), "nonce": nonce}
    return signing.dumps(payload, salt=FORM_SALT)


def _token_payload(token: str, max_age: int | None = FORM_SECONDS) -> dict[str, Any] | None:
    try:
        payload = signing.loads(token, salt=FORM_SALT, max_age=max_age)
    except signing.BadSignature:  # forged, altered, or older than max_age
        return None
    return payload if isinstance(payload, dict) else None


def form_issued(session: Any, token: str, desk: Desk = PUBLIC) -> bool:
    """Tell whether the token was issued for this form (and, for an operator, this session),
    recently enough. Whether it was used already is the shared cache's to say."""
    payload = _token_payload(token) if token else None
    return (
        payload is not None
        and payload.get("desk") == desk.name
        and payload.get("session") == _session_mark(session, desk)
    )


def sent_token(token: str, request: Any) -> str:
    """Return the token that registers what this request sends: the form's token bound to the
    form's contents (its fields and the names and sizes of its files), so that the same form
    sent again is recognised and other contents under the same token are not."""
    digest = hashlib.sha256()
    for name, values in sorted(request.POST.lists()):
        if name in ("csrfmiddlewaretoken", "submission"):
            continue
        for value in values:
            digest.update(f"{name}\0{value}\0".encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(f"{name}\0{upload.name}\0{upload.size}\0".encode())
    return f"{token}.{digest.hexdigest()[:32]}"


# -- the coupon kept under its form's token, in the shared cache --------------------------------


def _token_key(token: str) -> str:
    # Hashed: the token itself, which turns the code back, is never in the cache.
    return f"tamyr:appeal:coupon:{hashlib.sha256(token.encode()).hexdigest()}"


def _pad(token: str, length: int) -> bytes:
    pad = salted_hmac("tamyr.appeals.coupon.token", token, algorithm="sha256").digest()
    if length > len(pad):
        raise ValueError("a tracking code longer than the pad")
    return pad[:length]


def _mask(token: str, secret: str) -> str:
    raw = secret.encode()
    masked = bytes(a ^ b for a, b in zip(raw, _pad(token, len(raw)), strict=True))
    return base64.urlsafe_b64encode(masked).decode()


def _unmask(token: str, masked: str) -> str:
    raw = base64.urlsafe_b64decode(masked.encode())
    return bytes(a ^ b for a, b in zip(raw, _pad(token, len(raw)), strict=True)).decode(
        "ascii", errors="replace"
    )


@sensitive_variables("secret")
def token_keep(token: str, *, pk: int, number: str, secret: str) -> Coupon:
    """Keep the coupon of the appeal a form's token registered, for its desk's lifetime, and
    return it."""
    # The form's own token is the part before the contents' digest (see sent_token).
    payload = _token_payload(token.rsplit(".", 1)[0], max_age=None)
    desk = DESKS.get(payload.get("desk", "")) if payload else None
    seconds = (desk or PUBLIC).seconds
    until = time.time() + seconds
    entry = {"pk": pk, "number": number, "code": _mask(token, secret), "until": until}
    cache.set(_token_key(token), entry, seconds)
    return Coupon(pk=pk, number=number, secret=secret, until=datetime.fromtimestamp(until, tz=UTC))


def token_coupon(token: str) -> Coupon | None:
    """Return the coupon of the appeal a form's token registered, while it is open."""
    entry = cache.get(_token_key(token)) if token else None
    if not entry or entry["until"] <= time.time():
        return None
    return Coupon(
        pk=entry["pk"],
        number=entry["number"],
        secret=_unmask(token, entry["code"]),
        until=datetime.fromtimestamp(entry["until"], tz=UTC),
    )


def token_wait(token: str, seconds: float = WAIT_SECONDS) -> Coupon | None:
    """Wait a moment for the coupon of a form that another request (the first of a double
    click) is registering; return it if it came."""
    deadline = time.monotonic() + seconds
    while True:
        coupon = token_coupon(token)
        if coupon is not None or time.monotonic() >= deadline:
            return coupon
        time.sleep(0.1)


def token_forget(token: str) -> None:
    """Close a token's coupon: the same form sent again no longer shows the code."""
    cache.delete(_token_key(token))


# -- what a session points at ------------------------------------------------------------------


def _live(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    now = time.time()
    return [c for c in entries if c.get("until", 0) > now and "token" in c]


def _stored(session: Any, desk: Desk) -> list[dict[str, Any]]:
    # What other requests saved since this one read the session: two tabs sent together each
    # read the session first, and the later save would drop the other's coupon.
    key = getattr(session, "session_key", None)
    if not key:
        return []
    return list(type(session)(session_key=key).get(desk.coupons, []))


def coupon_keep(session: Session, token: str, coupon: Coupon, desk: Desk = PUBLIC) -> None:
    """Make a form's coupon the one this session shows: the session keeps the token, the
    cache the masked code."""
    entry = {
        "token": token,
        "pk": coupon.pk,
        "number": coupon.number,
        "until": coupon.until.timestamp(),
    }
    kept: dict[str, dict[str, Any]] = {}
    for c in _live([*session.get(desk.coupons, []), *_stored(session, desk)]):
        kept.setdefault(c["token"], c)
    kept.pop(token, None)
    earlier = sorted(kept.values(), key=lambda c: c["until"])[-(desk.kept - 1) :]
    session[desk.coupons] = [*earlier, entry]


def coupons_kept(session: Session, desk: Desk = PUBLIC) -> list[Coupon]:
    """Return the coupons this browser still keeps, the latest first."""
    found = (token_coupon(c["token"]) for c in reversed(_live(session.get(desk.coupons, []))))
    return [c for c in found if c is not None]


def coupon_latest(session: Session, desk: Desk = PUBLIC) -> Coupon | None:
    """Return the coupon this browser is shown: the latest of those still open."""
    return next(iter(coupons_kept(session, desk)), None)


def coupon_of(session: Session, pk: int, desk: Desk = STAFF) -> Coupon | None:
    """Return the coupon of an appeal, if this session registered it and it is still open."""
    return next((c for c in coupons_kept(session, desk) if c.pk == pk), None)


def coupons_close(session: Session, desk: Desk = PUBLIC) -> None:
    """Close every coupon this browser keeps: the citizen is done, and the next person at a
    shared computer must find none."""
    entries = session.get(desk.coupons)
    if not entries:
        return
    for c in entries:
        if "token" in c:
            token_forget(c["token"])
    session[desk.coupons] = []


def coupon_forget(session: Session, number: str, desk: Desk = PUBLIC) -> None:
    """Close a coupon, once the citizen has written its code down (or been handed it): here,
    and for the form that sent it."""
    entries = session.get(desk.coupons)
    if not entries:
        return  # nothing to close, and no session to write
    for c in entries:
        if c.get("number") == number and "token" in c:
            token_forget(c["token"])
    session[desk.coupons] = [c for c in _live(entries) if c.get("number") != number]


# -- the tracking result -----------------------------------------------------------------------


def tracked_keep(session: Session, pk: int) -> None:
    """Remember for a short while that this browser gave the right number and code for pk."""
    session[TRACKED] = {"pk": pk, "until": time.time() + TRACKED_SECONDS}


def tracked_pk(session: Session) -> int | None:
    """Return the appeal this browser followed last, while its result is still shown."""
    kept = session.get(TRACKED)
    return kept["pk"] if kept and kept["until"] > time.time() else None


def tracked_until(session: Session) -> datetime | None:
    """Return until when the tracking result is shown, while it is."""
    kept = session.get(TRACKED)
    if not kept or kept["until"] <= time.time():
        return None
    return datetime.fromtimestamp(kept["until"], tz=UTC)


def tracked_forget(session: Session) -> None:
    session.pop(TRACKED, None)
