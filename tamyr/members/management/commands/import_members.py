import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tamyr.members.import_jobs import member_import_run
from tamyr.members.models import ImportMode, ImportStatus, MemberImport
from tamyr.orgs import access


class Command(BaseCommand):
    help = (
        "Import members from a CSV or XLSX file, as a user (whose subtree limits the PPOs "
        "the file may name). Nothing is written if any row has an error, unless --mode "
        "good."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="the importing user's username")
        parser.add_argument("--mode", choices=[m.value for m in ImportMode], default="all")
        parser.add_argument("--language", choices=["kk", "ru", "en"], default="kk")
        parser.add_argument("--show", type=int, default=50, help="errors to print")

    def handle(self, *args, file: Path, user: str, mode: str, language: str, show: int, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"No active user {user!r}.")
        if not access.may(account, access.MEMBER, access.CREATE):
            raise CommandError(f"{user} may not register members anywhere.")
        job = MemberImport.objects.create(
            user=account,
            file_name=file.name,
            stored_path=str(file.resolve()),
            mode=mode,
            language=language,
        )

        def bar(percent: int) -> None:
            width = 40
            filled = width * percent // 100
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}%")
            sys.stderr.flush()

        job = member_import_run(job, progress=bar)
        sys.stderr.write("\n")
        with translation.override(language):
            self.stdout.write(
                f"{job.get_status_display()}: {job.rows} rows, {job.created} created, "
                f"{job.updated} updated, {job.unchanged} unchanged, {job.rejected} with errors."
            )
            if job.notice:
                self.stdout.write(job.notice)
            for problem in job.problems.all()[:show]:
                self.stdout.write(f"  row {problem.row}, {problem.column}: {problem.message}")
            if job.problem_count > show:
                self.stdout.write(f"  … {job.problem_count - show} more")
        if job.status == ImportStatus.FAILED:
            raise CommandError(job.notice, returncode=1)
        if job.status != ImportStatus.DONE or job.problem_count:
            raise CommandError(f"{job.problem_count} error(s); see above.", returncode=1)
