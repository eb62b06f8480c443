"""What a citizen's browser keeps between the public pages: in their own session, for a while.

Sending the form and following an appeal are answered by a redirect to a page of their own (the
coupon, the tracking result), so that a reload sends nothing again and the language switch, which
returns to the page it was pressed on, shows the same page in the other language. Another browser
has another session and sees neither. A form carries a one-time token issued to the session; the
service registers one appeal per token, and the token then leads back to its coupon.

Sessions are stored in the database, and a copied table must reveal no tracking code (the
appeal itself keeps only a keyed hash), so the code is kept masked with a pad drawn from the
SECRET_KEY and a nonce of its own: like the hash, only the key turns it back.
"""

import base64
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.crypto import salted_hmac

FORMS = "tamyr.appeal.forms"  # form token -> when it was issued (seconds since the epoch)
COUPONS = "tamyr.appeal.coupons"  # the coupons of the appeals sent, the latest last
TRACKED = "tamyr.appeal.tracked"  # the appeal last followed, and until when it is shown

FORM_SECONDS = 24 * 60 * 60  # a form left open longer is sent again after a check
COUPON_SECONDS = 60 * 60  # time to write the code down, or to come back to it after a link
TRACKED_SECONDS = 30 * 60  # time to read an answer, in more than one language if need be
KEPT_FORMS = 10  # forms open in several tabs at once
KEPT_COUPONS = 5

Session = MutableMapping[str, Any]


@dataclass(frozen=True)
class Coupon:
    pk: int
    number: str
    secret: str
    until: datetime


def _pad(nonce: str, length: int) -> bytes:
    pad = salted_hmac("tamyr.appeals.coupon", nonce, algorithm="sha256").digest()
    if length > len(pad):
        raise ValueError("a tracking code longer than the pad")
    return pad[:length]


def _mask(nonce: str, secret: str) -> str:
    raw = secret.encode()
    masked = bytes(a ^ b for a, b in zip(raw, _pad(nonce, len(raw)), strict=True))
    return base64.urlsafe_b64encode(masked).decode()


def _unmask(nonce: str, masked: str) -> str:
    raw = base64.urlsafe_b64decode(masked.encode())
    return bytes(a ^ b for a, b in zip(raw, _pad(nonce, len(raw)), strict=True)).decode(
        "ascii", errors="replace"
    )


def form_issue(session: Session) -> str:
    """Return a new one-time token for a public form, issued to this session."""
    now = time.time()
    issued = {t: at for t, at in session.get(FORMS, {}).items() if now - at < FORM_SECONDS}
    token = secrets.token_urlsafe(18)
    issued[token] = now
    session[FORMS] = dict(sorted(issued.items(), key=lambda item: item[1])[-KEPT_FORMS:])
    return token


def form_issued(session: Session, token: str) -> bool:
    """Tell whether this session was given the token, recently enough, and has not used it."""
    at = session.get(FORMS, {}).get(token)
    return at is not None and time.time() - at < FORM_SECONDS


def _live_coupons(session: Session) -> list[dict[str, Any]]:
    now = time.time()
    return [c for c in session.get(COUPONS, []) if c["until"] > now]


def _coupon(entry: dict[str, Any]) -> Coupon:
    return Coupon(
        pk=entry["pk"],
        number=entry["number"],
        secret=_unmask(entry["nonce"], entry["code"]),
        until=datetime.fromtimestamp(entry["until"], tz=UTC),
    )


def coupon_keep(session: Session, *, token: str, pk: int, number: str, secret: str) -> None:
    """Keep the coupon of the appeal a form registered, and use the form's token up."""
    nonce = secrets.token_urlsafe(12)
    entry = {
        "token": token,
        "pk": pk,
        "number": number,
        "nonce": nonce,
        "code": _mask(nonce, secret),
        "until": time.time() + COUPON_SECONDS,
    }
    kept = [c for c in _live_coupons(session) if c["token"] != token]
    session[COUPONS] = [*kept[-(KEPT_COUPONS - 1) :], entry]
    issued = dict(session.get(FORMS, {}))
    issued.pop(token, None)
    session[FORMS] = issued


def coupon_latest(session: Session) -> Coupon | None:
    """Return the coupon this browser is shown: the latest of those still kept."""
    live = _live_coupons(session)
    return _coupon(live[-1]) if live else None


def coupon_show(session: Session, token: str) -> bool:
    """Make a form's coupon, if this session keeps it, the one shown; tell whether it did."""
    live = _live_coupons(session)
    chosen = [c for c in live if token and c["token"] == token]
    if not chosen:
        return False
    if live[-1] is not chosen[0]:
        session[COUPONS] = [*(c for c in live if c is not chosen[0]), chosen[0]]
    return True


def coupon_wait(session: Any, token: str, seconds: float = 10.0) -> bool:
    """Wait until the session's stored copy keeps the coupon of a form that another request
    (the first of a double click) is registering; tell whether it came.

    Reads fresh copies and never writes this request's own: saving that older copy would wipe
    the coupon the other request saved.
    """
    if not token or not session.session_key:
        return False
    deadline = time.monotonic() + seconds
    while True:
        stored = type(session)(session_key=session.session_key)
        if any(c["token"] == token for c in _live_coupons(stored)):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def coupon_forget(session: Session, number: str) -> None:
    """Forget a coupon, once the citizen has written its code down."""
    session[COUPONS] = [c for c in _live_coupons(session) if c["number"] != number]


def tracked_keep(session: Session, pk: int) -> None:
    """Remember for a short while that this browser gave the right number and code for pk."""
    session[TRACKED] = {"pk": pk, "until": time.time() + TRACKED_SECONDS}


def tracked_pk(session: Session) -> int | None:
    """Return the appeal this browser followed last, while its result is still shown."""
    kept = session.get(TRACKED)
    return kept["pk"] if kept and kept["until"] > time.time() else None


def tracked_forget(session: Session) -> None:
    session.pop(TRACKED, None)
