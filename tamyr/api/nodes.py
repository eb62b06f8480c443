from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.api.errors import REQUIRED
from tamyr.members.composition import composition
from tamyr.members.forms import CompositionForm
from tamyr.orgs import access, selectors, services
from tamyr.orgs.models import Node


class NodeSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(write_only=True, required=False)
    parent_id = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True)
    host_name = serializers.CharField(read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Node
        fields = [
            "id",
            "parent",
            "parent_id",
            "wing",
            "kind",
            "code",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "host_kind",
            "host_name",
            "host_name_kk",
            "host_name_ru",
            "host_name_en",
            "address",
            "size_category",
            "active_member_count",
            "opened_on",
            "closed_on",
            "depth",
            "version",
        ]
        read_only_fields = ["wing", "size_category", "active_member_count", "closed_on", "depth"]
        extra_kwargs = {"code": {"validators": []}}

    def get_parent_id(self, node: Node) -> int | None:
        """Return the parent's id when the caller may see the parent, else nothing."""
        if node.depth == 1:
            return None
        return self.context.get("visible_parents", {}).get(node.path[: -Node.steplen])


def _keyed(rows) -> dict[str, int]:
    """Key figures by their stable code, not the translated label."""
    return {code: n for code, _label, n in rows}


class NodeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Nodes of the branch tree in the caller's subtree."""

    serializer_class = NodeSerializer
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Node]:
        access.require(self.request.user, access.NODE, access.VIEW)
        params = self.request.query_params
        nodes = selectors.node_list(
            user=self.request.user,
            query=params.get("q", ""),
            kind=params.get("kind", ""),
            include_closed=params.get("include_closed") == "1",
        )
        if params.get("parent"):
            parent = access.get_node(self.request.user, params["parent"])
            nodes = nodes.filter(path__startswith=parent.path, depth=parent.depth + 1)
        return nodes

    def get_serializer(self, *args, **kwargs):
        # One query for the page's parents, limited to the nodes the caller may see.
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            rows = instance if isinstance(instance, list | tuple | QuerySet) else [instance]
            paths = {n.path[: -Node.steplen] for n in rows if n.depth > 1}
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["visible_parents"] = dict(
                access.scoped_nodes(self.request.user)
                .filter(path__in=paths)
                .values_list("path", "pk")
            )
        return super().get_serializer(*args, **kwargs)

    def get_object(self) -> Node:
        action = access.VIEW if self.request.method in ("GET", "HEAD") else access.UPDATE
        return access.get_node(self.request.user, self.kwargs["pk"], action)

    @action(detail=True, methods=["get"])
    def composition(self, request: Request, pk=None) -> Response:
        """The membership under the node on a date (?on=) and its movement over a period
        (?start=, ?end=; by default this year)."""
        node = self.get_object()
        form = CompositionForm(request.query_params)
        if request.query_params and not form.is_valid():
            raise serializers.ValidationError(form.errors)
        on, start, end = form.period()
        c = composition(node=node, on=on, start=start, end=end)
        return Response(
            {
                "node": node.pk,
                "on": on,
                "start": start,
                "end": end,
                "members": c.members,
                "suspended": c.suspended,
                "women": c.women,
                "women_share": c.women_share,
                "youth": c.youth,
                "youth_share": c.youth_share,
                "admitted": c.admitted,
                "readmitted": c.readmitted,
                "left": c.left,
                "transferred_in": c.transferred_in,
                "transferred_out": c.transferred_out,
                "by_age": _keyed(c.by_age),
                "by_sector": _keyed(c.by_sector),
                "by_education": _keyed(c.by_education),
                "ppos_by_size": _keyed(c.ppos_by_size),
            }
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        # The parent is looked up first, so a parent outside the subtree is a 404 as on the web.
        parent_pk = request.data.get("parent")
        if parent_pk in (None, ""):
            access.require(request.user, access.NODE, access.CREATE)
            raise serializers.ValidationError({"parent": [REQUIRED]})
        parent = access.get_node(request.user, parent_pk, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("parent", None)
        node = services.node_create(actor=request.user, parent=parent, data=data)
        return Response(self.get_serializer(node).data, status=201)

    def update(self, request: Request, *args, **kwargs) -> Response:
        node = self.get_object()
        serializer = self.get_serializer(node, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("parent", None)
        version = data.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": [REQUIRED]})
        node = services.node_update(actor=request.user, node=node, data=data, version=version)
        return Response(self.get_serializer(node).data)
