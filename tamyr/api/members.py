from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.api.errors import PPO_OUTSIDE, REQUIRED, TRANSFER
from tamyr.members import lifecycle, selectors, services
from tamyr.members.models import AdmissionBody, Application, MembershipEvent, Person
from tamyr.members.rules import membership_errors, person_errors
from tamyr.orgs import access


class MemberSerializer(serializers.ModelSerializer):
    ppo = serializers.IntegerField(source="ppo_id", required=False)
    admitted_on = serializers.DateField(write_only=True, required=False)
    admission_body = serializers.ChoiceField(
        AdmissionBody.choices, write_only=True, required=False, allow_blank=True
    )
    admission_protocol = serializers.CharField(write_only=True, required=False, allow_blank=True)
    card_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    card_issued_on = serializers.DateField(write_only=True, required=False, allow_null=True)
    card_issued_by = serializers.CharField(write_only=True, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            *services.PERSON_FIELDS,
            "ppo",
            "status",
            *services.MEMBERSHIP_FIELDS,
            "version",
        ]
        read_only_fields = ["status"]
        # Uniqueness is checked by the service, which also covers concurrent writers.
        extra_kwargs = {"iin": {"validators": []}}

    def validate(self, attrs):
        merged = attrs
        if self.instance is not None:
            merged = {f: getattr(self.instance, f) for f in services.PERSON_FIELDS} | attrs
        errors = person_errors(merged) | membership_errors(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EventSerializer(serializers.ModelSerializer):
    # What Tamyr wrote itself reads in the caller's language; a typed reason as typed.
    reason = serializers.CharField(source="shown_reason", read_only=True)

    class Meta:
        model = MembershipEvent
        fields = ["id", "kind", "on", "ppo", "other_ppo", "reason"]


class StepSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    to_ppo = serializers.IntegerField(required=False)
    number = serializers.CharField(required=False)
    issued_on = serializers.DateField(required=False)
    issued_by = serializers.CharField(required=False, allow_blank=True, default="")


def _split(data: dict) -> tuple[dict, dict]:
    return (
        {k: data[k] for k in services.PERSON_FIELDS if k in data},
        {k: data[k] for k in services.MEMBERSHIP_FIELDS if k in data},
    )


class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Members (people registered in PPOs) in the caller's subtree, and their lifecycle."""

    serializer_class = MemberSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Person]:
        access.require(self.request.user, access.MEMBER, access.VIEW)
        params = self.request.query_params
        node = access.get_node(self.request.user, params["node"]) if params.get("node") else None
        return selectors.member_list(
            user=self.request.user,
            query=params.get("q", ""),
            node=node,
            status=params.get("status", ""),
            gender=params.get("gender", ""),
            sector=params.get("sector", ""),
        )

    def get_object(self) -> Person:
        action = access.VIEW if self.request.method in ("GET", "HEAD") else access.UPDATE
        return access.get_person(self.request.user, self.kwargs["pk"], action)

    def create(self, request: Request, *args, **kwargs) -> Response:
        access.require(request.user, access.MEMBER, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        missing = {f: [REQUIRED] for f in ("ppo_id", "admitted_on") if not data.get(f)}
        if missing:
            raise serializers.ValidationError(
                {("ppo" if k == "ppo_id" else k): v for k, v in missing.items()}
            )
        ppo = (
            access.scoped_ppos_for_members(request.user, access.CREATE)
            .filter(pk=data["ppo_id"])
            .first()
        )
        if ppo is None:
            raise serializers.ValidationError({"ppo": [PPO_OUTSIDE]})
        person_data, membership_data = _split(data)
        person = services.member_register(
            actor=request.user, ppo=ppo, person_data=person_data, membership_data=membership_data
        )
        return Response(self.get_serializer(person).data, status=201)

    def update(self, request: Request, *args, **kwargs) -> Response:
        person = self.get_object()
        serializer = self.get_serializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": [REQUIRED]})
        if "ppo_id" in data and data["ppo_id"] != person.ppo_id:
            raise serializers.ValidationError({"ppo": [TRANSFER]})
        person_data, _membership = _split(data)
        person = services.member_update(
            actor=request.user, person=person, person_data=person_data, version=version
        )
        return Response(self.get_serializer(person).data)

    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk=None) -> Response:
        """The member's life in the party, newest first."""
        person = self.get_object()
        return Response(EventSerializer(selectors.member_timeline(person=person), many=True).data)

    @action(
        detail=True, methods=["post"], url_path="steps/<slug:step>", serializer_class=StepSerializer
    )
    def step(self, request: Request, pk=None, step: str = "") -> Response:
        """Take a lifecycle step: transfer, card, suspend, resume, leave or death."""
        person = self.get_object()
        if step not in lifecycle.STEPS:
            raise serializers.ValidationError({"step": [REQUIRED]})
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if step == "transfer":
            to_ppo = (
                access.scoped_ppos_for_members(request.user, access.CREATE)
                .filter(pk=data.get("to_ppo"))
                .first()
            )
            if to_ppo is None:
                raise serializers.ValidationError({"to_ppo": [PPO_OUTSIDE]})
            lifecycle.member_transfer(
                actor=request.user,
                person=person,
                to_ppo=to_ppo,
                on=data.get("on"),
                reason=data["reason"],
            )
        elif step == "card":
            lifecycle.card_issue(
                actor=request.user,
                person=person,
                number=data.get("number", ""),
                issued_on=data.get("issued_on"),
                issued_by=data["issued_by"],
            )
        else:
            lifecycle.membership_change(
                actor=request.user,
                person=person,
                action=step,
                on=data.get("on"),
                reason=data["reason"],
            )
        person.refresh_from_db()
        return Response(MemberSerializer(person).data)


class ApplicationSerializer(serializers.ModelSerializer):
    person = MemberSerializer(required=False, write_only=True)
    person_id = serializers.IntegerField(required=False, write_only=True)
    applicant = serializers.SerializerMethodField()
    ppo = serializers.IntegerField(source="ppo_id")

    class Meta:
        model = Application
        fields = [
            "id",
            "person",
            "person_id",
            "applicant",
            "ppo",
            "applied_on",
            "status",
            "decided_on",
            "decision_body",
            "protocol_number",
            "reason",
        ]
        read_only_fields = ["status", "decided_on", "decision_body", "protocol_number", "reason"]

    def get_applicant(self, application: Application) -> dict:
        """The applicant as the application records them; their current data only to whoever
        may see the person now (they may have moved to another branch since)."""
        person = application.person
        request = self.context.get("request")
        if request is not None and access.scoped_people(request.user).filter(pk=person.pk).exists():
            return {
                "id": person.pk,
                "full_name": person.full_name,
                "member": MemberSerializer(person).data,
            }
        return {"id": person.pk, "full_name": person.full_name}


class DecisionSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    decision_body = serializers.ChoiceField(AdmissionBody.choices)
    protocol_number = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications to join (or rejoin) through PPOs in the caller's subtree."""

    serializer_class = ApplicationSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Application]:
        access.require(self.request.user, access.MEMBER, access.VIEW)
        applications = access.scoped_applications(self.request.user).select_related("person")
        status = self.request.query_params.get("status")
        return applications.filter(status=status) if status else applications

    def get_object(self) -> Application:
        action = access.VIEW if self.request.method in ("GET", "HEAD") else access.CREATE
        return access.get_application(self.request.user, self.kwargs["pk"], action)

    def create(self, request: Request, *args, **kwargs) -> Response:
        access.require(request.user, access.MEMBER, access.CREATE)
        ppo = (
            access.scoped_ppos_for_members(request.user, access.CREATE)
            .filter(pk=request.data.get("ppo"))
            .first()
        )
        if ppo is None:
            raise serializers.ValidationError({"ppo": [PPO_OUTSIDE]})
        person = None
        if request.data.get("person_id"):
            person = access.get_person(request.user, request.data["person_id"], access.CREATE)
            person_data = None
        else:
            person_serializer = MemberSerializer(data=request.data.get("person") or {})
            person_serializer.is_valid(raise_exception=True)
            person_data, _membership = _split(dict(person_serializer.validated_data))
        applied_on = serializers.DateField().to_internal_value(request.data.get("applied_on"))
        application = lifecycle.application_submit(
            actor=request.user,
            ppo=ppo,
            applied_on=applied_on,
            person=person,
            person_data=person_data,
        )
        return Response(self.get_serializer(application).data, status=201)

    def _decide(self, request: Request, admit: bool) -> Response:
        application = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason")
        if admit:
            lifecycle.application_admit(actor=request.user, application=application, **data)
        else:
            lifecycle.application_reject(
                actor=request.user, application=application, reason=reason, **data
            )
        application.refresh_from_db()
        return Response(self.get_serializer(application).data)

    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def admit(self, request: Request, pk=None) -> Response:
        """Admit the applicant (decision date, body, protocol number)."""
        return self._decide(request, admit=True)

    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def reject(self, request: Request, pk=None) -> Response:
        """Refuse the application (decision date, body, protocol number, reason)."""
        return self._decide(request, admit=False)
