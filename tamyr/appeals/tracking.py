"""Public tracking: a citizen gives the registration number and the secret from the coupon.

Failed attempts are counted in the shared cache (Redis in production, so the limit holds across
all web servers) per number and per address; past the limit even the right secret is refused
until the window passes, so guessing is no faster than the limit allows.
"""

import hmac
from typing import Any

from django.conf import settings
from django.core.cache import cache

from tamyr.appeals.models import Appeal
from tamyr.appeals.services import secret_hash

FAILURES_PER_NUMBER = 5
FAILURES_PER_ADDRESS = 20
WINDOW_SECONDS = 15 * 60
SUBMISSIONS_PER_ADDRESS = 10
SUBMISSION_WINDOW_SECONDS = 60 * 60


def _keys(number: str, address: str) -> tuple[str, str]:
    return f"tamyr:track:number:{number}", f"tamyr:track:address:{address}"


def tracking_blocked(number: str, address: str) -> bool:
    by_number, by_address = _keys(number, address)
    return (cache.get(by_number) or 0) >= FAILURES_PER_NUMBER or (
        cache.get(by_address) or 0
    ) >= FAILURES_PER_ADDRESS


def _count(key: str, window: int) -> None:
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window)


def appeal_track(*, number: str, secret: str, address: str) -> Appeal | None:
    """Return the appeal if the number and secret match and the limits allow; else None.

    The caller tells a refused lookup from a wrong one with `tracking_blocked` first.
    """
    number = number.strip()
    appeal = Appeal.objects.filter(number=number).select_related("topic").first()
    # Compare even when the number is unknown, so timing does not tell which numbers exist.
    expected = appeal.secret_hash if appeal else "0" * 64
    if appeal is not None and hmac.compare_digest(expected, secret_hash(number, secret)):
        return appeal
    for key in _keys(number, address):
        _count(key, WINDOW_SECONDS)
    return None


def submission_allowed(address: str) -> bool:
    """Count a public submission from an address; return False past the hourly limit."""
    key = f"tamyr:submit:address:{address}"
    _count(key, SUBMISSION_WINDOW_SECONDS)
    return (cache.get(key) or 0) <= SUBMISSIONS_PER_ADDRESS


def client_address(request: Any) -> str:
    """Return the citizen's address: behind TAMYR_PROXIES trusted proxies, the entry they
    added to X-Forwarded-For (earlier entries are the client's word and can be forged)."""
    proxies = settings.TAMYR_PROXIES
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
