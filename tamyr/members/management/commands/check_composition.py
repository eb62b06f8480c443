import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tamyr.members.composition import composition, default_period
from tamyr.members.composition_check import mismatches
from tamyr.orgs.models import Node


class Command(BaseCommand):
    help = (
        "Compare the composition figures of nodes with direct row-by-row counts; "
        "exit non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--node",
            action="append",
            default=None,
            help="node code (repeatable); default: HQ and every region",
        )
        parser.add_argument("--on", type=date.fromisoformat, default=None)
        parser.add_argument("--start", type=date.fromisoformat, default=None)
        parser.add_argument("--end", type=date.fromisoformat, default=None)

    def handle(self, *args, node, on, start, end, **options):
        on = on or date.today()
        default_start, default_end = default_period(on)
        start, end = start or default_start, end or default_end
        codes = node or [
            "HQ",
            *Node.objects.filter(depth=2, wing="party")
            .order_by("path")
            .values_list("code", flat=True),
        ]
        failed = 0
        for code in codes:
            target = Node.objects.filter(code=code).first()
            if target is None:
                raise CommandError(f"No node with the code {code}.")
            started = time.monotonic()
            result = composition(node=target, on=on, start=start, end=end)
            took = time.monotonic() - started
            wrong = mismatches(result)
            failed += bool(wrong)
            verdict = "OK" if not wrong else "DIFFERS: " + "; ".join(wrong)
            self.stdout.write(
                f"{code}: {result.members} members on {on}, "
                f"{result.admitted} admitted {start}..{end} "
                f"(computed in {took:.2f} s): {verdict}"
            )
        if failed:
            raise CommandError(f"{failed} node(s) differ from the direct count.")
