from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.api.errors import PPO_OUTSIDE
from tamyr.api.translated import TranslatedTextsSerializer
from tamyr.members import awards
from tamyr.members.models import AwardType, Ceremony, Conferral
from tamyr.orgs import access


class AwardTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardType
        fields = ["id", "code", "kind", "name", "name_kk", "name_ru", "name_en", "is_active"]


class AwardTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The party's award types (reference data)."""

    serializer_class = AwardTypeSerializer
    queryset = AwardType.objects.all()

    def get_queryset(self) -> QuerySet[AwardType]:
        access.require(self.request.user, access.AWARD, access.VIEW)
        return AwardType.objects.all()


class CeremonySerializer(TranslatedTextsSerializer):
    node = serializers.IntegerField(source="node_id")
    texts = {"title": _("Name the occasion in at least one language."), "place": None}

    class Meta:
        model = Ceremony
        fields = [
            "id", "node", "held_on", "title", "title_kk", "title_ru", "title_en", "place",
            "place_kk", "place_ru", "place_en",
        ]  # fmt: skip


class CeremonyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Award ceremonies of branches in the caller's subtree."""

    serializer_class = CeremonySerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Ceremony]:
        access.require(self.request.user, access.AWARD, access.VIEW)
        return access.scoped_ceremonies(self.request.user)

    def get_object(self) -> Ceremony:
        return access.get_ceremony(self.request.user, self.kwargs["pk"])

    def create(self, request: Request, *args, **kwargs) -> Response:
        access.require(request.user, access.AWARD, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        node = access.scoped_award_nodes(request.user).filter(pk=data.pop("node_id")).first()
        if node is None:
            raise serializers.ValidationError({"node": [PPO_OUTSIDE]})
        ceremony = awards.ceremony_create(actor=request.user, node=node, data=data)
        return Response(self.get_serializer(ceremony).data, status=201)


class ConferralSerializer(TranslatedTextsSerializer):
    texts = {"reason": _("Say what the award is for, in at least one language.")}
    node = serializers.IntegerField(source="node_id")
    award = serializers.PrimaryKeyRelatedField(queryset=AwardType.objects.all())
    person = serializers.IntegerField(source="person_id", required=False, allow_null=True)
    ceremony = serializers.IntegerField(source="ceremony_id", required=False, allow_null=True)

    class Meta:
        model = Conferral
        fields = [
            "id",
            "award",
            "person",
            "citizen_name",
            "citizen_details",
            "node",
            "conferred_on",
            "conferring_body",
            "reason",
            "reason_kk",
            "reason_ru",
            "reason_en",
            "ceremony",
        ]


class ConferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Awards conferred by branches in the caller's subtree."""

    serializer_class = ConferralSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Conferral]:
        access.require(self.request.user, access.AWARD, access.VIEW)
        return access.scoped_conferrals(self.request.user)

    def get_object(self) -> Conferral:
        action = access.VIEW if self.request.method in ("GET", "HEAD") else access.DELETE
        return access.get_conferral(self.request.user, self.kwargs["pk"], action)

    def create(self, request: Request, *args, **kwargs) -> Response:
        access.require(request.user, access.AWARD, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        node = access.scoped_award_nodes(request.user).filter(pk=data.pop("node_id")).first()
        if node is None:
            raise serializers.ValidationError({"node": [PPO_OUTSIDE]})
        person_id, ceremony_id = data.pop("person_id", None), data.pop("ceremony_id", None)
        data["person"] = access.get_person(request.user, person_id) if person_id else None
        data["ceremony"] = (
            access.get_ceremony(request.user, ceremony_id, access.CREATE) if ceremony_id else None
        )
        conferral = awards.conferral_create(actor=request.user, node=node, data=data)
        return Response(self.get_serializer(conferral).data, status=201)

    def perform_destroy(self, instance: Conferral) -> None:
        awards.conferral_delete(actor=self.request.user, conferral=instance)
