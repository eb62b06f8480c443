from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.api.errors import REQUIRED
from tamyr.api.translated import TranslatedTextsSerializer
from tamyr.core.translated import language_fields
from tamyr.members import discipline
from tamyr.members.models import AppealOutcome, CaseOutcome, DisciplineCase, Penalty
from tamyr.orgs import access


class CaseSerializer(TranslatedTextsSerializer):
    texts = {"grounds": _("Describe the grounds in at least one language.")}
    person = serializers.IntegerField(source="person_id")
    ppo = serializers.IntegerField(source="ppo_id", read_only=True)

    class Meta:
        model = DisciplineCase
        fields = [
            "id",
            "person",
            "ppo",
            "opened_on",
            "grounds",
            "grounds_kk",
            "grounds_ru",
            "grounds_en",
            "hearing_on",
            "status",
            "outcome",
            "penalty",
            "decided_on",
            "protocol_number",
            "appeal_filed_on",
            "appeal_outcome",
            "appeal_decided_on",
            "final_penalty",
            "version",
        ]
        read_only_fields = [
            "hearing_on",
            "status",
            "outcome",
            "penalty",
            "decided_on",
            "protocol_number",
            "appeal_filed_on",
            "appeal_outcome",
            "appeal_decided_on",
            "final_penalty",
            "version",
        ]


class CaseStageSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    decided_on = serializers.DateField(required=False)
    hearing_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(CaseOutcome.choices + AppealOutcome.choices, required=False)
    penalty = serializers.ChoiceField(Penalty.choices, required=False, allow_blank=True)
    protocol_number = serializers.CharField(required=False, allow_blank=True, default="")
    filed_on = serializers.DateField(required=False)


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Discipline cases about members in the caller's subtree."""

    serializer_class = CaseSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[DisciplineCase]:
        access.require(self.request.user, access.DISCIPLINE, access.VIEW)
        cases = access.scoped_cases(self.request.user)
        status = self.request.query_params.get("status")
        return cases.filter(status=status) if status else cases

    def get_object(self) -> DisciplineCase:
        action = access.VIEW if self.request.method in ("GET", "HEAD") else access.UPDATE
        return access.get_case(self.request.user, self.kwargs["pk"], action)

    def create(self, request: Request, *args, **kwargs) -> Response:
        access.require(request.user, access.DISCIPLINE, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = access.get_person(request.user, data["person_id"])
        if not access.node_allows(request.user, access.DISCIPLINE, access.CREATE, person.ppo_id):
            raise PermissionDenied()
        case = discipline.case_open(
            actor=request.user,
            person=person,
            opened_on=data["opened_on"],
            **{column: data[column] for column in language_fields("grounds")},
        )
        return Response(self.get_serializer(case).data, status=201)

    def _stage(self, request: Request, stage: str) -> Response:
        case = self.get_object()
        serializer = CaseStageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        common = {"actor": request.user, "case": case, "version": data["version"]}
        if stage == "decide":
            if not data.get("decided_on") or not data.get("outcome"):
                raise serializers.ValidationError({"decided_on": [REQUIRED]})
            discipline.case_decide(
                **common,
                decided_on=data["decided_on"],
                outcome=data["outcome"],
                penalty=data.get("penalty", ""),
                protocol_number=data["protocol_number"],
                hearing_on=data.get("hearing_on"),
            )
        elif stage == "appeal":
            discipline.case_appeal(**common, filed_on=data.get("filed_on"))
        elif stage == "appeal_decision":
            discipline.case_appeal_decide(
                **common,
                decided_on=data.get("decided_on"),
                outcome=data.get("outcome", ""),
                new_penalty=data.get("penalty", ""),
            )
        else:
            discipline.case_close(**common)
        case.refresh_from_db()
        return Response(self.get_serializer(case).data)

    @action(detail=True, methods=["post"], serializer_class=CaseStageSerializer)
    def decide(self, request: Request, pk=None) -> Response:
        """Record the commission's decision (an expulsion takes effect on its date)."""
        return self._stage(request, "decide")

    @action(detail=True, methods=["post"], serializer_class=CaseStageSerializer)
    def appeal(self, request: Request, pk=None) -> Response:
        """Record that the member appealed."""
        return self._stage(request, "appeal")

    @action(
        detail=True,
        methods=["post"],
        url_path="appeal-decision",
        serializer_class=CaseStageSerializer,
    )
    def appeal_decision(self, request: Request, pk=None) -> Response:
        """Record the outcome of the appeal."""
        return self._stage(request, "appeal_decision")

    @action(detail=True, methods=["post"], serializer_class=CaseStageSerializer)
    def close(self, request: Request, pk=None) -> Response:
        """Close a decided case that was not appealed."""
        return self._stage(request, "close")
