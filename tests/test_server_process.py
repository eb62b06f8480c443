"""A role removed in the Django admin stops at once in a real server, as production runs it.

The test starts gunicorn (two workers, DEBUG off, grants cached in a shared Redis) on the test
database, and talks to it over HTTP as a secretary and as a superuser would. Nothing here runs
inside the server's processes: what reaches the next request is what a user would see.
"""

import html
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection

from tamyr.members.models import Person
from tamyr.orgs.models import Node, StaffRole
from tests.cast import PASSWORD, build_cast
from tests.clock import python_command

PROJECT = Path(__file__).resolve().parent.parent
# A Redis database of this test's own, flushed at the start (the queue test uses 15).
REDIS_URL = os.environ.get("TEST_SERVER_REDIS_URL", "redis://127.0.0.1:6379/14")
START_SECONDS = 60
# Through tests/clock.py, so the server runs on the session's (possibly moved) day.
GUNICORN = python_command("-m", "gunicorn", "tamyr.wsgi", "--workers", "2", "--timeout", "60")

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """Return a URL for the test database, which the server's processes open themselves."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One person's session against the server: cookies kept, redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 (http only)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, path: str) -> str:
        status, page = self.get(path)
        assert status == 200, f"GET {path}: {status}"
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, f"no CSRF token on {path}"
        return html.unescape(found.group(1))

    def log_in(self, username: str) -> None:
        token = self.csrf_token("/login/")
        status, _ = self.post(
            "/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        assert status == 200
        assert any(c.name == "sessionid" for c in self.cookies), f"{username} was not logged in"


@pytest.fixture
def server(transactional_db, tmp_path):
    """Start gunicorn on the test database and a flushed Redis; stop it after the test."""
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as error:
        pytest.fail(f"no Redis at {REDIS_URL} ({error}): run scripts/system-deps")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "TAMYR_VAR_DIR": str(tmp_path),
        "TAMYR_TASKS_IMMEDIATE": "1",
    }
    env.pop("TAMYR_MODE", None)
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(base):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-3000:]
                )
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        # Shown with the test's output when it fails.
        print((tmp_path / "gunicorn.log").read_text()[-5000:])


def _answers(base: str) -> bool:
    try:
        return Browser(base).get("/login/")[0] == 200
    except urllib.error.URLError:  # not listening yet
        return False


def test_a_role_ended_or_deleted_in_the_admin_stops_on_the_next_request(server):
    if not Node.objects.filter(code="HQ").exists():  # flushed by an earlier transactional test
        build_cast()
    users = {u.username: u for u in get_user_model().objects.all()}
    ended, deleted = users["district_secretary"], users["district_b_secretary"]
    ended_role, deleted_role = ended.staff_roles.get(), deleted.staff_roles.get()
    members = Person.objects.exclude(status="")
    ended_page = f"/members/{members.get(ppo__code='P1').pk}/"
    deleted_page = f"/members/{members.get(ppo__code='P2').pk}/"

    secretary, other_secretary = Browser(server), Browser(server)
    secretary.log_in(ended.username)
    other_secretary.log_in(deleted.username)
    # Seen twice each: the second answer comes from the grants cached in Redis.
    for _ in range(2):
        assert secretary.get(ended_page)[0] == 200
        assert other_secretary.get(deleted_page)[0] == 200

    superuser = Browser(server)
    superuser.log_in("root")
    change = f"/admin/orgs/staffrole/{ended_role.pk}/change/"
    yesterday = date.today() - timedelta(days=1)
    status, _ = superuser.post(
        change,
        {
            "csrfmiddlewaretoken": superuser.csrf_token(change),
            "user": str(ended.pk),
            "role": ended_role.role,
            "node": str(ended_role.node_id),
            "valid_from": (yesterday - timedelta(days=30)).isoformat(),
            "valid_to": yesterday.isoformat(),
            "_save": "1",
        },
    )
    assert status == 200
    assert StaffRole.objects.get(pk=ended_role.pk).valid_to == yesterday

    delete = f"/admin/orgs/staffrole/{deleted_role.pk}/delete/"
    status, _ = superuser.post(
        delete, {"csrfmiddlewaretoken": superuser.csrf_token(delete), "post": "yes"}
    )
    assert status == 200
    assert not StaffRole.objects.filter(pk=deleted_role.pk).exists()

    status, page = secretary.get(ended_page)
    assert status == 404
    assert "URLconf" not in page  # the project's own page, not Django's debug page
    assert other_secretary.get(deleted_page)[0] == 404
