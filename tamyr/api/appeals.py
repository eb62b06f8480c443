"""Appeals, receptions and their figures over REST, scoped like the pages; and the citizen's
two public calls (send, follow), rate-limited like the public pages."""

from datetime import UTC
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.api.errors import NODE_OUTSIDE, PERIOD_OF_A_YEAR
from tamyr.api.translated import TranslatedTextsSerializer
from tamyr.appeals import receptions, services
from tamyr.appeals.models import (
    Appeal,
    AppealStatus,
    AppealType,
    Channel,
    Official,
    Outcome,
    Reception,
    ReceptionFormat,
    Topic,
)
from tamyr.appeals.selectors import (
    appeal_flags,
    appeal_list,
    appeal_statistics,
    due_soon_limit,
    officials_by_receptions,
)
from tamyr.appeals.tracking import (
    appeal_track,
    client_address,
    submission_allowed,
    tracking_blocked,
)
from tamyr.core.collation import by_name
from tamyr.core.translated import language_fields
from tamyr.orgs import access
from tamyr.orgs.models import Node, NodeKind, Wing


class AppealSerializer(serializers.ModelSerializer):
    node = serializers.PrimaryKeyRelatedField(queryset=Node.objects.all())
    topic = serializers.SlugRelatedField(slug_field="code", queryset=Topic.objects.all())
    appeal_type = serializers.SlugRelatedField(
        slug_field="code", queryset=AppealType.objects.all(), required=False
    )
    term = serializers.SerializerMethodField()
    possible_duplicate_of = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    # An answer Tamyr gave itself (left without consideration) reads in the caller's language.
    answer = serializers.CharField(source="shown_answer", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id", "number", "channel", "appeal_type", "topic", "citizen_name", "contact",
            "locality", "text", "received_at", "reception", "node", "executor", "controller",
            "status", "outcome", "counted_from", "forward_due_on", "due_on", "term",
            "extended_on", "extension_reason", "notice_due_on", "citizen_notified_on", "answer",
            "answered_on", "closed_on", "signed_off_by", "possible_duplicate_of", "attachments",
            "version",
        ]  # fmt: skip
        read_only_fields = [
            "number", "executor", "controller", "status", "outcome", "counted_from",
            "forward_due_on", "due_on", "extended_on", "extension_reason", "notice_due_on",
            "citizen_notified_on", "answer", "answered_on", "closed_on", "signed_off_by",
            "possible_duplicate_of", "version",
        ]  # fmt: skip
        extra_kwargs = {"received_at": {"required": False}, "reception": {"required": False}}

    def get_term(self, appeal: Appeal) -> str:
        # The due-soon limit is worked out once per answer, not once per row.
        if "soon" not in self.context:
            self.context["soon"] = due_soon_limit()
        return appeal_flags(appeal, soon=self.context["soon"])

    def get_possible_duplicate_of(self, appeal: Appeal) -> int | None:
        """The flagged appeal's id, only if the caller may see it."""
        other = appeal.possible_duplicate_of_id
        request = self.context.get("request")
        if other is None or request is None:
            return None
        visible = access.scoped_appeals(request.user).filter(pk=other).exists()
        return other if visible else None

    def get_attachments(self, appeal: Appeal) -> list[dict[str, Any]]:
        return [
            {"id": f.pk, "name": f.name, "content_type": f.content_type, "size": f.size}
            for f in appeal.attachments.all()
        ]


class MoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(services.ACTIONS)
    version = serializers.IntegerField()
    node = serializers.IntegerField(required=False)
    executor = serializers.IntegerField(required=False)
    controller = serializers.IntegerField(required=False)
    outcome = serializers.CharField(required=False, allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    sign_off = serializers.BooleanField(required=False, default=False)
    due_on = serializers.DateField(required=False)
    on = serializers.DateField(required=False)


class AppealViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Appeals under the control of branches in the caller's subtree."""

    serializer_class = AppealSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Appeal]:
        access.require(self.request.user, access.APPEAL, access.VIEW)
        params = self.request.query_params
        executor = params.get("executor")
        return (
            appeal_list(
                user=self.request.user,
                status=params.get("status", ""),
                term=params.get("term", ""),
                executor=int(executor) if executor and executor.isdigit() else None,
                query=params.get("number", ""),
            )
            .select_related("appeal_type")
            .prefetch_related("attachments")
        )

    def get_object(self) -> Appeal:
        action_ = access.VIEW if self.request.method in ("GET", "HEAD") else access.UPDATE
        return access.get_appeal(self.request.user, self.kwargs["pk"], action_)

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Register an appeal from the call centre, a letter, e-mail or a reception. The
        answer carries the tracking code once; it is not stored."""
        access.require(request.user, access.APPEAL, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        node = data["node"]
        if not access.node_allows(request.user, access.APPEAL, access.CREATE, node.pk):
            raise serializers.ValidationError({"node": [NODE_OUTSIDE]})
        if data.get("reception") is not None:
            access.get_reception(request.user, data["reception"].pk)
        appeal, secret = services.appeal_receive(
            actor=request.user,
            channel=data["channel"],
            appeal_type=data.get("appeal_type"),
            topic=data["topic"],
            node=node,
            citizen_name=data.get("citizen_name", ""),
            contact=data.get("contact", ""),
            locality=data.get("locality", ""),
            text=data.get("text", ""),
            received_at=data.get("received_at"),
            reception=data.get("reception"),
        )
        return Response({**self.get_serializer(appeal).data, "tracking_code": secret}, status=201)

    @action(detail=True, methods=["post"], serializer_class=MoveSerializer)
    def move(self, request: Request, pk=None) -> Response:
        """Take one action on the appeal (assign, answer, return, close, reopen, extend, notify)."""
        appeal = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        name, version = data.pop("action"), data.pop("version")
        users = get_user_model().objects
        for key in ("executor", "controller"):
            if key in data:
                data[key] = users.filter(pk=data[key]).first()
        if "node" in data:
            data["node"] = access.scoped_appeal_nodes(request.user).filter(pk=data["node"]).first()
            if data["node"] is None:
                raise serializers.ValidationError({"node": [NODE_OUTSIDE]})
        elif name == "assign":
            data.setdefault("executor", None)
            data.setdefault("controller", None)
        moved = services.appeal_move(
            actor=request.user, appeal=appeal, version=version, action=name, **data
        )
        return Response(AppealSerializer(moved, context=self.get_serializer_context()).data)


class ReceptionSerializer(TranslatedTextsSerializer):
    format = serializers.SlugRelatedField(slug_field="code", queryset=ReceptionFormat.objects.all())
    texts = {"place": _("Give the place in at least one language.")}

    class Meta:
        model = Reception
        fields = [
            "id", "official", "node", "format", "starts_at", "place", "place_kk", "place_ru",
            "place_en", "status", "visitors", "version",
        ]  # fmt: skip
        read_only_fields = ["status", "visitors", "version"]


class RecordSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.CharField()
    visitors = serializers.IntegerField(min_value=0, default=0)


class ReceptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The schedule of receptions at branches in the caller's subtree."""

    serializer_class = ReceptionSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Reception]:
        access.require(self.request.user, access.RECEPTION, access.VIEW)
        return access.scoped_receptions(self.request.user).order_by("-starts_at", "-id")

    def get_object(self) -> Reception:
        action_ = access.VIEW if self.request.method in ("GET", "HEAD") else access.UPDATE
        return access.get_reception(self.request.user, self.kwargs["pk"], action_)

    def create(self, request: Request, *args, **kwargs) -> Response:
        access.require(request.user, access.RECEPTION, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        official = access.scoped_officials(request.user).filter(pk=data["official"].pk).first()
        if official is None:
            raise serializers.ValidationError({"official": [NODE_OUTSIDE]})
        reception = receptions.reception_schedule(
            actor=request.user,
            official=official,
            node=data["node"],
            format=data["format"],
            starts_at=data["starts_at"],
            **{column: data[column] for column in language_fields("place")},
        )
        return Response(self.get_serializer(reception).data, status=201)

    @action(detail=True, methods=["post"], serializer_class=RecordSerializer)
    def record(self, request: Request, pk=None) -> Response:
        """Record how the reception went: held with its visitors, or cancelled."""
        reception = self.get_object()
        serializer = RecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recorded = receptions.reception_record(
            actor=request.user, reception=reception, **serializer.validated_data
        )
        return Response(self.get_serializer(recorded).data)


class OfficialSerializer(TranslatedTextsSerializer):
    texts = {"position": _("Give the position in at least one language.")}

    class Meta:
        model = Official
        fields = [
            "id", "full_name", "position", "position_kk", "position_ru", "position_en", "kind",
            "node", "is_active",
        ]  # fmt: skip
        read_only_fields = ["is_active"]


class OfficialViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Officials who receive citizens at branches in the caller's subtree."""

    serializer_class = OfficialSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Official]:
        access.require(self.request.user, access.RECEPTION, access.VIEW)
        return access.scoped_officials(self.request.user).order_by(by_name("full_name"), "id")

    def create(self, request: Request, *args, **kwargs) -> Response:
        access.require(request.user, access.RECEPTION, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        official = receptions.official_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(official).data, status=201)


class StatisticsQuery(serializers.Serializer):
    node = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    years = serializers.IntegerField(min_value=0, max_value=5, default=2)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start"] > attrs["end"] or (attrs["end"] - attrs["start"]).days > 365:
            raise serializers.ValidationError({"end": [PERIOD_OF_A_YEAR]})
        return attrs


@extend_schema(parameters=[StatisticsQuery], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def appeal_figures(request: Request) -> Response:
    """Return the appeal and reception figures of a branch for a window and earlier years."""
    query = StatisticsQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    node = access.get_node(request.user, data["node"])
    windows = appeal_statistics(
        node=node, start=data["start"], end=data["end"], years=data["years"]
    )
    topics = dict(Topic.objects.values_list("pk", "code"))
    officials = None
    if access.node_allows(request.user, access.RECEPTION, access.VIEW, node.pk):
        officials = [
            {"id": o.pk, "full_name": o.full_name, "position": o.position, "held": o.held,
             "visitors": o.seen or 0}
            for o in officials_by_receptions(node=node, start=data["start"], end=data["end"])
        ]  # fmt: skip
    return Response(
        {
            "node": node.pk,
            "officials": officials,
            "windows": [
                {
                    "start": w.start,
                    "end": w.end,
                    "received": w.received,
                    "positive": w.positive,
                    "positive_share": w.positive_share,
                    "overdue": w.overdue,
                    "closed": w.closed,
                    "from_receptions": w.from_receptions,
                    "receptions": w.receptions,
                    "visitors": w.visitors,
                    "reception_appeals": w.reception_appeals,
                    "by_channel": w.by_channel,
                    "by_topic": {topics[k]: v for k, v in w.by_topic.items()},
                    "by_outcome": {k or "none": v for k, v in w.by_outcome.items()},
                }
                for w in windows
            ],
        }
    )


# -- citizens, without an account --------------------------------------------------------------


class PublicAppealSerializer(serializers.Serializer):
    citizen_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Node.objects.filter(
            kind__in=[NodeKind.REGION, NodeKind.CITY], wing=Wing.PARTY, closed_on__isnull=True
        ),
    )
    locality = serializers.CharField(max_length=300, required=False, allow_blank=True)
    topic = serializers.SlugRelatedField(
        slug_field="code", queryset=Topic.objects.filter(is_active=True)
    )
    text = serializers.CharField(max_length=services.MAX_TEXT, allow_blank=True)


def public_receive(request: Request, data: dict[str, Any], channel: str) -> tuple[Appeal, str]:
    if not submission_allowed(client_address(request)):
        raise Throttled()
    return services.appeal_receive(
        actor=None,
        channel=channel,
        topic=data["topic"],
        node=data["region"],
        citizen_name=data.get("citizen_name", ""),
        contact=data.get("contact", ""),
        locality=data.get("locality", ""),
        text=data.get("text", ""),
    )


class TrackedAppealSerializer(serializers.Serializer):
    """What a citizen sees of their appeal: status, dates, outcome and answer; nothing else."""

    number = serializers.CharField(read_only=True)
    # In UTC, as this answer always gave it.
    received_at = serializers.DateTimeField(read_only=True, default_timezone=UTC)
    topic = serializers.CharField(read_only=True, help_text=_("The topic's code."))
    status = serializers.ChoiceField(AppealStatus.choices, read_only=True)
    due_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "The date the answer is due by; null for an appeal left without consideration, "
            "which gets no answer."
        ),
    )
    extended = serializers.BooleanField(read_only=True)
    outcome = serializers.ChoiceField(
        Outcome.choices,
        read_only=True,
        allow_blank=True,
        help_text=_("Empty until the appeal is closed."),
    )
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    answer = serializers.CharField(
        read_only=True,
        help_text=_(
            "The answer once the appeal is closed; for an appeal left without consideration, "
            "the reason."
        ),
    )


class PublicAppealSentSerializer(TrackedAppealSerializer):
    """What a citizen sees of the appeal they have just sent, with its tracking code."""

    tracking_code = serializers.CharField(
        read_only=True,
        help_text=_("Given once, in this answer: the appeal is followed with it and its number."),
    )


def tracked_view(appeal: Appeal) -> dict[str, Any]:
    """What a citizen sees of their appeal: status, dates, outcome and answer; nothing else."""
    closed = appeal.status == AppealStatus.CLOSED
    return TrackedAppealSerializer(
        {
            "number": appeal.number,
            "received_at": appeal.received_at,
            "topic": appeal.topic.code,
            "status": appeal.status,
            "due_on": services.answer_promised_on(appeal),
            "extended": appeal.extended_on is not None,
            "outcome": appeal.outcome if closed else "",
            "closed_on": appeal.closed_on if closed else None,
            "answer": appeal.shown_answer if closed else "",
        }
    ).data


@extend_schema(request=PublicAppealSerializer, responses={201: PublicAppealSentSerializer})
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([])
def public_appeal(request: Request) -> Response:
    """Send an appeal as a citizen; the answer holds the number and the tracking code."""
    serializer = PublicAppealSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    appeal, secret = public_receive(request, serializer.validated_data, Channel.PORTAL)
    return Response({**tracked_view(appeal), "tracking_code": secret}, status=201)


class TrackSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    tracking_code = serializers.CharField(max_length=20)


def track_or_refuse(request: Request, number: str, code: str) -> Appeal:
    address = client_address(request)
    if tracking_blocked(number, address):
        raise Throttled()
    appeal = appeal_track(number=number, secret=code, address=address)
    if appeal is None:
        raise PermissionDenied()
    return appeal


@sensitive_post_parameters("tracking_code")
@extend_schema(request=TrackSerializer, responses=TrackedAppealSerializer)
@api_view(["POST"])
@permission_classes([AllowAny])
def public_track(request: Request) -> Response:
    """Follow an appeal: the number and the code travel in the body, never in the URL."""
    serializer = TrackSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return Response(tracked_view(track_or_refuse(request, data["number"], data["tracking_code"])))


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
def topic_list(request: Request) -> Response:
    """The topics a citizen may choose, named in the caller's language."""
    topics = Topic.objects.filter(is_active=True).order_by("code")
    return Response([{"code": t.code, "name": t.name} for t in topics])
