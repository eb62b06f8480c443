from django.utils.translation import get_language
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tamyr.members.import_jobs import member_import_start, upload_error
from tamyr.members.models import ImportMode, ImportProblem, MemberImport
from tamyr.members.tasks import run_member_import
from tamyr.orgs import access


class ProblemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportProblem
        fields = ["row", "column", "message"]


class ImportSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)
    problems = serializers.SerializerMethodField()

    class Meta:
        model = MemberImport
        fields = [
            "uuid",
            "file",
            "file_name",
            "mode",
            "status",
            "progress",
            "rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "problem_count",
            "notice",
            "problems",
        ]
        read_only_fields = [
            "uuid",
            "file_name",
            "status",
            "progress",
            "rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "problem_count",
            "notice",
        ]

    def get_problems(self, job: MemberImport) -> list[dict]:
        # The first thousand; the web page pages through them all.
        return ProblemSerializer(job.problems.all()[:1000], many=True).data

    def validate_file(self, upload):
        error = upload_error(upload)
        if error:
            raise serializers.ValidationError(error)
        return upload


class MemberImportViewSet(viewsets.GenericViewSet):
    """Upload a member file to import in the background, then follow it by its uuid."""

    serializer_class = ImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    lookup_field = "uuid"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        access.require(self.request.user, access.MEMBER, access.CREATE)
        # An import belongs to whoever uploaded it.
        return MemberImport.objects.filter(user=self.request.user)

    def create(self, request: Request) -> Response:
        access.require(request.user, access.MEMBER, access.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = member_import_start(
            user=request.user,
            upload=serializer.validated_data["file"],
            mode=serializer.validated_data.get("mode", ImportMode.ALL_OR_NOTHING),
            language=get_language() or "kk",
        )
        run_member_import(job.pk)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    def retrieve(self, request: Request, uuid=None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)
