import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("all rows or none")
    KEEP_GOOD = "good", _("keep the good rows")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused: errors found, nothing imported")
    FAILED = "failed", _("failed")


class MemberImport(models.Model):
    """One upload of a member file and what became of it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(max_length=500)
    mode = models.CharField(
        _("mode"), max_length=8, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    # Messages are written in the language of the person who uploaded the file.
    language = models.CharField(max_length=8, default="kk")
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rows with errors"), default=0)
    problem_count = models.PositiveIntegerField(default=0)
    notice = models.CharField(max_length=500, blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class ImportProblem(models.Model):
    """One error found in an imported file: where it is and what is wrong, in words."""

    member_import = models.ForeignKey(
        MemberImport, on_delete=models.CASCADE, related_name="problems"
    )
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=100, blank=True, default="")
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"{self.row}: {self.message}"
