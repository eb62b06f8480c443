"""Run the suite, and the processes it starts, with the clock moved: TAMYR_TEST_SHIFT_DAYS=365.

A test that passes today and fails next month is a test that depends on the day it runs. Setting
the variable moves every clock (datetime, date, time.time) by that many days for the whole session,
still ticking, so CI can run the suite "a year from now". Tests that freeze the clock themselves
still win: time-machine nests, and the innermost travel decides.

`tests/conftest.py` starts the travel for the pytest process, before the fixed cast is built; test
modules are imported earlier, so a date read at import (a module-level TODAY) is the real day:
read it in the test instead (the `today` fixture). A test that starts another Python process runs
it through this file (`python_command`), which starts the same travel before handing over to the
real script or module, so a worker or server sees the same day as the test. Database functions
(`Now()`, `CURRENT_DATE`) are not moved: Tamyr uses none.
"""

import os
import runpy
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

SHIFT_VARIABLE = "TAMYR_TEST_SHIFT_DAYS"

# A working Tuesday morning in Astana: the moment a module whose data carries fixed dates (births,
# admissions, ceremonies, terms) freezes the clock at, with
# `pytestmark = pytest.mark.time_machine(A_WORKING_MORNING, tick=False)`, so that those dates
# keep their distance from "today" on every day the suite runs.
A_WORKING_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def shift() -> timedelta:
    """Return the shift asked for in the environment (zero when unset); days may be fractional."""
    value = os.environ.get(SHIFT_VARIABLE, "").strip()
    if not value:
        return timedelta(0)
    try:
        return timedelta(days=float(value))
    except (ValueError, OverflowError):
        raise SystemExit(
            f"{SHIFT_VARIABLE}={value!r}: write a number of days, such as 365 or -30"
        ) from None


def travel() -> time_machine.travel | None:
    """Return a ticking travel by the shift asked for, or None when the clock stays real."""
    delta = shift()
    if not delta:
        return None
    # A timedelta destination keeps the process's time zone (Django sets TZ to TIME_ZONE); a
    # datetime destination would make time-machine switch TZ to the datetime's zone.
    return time_machine.travel(delta, tick=True)


def python_command(*args: str | Path) -> list[str]:
    """Return the command that runs Python with these arguments in a new process, under the
    session's shift: `python_command(PROJECT / "manage.py", "run_huey")` or
    `python_command("-m", "gunicorn", "tamyr.wsgi")`."""
    return [sys.executable, str(Path(__file__).resolve()), *map(str, args)]


def _run_shifted(argv: list[str]) -> None:
    if argv[:1] == ["-m"] and len(argv) > 1:
        module, args = argv[1], argv[2:]
        # As `python -m` sets things up: the current folder first on the path.
        sys.path[0] = os.getcwd()
        sys.argv = [module, *args]
    elif argv and not argv[0].startswith("-"):
        module, script = None, str(Path(argv[0]).resolve())
        # As if the script had been started directly: its own folder first on the path.
        sys.path[0] = str(Path(script).parent)
        sys.argv = [script, *argv[1:]]
    else:
        raise SystemExit("usage: python tests/clock.py SCRIPT [ARGS...] | -m MODULE [ARGS...]")
    moved = travel()
    if moved is not None:
        moved.start()
    if module is None:
        runpy.run_path(script, run_name="__main__")
    else:
        runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _run_shifted(sys.argv[1:])
