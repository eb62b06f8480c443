"""Grants and staff menus are cached across requests; every change they are read from must
reach the next request at once, in every process."""

import gc
import re
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import inspect as django_inspect

from tamyr.orgs import access
from tamyr.orgs.models import StaffRole
from tamyr.orgs.services import node_close, node_move, staff_role_end, staff_role_grant


def next_request(user):
    """The user as the next request loads them: a fresh object, nothing remembered on it."""
    return get_user_model().objects.get(pk=user.pk)


def executor_choices(client) -> list[str]:
    """Return the option values of the appeal list's executor filter, as the page shows them."""
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 200
    select = re.search(r'<select name="executor"[^>]*>(.*?)</select>', response.text, re.S)
    assert select, "the appeal list has no executor filter"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_the_receivers_outlive_garbage_collection(cast):
    """A receiver held only by the signal's weak reference dies in a server at once; with DEBUG
    on Django's argument check keeps it in a cache, which must not be what keeps it alive."""
    django_inspect._get_func_parameters.cache_clear()
    gc.collect()
    user = cast["users"]["district_secretary"]
    for change in (
        lambda: StaffRole.objects.filter(user=user).first().save(),
        lambda: cast["nodes"]["P3"].save(),
        lambda: user.save(),
        lambda: StaffRole.objects.filter(user=user).first().delete(),
    ):
        cache.set(access.ACCESS_VERSION_KEY, "before")
        change()
        assert cache.get(access.ACCESS_VERSION_KEY) != "before"


def test_a_granted_or_ended_appeal_role_reaches_the_executor_filter_at_once(client, cast):
    operator, newcomer = cast["users"]["reception_operator"], cast["users"]["nobody"]
    client.force_login(operator)
    before = executor_choices(client)
    assert str(operator.pk) in before and str(newcomer.pk) not in before
    role = staff_role_grant(
        actor=None,
        user=newcomer,
        role="secretary",
        node=cast["nodes"]["P1"],
        valid_from=date.today() - timedelta(days=30),
    )
    assert set(executor_choices(client)) == {*before, str(newcomer.pk)}
    chosen = client.get(reverse("appeals:list"), {"executor": newcomer.pk})
    assert re.search(rf'<option value="{newcomer.pk}"[^>]* selected', chosen.text)
    staff_role_end(actor=None, staff_role=role, on=date.today() - timedelta(days=1))
    assert set(executor_choices(client)) == set(before)


def test_the_next_request_reads_grants_from_the_cache(cast):
    user = cast["users"]["district_secretary"]
    first_request = next_request(user)
    with CaptureQueriesContext(connection) as first:
        grants = access.active_grants(first_request)
    fresh = next_request(user)
    with CaptureQueriesContext(connection) as second:
        assert access.active_grants(fresh) == grants
    assert len(first) == 1 and len(second) == 0


def test_an_ended_role_stops_on_the_next_request(client, cast):
    user = cast["users"]["district_secretary"]
    role = user.staff_roles.get()
    role.valid_from = date.today() - timedelta(days=30)
    role.save()
    client.force_login(user)
    assert client.get(reverse("appeals:list")).status_code == 200
    staff_role_end(actor=None, staff_role=role, on=date.today() - timedelta(days=1))
    assert client.get(reverse("appeals:list")).status_code == 403


def test_a_new_role_starts_on_the_next_request(client, cast):
    user = cast["users"]["nobody"]
    client.force_login(user)
    assert client.get(reverse("appeals:list")).status_code == 403
    staff_role_grant(actor=None, user=user, role="reception_operator", node=cast["nodes"]["D1"])
    assert client.get(reverse("appeals:list")).status_code == 200


def test_moving_the_users_own_branch_moves_their_cached_scope(cast):
    """The move rewrites paths in SQL, past any signal: the cached grant must not keep the old
    path, or the secretary would lose their own members."""
    secretary, member = cast["users"]["district_secretary"], cast["members"]["P1"]
    assert access.scoped_people(next_request(secretary)).filter(pk=member.pk).exists()
    node_move(actor=None, node=cast["nodes"]["D1"], new_parent=cast["nodes"]["R2"])
    assert access.scoped_people(next_request(secretary)).filter(pk=member.pk).exists()
    regional = cast["users"]["regional_secretary"]
    assert not access.scoped_people(next_request(regional)).filter(pk=member.pk).exists()


def test_a_closed_branch_grants_nothing_on_the_next_request(cast):
    from tamyr.members.models import Membership

    ppo = cast["nodes"]["P2"]
    user = cast["users"]["nobody"]
    staff_role_grant(actor=None, user=user, role="secretary", node=ppo)
    assert access.active_grants(next_request(user))
    Membership.objects.filter(ppo=ppo).delete()
    ppo.applications.all().delete()
    node_close(actor=None, node=ppo)
    assert access.active_grants(next_request(user)) == []


def test_the_executor_menu_follows_accounts_and_roles(cast):
    operator, secretary = cast["users"]["reception_operator"], cast["users"]["district_secretary"]
    menu = dict(access.appeal_staff_menu(next_request(operator)))
    assert secretary.pk in menu and operator.pk in menu
    secretary.is_active = False
    secretary.save()
    assert secretary.pk not in dict(access.appeal_staff_menu(next_request(operator)))
    secretary.is_active, secretary.last_name = True, "Жаңаберген"
    secretary.save()
    assert "Жаңаберген" in dict(access.appeal_staff_menu(next_request(operator)))[secretary.pk]


def test_a_login_does_not_throw_the_cache_away(cast, rf):
    user = cast["users"]["district_secretary"]
    access.active_grants(next_request(user))
    version = cache.get(access.ACCESS_VERSION_KEY)
    request = rf.get("/")
    request.session = {}
    user_logged_in.send(sender=type(user), request=request, user=user)  # stamps last_login
    assert cache.get(access.ACCESS_VERSION_KEY) == version


def test_a_change_is_announced_again_when_its_transaction_commits(
    cast, django_capture_on_commit_callbacks
):
    """Until the commit, another request may read the old rows and cache them under the
    version drawn at the change: the commit draws another."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        access.access_changed()
        during = cache.get(access.ACCESS_VERSION_KEY)
    assert len(callbacks) == 1
    assert cache.get(access.ACCESS_VERSION_KEY) not in (None, during)


def test_an_evicted_version_is_never_drawn_again(cast):
    """A cache that evicts the version must not bring an old version, and its entries, back."""
    user = cast["users"]["district_secretary"]
    access.active_grants(next_request(user))
    old = cache.get(access.ACCESS_VERSION_KEY)
    cache.delete(access.ACCESS_VERSION_KEY)
    fresh = next_request(user)
    with CaptureQueriesContext(connection) as reread:
        access.active_grants(fresh)
    assert cache.get(access.ACCESS_VERSION_KEY) != old
    assert len(reread) == 1
