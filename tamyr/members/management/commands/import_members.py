import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

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
        with translation.override(language):
            self._import(file, user, mode, language, show)

    def _import(self, file: Path, user: str, mode: str, language: str, show: int) -> None:
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(_("No active user %(user)s.") % {"user": user})
        if not access.may(account, access.MEMBER, access.CREATE):
            raise CommandError(_("%(user)s may not register members anywhere.") % {"user": user})
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
        self.stdout.write(
            _(
                "%(status)s: %(rows)s rows, %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(rejected)s with errors."
            )
            % {
                "status": job.get_status_display(),
                "rows": job.rows,
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
                "rejected": job.rejected,
            }
        )
        if job.notice:
            self.stdout.write(job.notice)
        for problem in job.problems.all()[:show]:
            self.stdout.write(
                "  "
                + _("row %(row)s, %(column)s: %(message)s")
                % {"row": problem.row, "column": problem.column, "message": problem.message}
            )
        if job.problem_count > show:
            self.stdout.write("  " + _("… %(count)s more") % {"count": job.problem_count - show})
        if job.status == ImportStatus.FAILED:
            raise CommandError(job.notice, returncode=1)
        if job.status != ImportStatus.DONE or job.problem_count:
            raise CommandError(
                _("%(count)s error(s); see above.") % {"count": job.problem_count}, returncode=1
            )
