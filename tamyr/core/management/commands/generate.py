import sys
import time

from django.core.management.base import BaseCommand, CommandError

from tamyr.core.generator.nation import SCALES, NationGenerator


class Command(BaseCommand):
    help = (
        "Generate a realistic party organisation into an empty database: 'demo' (a few "
        "hundred people), 'region' (West Kazakhstan) or 'national' (about a million)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=2014)

    def handle(self, *args, scale: str, seed: int, **options):
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            if sys.stderr.isatty():
                width = 30
                filled = width * done // total
                sys.stderr.write(
                    f"\r{stage} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
                )
                sys.stderr.flush()

        try:
            totals = NationGenerator(scale=scale, seed=seed, progress=progress).generate()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Generated the {scale} scale (seed {seed}) in {elapsed:.1f} s: {totals.nodes} "
            f"nodes, {totals.ppos} PPOs, {totals.people} people ({totals.current} current "
            f"members, {totals.active} active), {totals.memberships} registrations, "
            f"{totals.cards} cards, {totals.events} events, {totals.cases} discipline cases, "
            f"{totals.conferrals} awards, {totals.deputies} deputies, "
            f"{totals.applications} applications."
        )
