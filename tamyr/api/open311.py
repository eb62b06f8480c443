"""Open311 GeoReport v2, so that existing civic clients can send appeals and follow them.

Services are the appeal topics; a request is an appeal. The jurisdiction is the region's code.
Appeals are private: staff with an API token list and read those in their subtree; a citizen
reads one request by its number, with the tracking code in the X-Tracking-Code header (never
in a URL). JSON only; errors come as GeoReport's list of {code, description}.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.api.appeals import track_or_refuse
from tamyr.appeals.models import Appeal, AppealStatus, Channel, Topic
from tamyr.appeals.selectors import appeal_list
from tamyr.appeals.services import MAX_TEXT, answer_promised_on, appeal_receive
from tamyr.appeals.tracking import client_address, submission_allowed
from tamyr.orgs import access
from tamyr.orgs.models import Node, NodeKind, Wing

# The service's field names as GeoReport calls them.
OPEN311_FIELDS = {
    "text": "description",
    "citizen_name": "first_name",
    "contact": "phone",
    "locality": "address_string",
}


def _error(code: int, description: str) -> Response:
    return Response([{"code": code, "description": description}], status=code)


def _open311_errors(view):
    """Answer failures in GeoReport's shape instead of DRF's."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Throttled:
            return _error(429, _("Too many requests: try later."))
        except (NotAuthenticated, PermissionDenied):
            return _error(403, _("Appeals are private: give the tracking code."))
        except APIException as exc:
            return _error(exc.status_code, str(exc.detail))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _service(topic: Topic) -> dict[str, Any]:
    return {
        "service_code": topic.code,
        "service_name": topic.name,
        "description": topic.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
@_open311_errors
def services(request: Request) -> Response:
    """GET services.json: the appeal topics."""
    return Response([_service(t) for t in Topic.objects.filter(is_active=True).order_by("code")])


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
@_open311_errors
def service_definition(request: Request, code: str) -> Response:
    """GET services/{code}.json: a topic asks for no extra attributes."""
    if not Topic.objects.filter(code=code, is_active=True).exists():
        return _error(404, _("No such service."))
    return Response({"service_code": code, "attributes": []})


def _request(appeal: Appeal, full: bool) -> dict[str, Any]:
    closed = appeal.status == "closed"
    expected = answer_promised_on(appeal)
    data = {
        "service_request_id": appeal.number,
        "status": "closed" if closed else "open",
        "status_notes": appeal.shown_answer if closed else "",
        "service_name": appeal.topic.name,
        "service_code": appeal.topic.code,
        # Which branch works on it is internal: staff see it, the citizen does not.
        "agency_responsible": appeal.node.name if full else "",
        "service_notice": "",
        "requested_datetime": appeal.received_at.isoformat(),
        "updated_datetime": None,
        # None for an appeal left without consideration: no answer is coming.
        "expected_datetime": expected.isoformat() if expected else None,
    }
    if full:  # what only staff in scope may read
        data.update(description=appeal.text, address=appeal.locality)
    return data


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
@_open311_errors
def requests(request: Request) -> Response:
    """GET requests.json (staff: the subtree's appeals); POST requests.json (anyone)."""
    if request.method == "POST":
        return _create(request)
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    access.require(request.user, access.APPEAL, access.VIEW)
    appeals = appeal_list(user=request.user).select_related("topic", "node")
    wanted = request.query_params.get("service_request_id")
    if wanted:
        appeals = appeals.filter(number__in=wanted.split(","))
    code = request.query_params.get("service_code")
    if code:
        appeals = appeals.filter(topic__code__in=code.split(","))
    state = request.query_params.get("status")
    if state == "open":
        appeals = appeals.exclude(status="closed")
    elif state == "closed":
        appeals = appeals.filter(status="closed")
    # GeoReport's default page: the 1,000 most recent.
    return Response([_request(a, True) for a in appeals.order_by("-received_at")[:1000]])


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
@_open311_errors
def request_detail(request: Request, number: str) -> Response:
    """GET requests/{id}.json: staff in scope, or the citizen with the tracking code header."""
    if request.user.is_authenticated and access.may(request.user, access.APPEAL, access.VIEW):
        appeal = appeal_list(user=request.user).filter(number=number).first()
        if appeal is None:
            return _error(404, _("No such request."))
        return Response([_request(appeal, True)])
    code = request.headers.get("X-Tracking-Code", "")
    return Response([_request(track_or_refuse(request, number, code), False)])


def _create(request: Request) -> Response:
    data = request.data
    if not hasattr(data, "get"):
        return _error(400, _("Send the request's fields as a form or a JSON object."))
    topic = Topic.objects.filter(code=data.get("service_code", ""), is_active=True).first()
    if topic is None:
        return _error(400, _("service_code: choose one of the services."))
    region = Node.objects.filter(
        code=data.get("jurisdiction_id", ""),
        kind__in=[NodeKind.REGION, NodeKind.CITY],
        wing=Wing.PARTY,
        closed_on__isnull=True,
    ).first()
    if region is None:
        return _error(400, _("jurisdiction_id: give the code of a region or city."))
    text = str(data.get("description", ""))
    if len(text) > MAX_TEXT:
        return _error(400, _("description: the text is too long."))
    if not submission_allowed(client_address(request)):
        raise Throttled()
    name = " ".join(str(data.get(k, "")).strip() for k in ("first_name", "last_name")).strip()
    contact = str(data.get("phone", "") or data.get("email", "")).strip()
    try:
        appeal, secret = appeal_receive(
            actor=None,
            channel=Channel.OPEN311,
            topic=topic,
            node=region,
            citizen_name=name,
            contact=contact,
            locality=str(data.get("address_string", "")).strip()[:300],
            text=text,
        )
    except ValidationError as exc:
        # The service's rules, named by GeoReport's fields: one error each.
        errors = [
            {"code": 400, "description": f"{OPEN311_FIELDS.get(field, field)}: {message}"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    # An appeal recorded and closed by rule (anonymous) says so instead of promising a follow-up.
    notice = (
        appeal.shown_answer
        if appeal.status == AppealStatus.CLOSED
        else _("Keep the tracking code: you need it to follow the appeal.")
    )
    body = [
        {
            "service_request_id": appeal.number,
            "service_notice": notice,
            "account_id": None,
            # Not in GeoReport v2: the only way the citizen can follow the request later.
            "tracking_code": secret,
        }
    ]
    return Response(body, status=status.HTTP_201_CREATED)
