"""The `tamyr` console command: Django's manage.py, with commands also spelled with hyphens."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tamyr.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        # `tamyr import-members` and `tamyr import_members` name the same command.
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0
