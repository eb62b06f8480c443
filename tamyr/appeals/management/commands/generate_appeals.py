import sys
import time

from django.core.management.base import BaseCommand, CommandError

from tamyr.core.generator.appeals import AppealGenerator
from tamyr.orgs.models import Node


class Command(BaseCommand):
    help = (
        "Generate three years of appeals, officials and receptions over the branch tree "
        "already in the database (run `tamyr generate` first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--per-year", type=int, default=2000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2014)

    def handle(self, *args, per_year: int, years: int, seed: int, **options):
        if not Node.objects.filter(kind="district").exists():
            raise CommandError("There is no branch tree: run `tamyr generate` first.")
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{stage}: {done}/{total}")
                sys.stderr.flush()

        totals = AppealGenerator(
            per_year=per_year, years=years, seed=seed, progress=progress
        ).generate()
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(
            f"Generated {totals.appeals} appeals ({totals.steps} steps), {totals.officials} "
            f"officials, {totals.receptions} receptions and {totals.staff} staff accounts in "
            f"{time.monotonic() - started:.1f} s."
        )
