from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.api.errors import PPO_OUTSIDE, REQUIRED, TRANSFER
from tamyr.members import selectors, services
from tamyr.members.models import Person
from tamyr.members.rules import membership_errors, person_errors
from tamyr.orgs import access


class MemberSerializer(serializers.ModelSerializer):
    ppo = serializers.IntegerField(source="ppo_id", required=False)
    admitted_on = serializers.DateField(write_only=True, required=False)
    card_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    card_issued_on = serializers.DateField(write_only=True, required=False, allow_null=True)
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
    """Members (people registered in PPOs) in the caller's subtree."""

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
        person_data, membership_data = _split(data)
        person = services.member_update(
            actor=request.user,
            person=person,
            person_data=person_data,
            membership_data=membership_data,
            version=version,
        )
        return Response(self.get_serializer(person).data)
