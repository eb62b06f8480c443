"""Background work runs in a real worker process, on the embedded queue and on Redis."""

import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tamyr.orgs.models import Node
from tamyr.orgs.services import ppo_refresh_all_sizes
from tamyr.orgs.tasks import refresh_ppo_sizes
from tests.clock import python_command

PROJECT = Path(__file__).resolve().parent.parent


def test_the_recount_repairs_drifted_counts(cast):
    Node.objects.filter(code="P1").update(active_member_count=700, size_category="large")
    assert ppo_refresh_all_sizes() == 1
    p1 = Node.objects.get(code="P1")
    assert (p1.active_member_count, p1.size_category) == (1, "small")
    assert ppo_refresh_all_sizes() == 0


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.parametrize("queue", ["embedded", "redis"])
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_the_recount(queue, tmp_path):
    from huey import RedisHuey, SqliteHuey

    from tests.cast import build_cast

    if not Node.objects.filter(code="HQ").exists():  # flushed by an earlier transactional test
        build_cast()
    Node.objects.filter(code="P3").update(active_member_count=999, size_category="large")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TAMYR_VAR_DIR": str(tmp_path),
        "TAMYR_TASKS_IMMEDIATE": "0",
    }
    if queue == "redis":
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        env["REDIS_URL"] = url
        huey = RedisHuey("tamyr", url=url)
        huey.flush()
    else:
        env.pop("REDIS_URL", None)
        huey = SqliteHuey("tamyr", filename=str(tmp_path / "tasks.sqlite3"))
    # Enqueue from this process into the queue the worker reads, as the web server would.
    task = huey.task(name=refresh_ppo_sizes.name)(refresh_ppo_sizes.func)
    worker = subprocess.Popen(
        # Through tests/clock.py, so the worker runs on the session's (possibly moved) day.
        python_command(PROJECT / "manage.py", "run_huey", "--workers", "1", "--quiet"),
        env=env,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        result = task()
        assert result.get(blocking=True, timeout=60) == 1
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    p3 = Node.objects.get(code="P3")
    assert (p3.active_member_count, p3.size_category) == (1, "small")
    assert settings.HUEY["name"] == "tamyr"
