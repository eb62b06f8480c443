import pytest

from tests.cast import build_cast


@pytest.fixture(autouse=True, scope="session")
def _tasks_inline():
    """Run tasks inline unless a test starts a real worker itself."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the fixed cast once; each test runs in a transaction that is rolled back."""
    with django_db_blocker.unblock():
        build_cast()


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
