import time

import pytest
import time_machine
from django.utils import timezone

from tests import clock
from tests.cast import build_cast


@pytest.fixture(autouse=True, scope="session")
def _shifted_clock():
    """Move the clock by TAMYR_TEST_SHIFT_DAYS for the whole session (see tests/clock.py)."""
    moved = clock.travel()
    if moved is None:
        yield
        return
    with moved:
        yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Start the session's shift before a `time_machine` marker's freeze, whatever test comes
    first: time-machine's plugin puts its fixture first, and a shift started after the freeze
    would move the frozen moment too."""
    for item in items:
        if item.get_closest_marker("time_machine"):
            item.fixturenames.insert(0, "_shifted_clock")


@pytest.fixture(autouse=True, scope="session")
def _tasks_inline():
    """Run tasks inline unless a test starts a real worker itself."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(scope="session")
def django_db_setup(_shifted_clock, django_db_setup, django_db_blocker):
    """Build the fixed cast once, on the (possibly moved) day; each test is rolled back."""
    with django_db_blocker.unblock():
        build_cast()


@pytest.fixture
def today():
    """Return today's date, holding the clock still for the test, so that "today" in the test
    and in the code under test is one day even if midnight passes while it runs."""
    # A timestamp, not a datetime: time-machine would switch TZ to a datetime's own zone.
    with time_machine.travel(time.time(), tick=False):
        yield timezone.localdate()


@pytest.fixture
def cast(db):
    from django.contrib.auth import get_user_model

    from tamyr.members.models import Person
    from tamyr.orgs.models import Node

    nodes = {n.code: n for n in Node.objects.all()}
    members = {p.ppo.code: p for p in Person.objects.exclude(status="").select_related("ppo")}
    users = {u.username: u for u in get_user_model().objects.all()}
    return {"nodes": nodes, "members": members, "users": users}


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # Messages are asserted in English unless a test asks for another language.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits count in the cache; one test's attempts must not block the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
