"""The steps of sending a registration form, the citizen's and the operator's alike: the same
form sent again registers nothing and shows its coupon; a token this site did not issue for the
form, or issued over a day ago, registers nothing; the first of two clicks registers, and the
second waits a moment for its coupon; a refused form keeps the token usable."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from tamyr.appeals import coupons, services
from tamyr.appeals.models import Appeal
from tamyr.core.forms import add_service_errors


@dataclass(frozen=True)
class Sent:
    """What sending a form came to: its coupon (registered now or before); or, its coupon
    closed since, the number it registered; or else the form again with its errors, the HTTP
    status to answer with, and the token to send it with."""

    coupon: coupons.Coupon | None = None
    number: str = ""
    status: int = 200
    token: str = ""


@sensitive_variables("appeal", "secret", "coupon")
def form_send(
    request: HttpRequest,
    form: forms.Form,
    desk: coupons.Desk,
    receive: Callable[[dict[str, Any], str], tuple[Appeal, str]],
    allowed: Callable[[], bool] = lambda: True,
) -> Sent:
    """Send a registration form: `receive(cleaned_data, token)` registers its appeal, once the
    form is valid and `allowed()` (a rate limit) lets it."""
    session = request.session
    issued_token = request.POST.get("submission", "")
    issued = coupons.form_issued(session, issued_token, desk)
    # The token registers these contents once. Other contents under a token seen before (the
    # next person at a shared computer going back to the form, a form body someone copied)
    # are a form of their own: they never open the first one's coupon.
    token = coupons.sent_token(issued_token, request) if issued else issued_token
    if issued:
        earlier = _sent_before(request, token, desk)
        if earlier is not None:
            return earlier
    valid = form.is_valid()
    if not issued:
        form.add_error(None, _("This form has expired: check it and send it again."))
        return Sent(token=coupons.form_issue(session, desk))
    if not valid:
        return Sent(token=issued_token)
    # A second click of a form that is registering counts once against the limit.
    if not services.submission_taken(token) and not allowed():
        form.add_error(None, _("Too many appeals from your network in an hour: try later."))
        return Sent(status=429, token=issued_token)
    try:
        appeal, secret = receive(form.cleaned_data, token)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return Sent(token=issued_token)
    except services.DuplicateSubmission:
        # The first of two clicks is registering: its coupon is the answer, if it comes soon.
        coupon = coupons.token_wait(token)
        if coupon is None:
            form.add_error(
                None,
                _(
                    "This form is being registered at this moment. Send it again in a minute: "
                    "its coupon will open, and the appeal is not registered twice."
                ),
            )
            return Sent(status=409, token=issued_token)
    else:
        # Kept by the service; once more if the cache has dropped it since (a full local one).
        coupon = coupons.token_coupon(token) or coupons.token_keep(
            token, pk=appeal.pk, number=appeal.number, secret=secret
        )
    _keep(request, token, coupon, desk)
    return Sent(coupon=coupon)


@sensitive_variables("coupon")
def _sent_before(request: HttpRequest, token: str, desk: coupons.Desk) -> Sent | None:
    coupon = coupons.token_coupon(token)
    if coupon is not None:
        _keep(request, token, coupon, desk)
        return Sent(coupon=coupon)
    number = services.submission_number(token)
    return Sent(number=number) if number else None


def _keep(request: HttpRequest, token: str, coupon: coupons.Coupon, desk: coupons.Desk) -> None:
    coupons.coupon_keep(request.session, token, coupon, desk)
    public_session(request)


def public_session(request: HttpRequest) -> None:
    """End a citizen's session when the browser closes: at a shared computer the next person
    must not find it. A signed-in user's session keeps its own terms."""
    if not request.user.is_authenticated:
        request.session.set_expiry(0)
