"""Run a member import as a job: from the web (a background task) or the command line."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tamyr.members.importing import ImportRefused, MemberImporter
from tamyr.members.models import ImportProblem, ImportStatus, MemberImport

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")
MAX_UPLOAD = 200 * 1024 * 1024


def upload_error(upload: Any) -> str | None:
    """Return why an uploaded file cannot be imported, in the reader's language, or None."""
    if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
        return _("Upload a CSV or an XLSX file.")
    if upload.size > MAX_UPLOAD:
        return _("The file is larger than 200 MB: split it.")
    return None


def import_storage() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def member_import_start(*, user: Any, upload: Any, mode: str, language: str) -> MemberImport:
    """Store an uploaded file and record the job; the caller queues it."""
    suffix = Path(upload.name).suffix.lower()
    job = MemberImport(
        user=user, file_name=Path(upload.name).name[:255], mode=mode, language=language
    )
    path = import_storage() / f"{job.uuid}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job.stored_path = str(path)
    job.save()
    return job


def member_import_run(
    job: MemberImport, progress: Callable[[int], None] | None = None
) -> MemberImport:
    """Run the job to its end and record the outcome; errors by row go to ImportProblem."""
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])

    def report_progress(percent: int) -> None:
        # A separate, tiny write so the progress bar moves while the import transaction runs.
        MemberImport.objects.filter(pk=job.pk).update(progress=percent)
        if progress:
            progress(percent)

    try:
        return _run(job, report_progress)
    finally:
        # Uploaded files hold personal data: keep them no longer than the import needs them.
        # (A file named on the command line is the operator's own and is left alone.)
        stored = Path(job.stored_path)
        if stored.parent == import_storage():
            stored.unlink(missing_ok=True)


def _run(job: MemberImport, report_progress: Callable[[int], None]) -> MemberImport:
    with translation.override(job.language):
        importer = MemberImporter(
            user=job.user,
            path=Path(job.stored_path),
            mode=job.mode,
            progress=report_progress,
            label=job.file_name,
        )
        try:
            report = importer.run()
        except ImportRefused as exc:
            job.status, job.notice = ImportStatus.FAILED, str(exc)[:500]
            job.finished_at = timezone.now()
            job.save()
            return job
    with transaction.atomic():
        ImportProblem.objects.bulk_create(
            [
                ImportProblem(
                    member_import=job, row=p.row, column=p.column[:100], message=p.message[:500]
                )
                for p in report.problems
            ],
            batch_size=5000,
        )
        job.rows, job.created, job.updated = report.rows, report.created, report.updated
        job.unchanged, job.rejected = report.unchanged, report.rejected
        job.problem_count, job.notice = report.problem_count, report.notice
        job.status = ImportStatus.DONE if report.written else ImportStatus.REFUSED
        job.progress = 100
        job.finished_at = timezone.now()
        job.save()
    return job
