"""The suite can run with the clock moved (TAMYR_TEST_SHIFT_DAYS), and so can its processes.

CI runs the whole suite once more a year ahead (.ci/run); these tests prove that the run really
is a year ahead, in this process, in the fixed cast and in the processes the tests start.
"""

import os
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tamyr.appeals.models import Appeal
from tests.clock import A_WORKING_MORNING, SHIFT_VARIABLE, python_command, shift

PROJECT = Path(__file__).resolve().parent.parent
ALMATY = ZoneInfo("Asia/Almaty")


def real_now() -> datetime:
    """Return the time outside any travel (time-machine's escape hatch, valid while travelling)."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.datetime.datetime.now(ALMATY)
    return datetime.now(ALMATY)


def asked_shift() -> timedelta:
    """Return the shift this run was started with, read straight from the environment."""
    return timedelta(days=float(os.environ.get(SHIFT_VARIABLE) or 0))


def now_in_a_new_process(env: dict[str, str]) -> datetime:
    """Return what Django's clock says in a manage.py process started as the tests start them."""
    command = "from django.utils import timezone; print(timezone.now().isoformat())"
    shown = subprocess.run(
        python_command(PROJECT / "manage.py", "shell", "--no-imports", "-c", command),
        env=env,
        cwd=PROJECT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return datetime.fromisoformat(shown.strip())


def test_the_session_runs_on_the_real_day_plus_the_shift():
    expected = real_now() + asked_shift()
    assert abs(timezone.now() - expected) < timedelta(minutes=1)
    assert timezone.localdate() in {
        (expected - timedelta(minutes=1)).date(),
        (expected + timedelta(minutes=1)).date(),
    }
    assert time_machine.escape_hatch.is_travelling() == bool(asked_shift())


def test_the_shifted_clock_still_ticks():
    before = timezone.now()
    real_now()  # at least one call between the two readings
    assert timezone.now() > before


def test_the_cast_is_built_on_the_shifted_day(cast):
    received = Appeal.objects.filter(node=cast["nodes"]["P1"]).get().received_at
    # Built at the start of this session: within a day of now, whatever the shift.
    assert abs(received - (real_now() + asked_shift())) < timedelta(days=1)
    assert received <= timezone.now()


def test_a_test_that_freezes_the_clock_wins_over_the_shift():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY), tick=False):
        assert timezone.localdate() == date(2026, 3, 2)
        assert timezone.now() == datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)
    # Back on the session's clock afterwards.
    assert abs(timezone.now() - (real_now() + asked_shift())) < timedelta(minutes=1)


def test_today_holds_one_day_for_the_whole_test(today):
    assert today == timezone.localdate() == date.today()
    assert abs(timezone.now() - (real_now() + asked_shift())) < timedelta(minutes=1)
    first = timezone.now()
    real_now()
    assert timezone.now() == first


def test_a_process_started_through_the_clock_runs_on_the_shift_it_is_given():
    env = {**os.environ, SHIFT_VARIABLE: "400"}
    expected = real_now() + timedelta(days=400)
    assert abs(now_in_a_new_process(env) - expected) < timedelta(minutes=1)


def test_a_process_started_through_the_clock_without_a_shift_runs_on_the_real_day():
    env = {key: value for key, value in os.environ.items() if key != SHIFT_VARIABLE}
    assert abs(now_in_a_new_process(env) - real_now()) < timedelta(minutes=1)


def test_a_shift_that_is_not_a_number_stops_the_run(monkeypatch):
    monkeypatch.setenv(SHIFT_VARIABLE, "a year")
    with pytest.raises(SystemExit, match="write a number of days"):
        shift()


@pytest.mark.time_machine(A_WORKING_MORNING, tick=False)
def test_a_module_frozen_by_the_marker_is_on_its_day_whatever_the_shift(today):
    # Even as the session's first test, the shift starts before the freeze, which wins.
    assert timezone.localdate() == today == A_WORKING_MORNING.date()
