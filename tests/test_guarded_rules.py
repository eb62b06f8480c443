"""Rules that the rest of the suite let go unnoticed when they were removed from the code.

Each test here fails when its rule is taken out: the API's refusal to transfer a member into a
PPO outside the caller's subtree or to schedule a reception with an official from outside it;
the moved-day recompute of reopened appeals; reminders that skip deactivated staff; the youth
wing kept apart from the party on transfers; and "resolved positively" counting exactly the two
positive outcomes. Who may move an appeal, and who sees receptions and officials, are walked in
tests/test_access_matrix.py.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tamyr.appeals import services
from tamyr.appeals.models import Appeal, Official, Reception, ReceptionFormat, Topic
from tamyr.appeals.reminders import send_term_reminders
from tamyr.core.models import AuditEvent
from tamyr.members.lifecycle import member_transfer
from tamyr.members.models import Membership, MembershipEvent, Person
from tamyr.orgs.models import Node, Role
from tamyr.orgs.services import staff_role_grant

ALMATY = ZoneInfo("Asia/Almaty")
PPO_OUTSIDE = "This primary organisation is not in your subtree or is closed."
NODE_OUTSIDE = "This branch is not in your subtree or is closed."
NOT_A_PPO = "Choose an open primary organisation."


def registry_state(person: Person) -> tuple:
    """Return what a transfer would change: the person's registration, their registrations and
    timeline, every PPO's recorded size, and the audit log's length."""
    person = Person.objects.get(pk=person.pk)
    return (
        person.ppo_id,
        person.status,
        person.version,
        list(Membership.objects.filter(person=person).values_list("ppo_id", "ended_on", "status")),
        MembershipEvent.objects.filter(person=person).count(),
        sorted(Node.objects.filter(kind="primary").values_list("code", "active_member_count")),
        AuditEvent.objects.count(),
    )


def transfer_api(client, person: Person, to_ppo: Node):
    return client.post(
        reverse("api:member-step", args=[person.pk, "transfer"]),
        {"to_ppo": to_ppo.pk, "on": timezone.localdate().isoformat(), "reason": "Moved house"},
        content_type="application/json",
    )


def assert_transferred(person: Person, from_ppo: Node, to_ppo: Node) -> None:
    """Check the member's registration moved today, keeping the admission date."""
    today = timezone.localdate()
    person = Person.objects.get(pk=person.pk)
    assert (person.ppo_id, person.status) == (to_ppo.pk, "active")
    assert list(
        Membership.objects.filter(person=person)
        .order_by("started_on", "id")
        .values_list("ppo__code", "status", "admitted_on", "started_on", "ended_on")
    ) == [
        (from_ppo.code, "transferred", date(2010, 5, 1), date(2010, 5, 1), today),
        (to_ppo.code, "active", date(2010, 5, 1), today, None),
    ]


# -- the API transfers a member only into a PPO in the caller's subtree --------------------------


def test_the_api_transfers_a_member_into_a_ppo_in_the_callers_subtree(client, cast):
    nodes, member = cast["nodes"], cast["members"]["P1"]
    client.force_login(cast["users"]["regional_secretary"])
    response = transfer_api(client, member, nodes["PR1"])
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["ppo"], body["status"]) == (member.pk, nodes["PR1"].pk, "active")
    assert_transferred(member, nodes["P1"], nodes["PR1"])


@pytest.mark.parametrize(
    ("user", "target"),
    [
        ("regional_secretary", "P3"),  # a PPO of the other region
        ("regional_secretary", "PH"),  # the PPO directly under the central office, above R1
        ("district_secretary", "P2"),  # a PPO of the sibling district
        ("district_b_secretary", "P1"),  # and the other way round, for their own member
    ],
)
def test_the_api_refuses_to_transfer_a_member_into_a_ppo_outside_the_callers_subtree(
    client, cast, user, target
):
    home = {"district_b_secretary": "P2"}.get(user, "P1")
    member = cast["members"][home]
    before = registry_state(member)
    client.force_login(cast["users"][user])
    response = transfer_api(client, member, cast["nodes"][target])
    assert (response.status_code, response.json()) == (400, {"to_ppo": [PPO_OUTSIDE]})
    assert registry_state(member) == before


# -- the API schedules a reception only with an official in the caller's subtree -----------------


def reception_body(official: Official, node: Node) -> dict:
    return {
        "official": official.pk,
        "node": node.pk,
        "format": "regular",
        "starts_at": "2026-11-10T10:00:00+05:00",
        "place": "Қоғамдық қабылдау бөлмесі",
    }


def test_the_api_schedules_a_reception_with_an_official_of_the_callers_subtree(client, cast):
    d1 = cast["nodes"]["D1"]
    official = Official.objects.get(full_name="Official of D1")
    client.force_login(cast["users"]["district_secretary"])
    response = client.post(
        reverse("api:reception-list"), reception_body(official, d1), content_type="application/json"
    )
    assert response.status_code == 201
    # "place" reads in the caller's language; the place per language is checked elsewhere.
    body = {k: v for k, v in response.json().items() if not k.startswith("place_")}
    reception = Reception.objects.get(pk=body["id"])
    assert body == {
        "id": reception.pk,
        "official": official.pk,
        "node": d1.pk,
        "format": "regular",
        "starts_at": "2026-11-10T10:00:00+05:00",
        "place": "Қоғамдық қабылдау бөлмесі",
        "status": "planned",
        "visitors": 0,
        "version": 1,
    }
    assert (reception.official, reception.node, reception.starts_at) == (
        official,
        d1,
        datetime(2026, 11, 10, 10, tzinfo=ALMATY),
    )


@pytest.mark.parametrize("official_at", ["D2", "D3"])
def test_the_api_refuses_a_reception_with_an_official_outside_the_callers_subtree(
    client, cast, official_at
):
    official = Official.objects.get(full_name=f"Official of {official_at}")
    receptions, audit = list(Reception.objects.values_list("pk", flat=True)), AuditEvent.objects
    audit_count = audit.count()
    client.force_login(cast["users"]["district_secretary"])
    response = client.post(
        reverse("api:reception-list"),
        reception_body(official, cast["nodes"]["D1"]),
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (400, {"official": [NODE_OUTSIDE]})
    assert list(Reception.objects.values_list("pk", flat=True)) == receptions
    assert audit.count() == audit_count


def test_the_schedule_form_offers_only_the_officials_of_the_users_subtree(client, cast):
    client.force_login(cast["users"]["regional_secretary"])
    page = client.get(reverse("appeals:reception_add"))
    offered = [o.full_name for o in page.context["form"].fields["official"].queryset]
    assert sorted(offered) == ["Official of D1", "Official of D2"]
    count = Reception.objects.count()
    response = client.post(
        reverse("appeals:reception_add"),
        {
            "official": Official.objects.get(full_name="Official of D3").pk,
            "node": cast["nodes"]["D1"].pk,
            "format": ReceptionFormat.objects.get(code="regular").pk,
            "starts_at": "2026-11-10T10:00",
            "place_en": "Office",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["official"]
    assert Reception.objects.count() == count


@pytest.mark.parametrize("official_at", ["D2", "D3"])
def test_the_service_refuses_a_reception_with_an_official_outside_the_actors_subtree(
    cast, official_at
):
    from tamyr.appeals.receptions import reception_schedule

    count = Reception.objects.count()
    with pytest.raises(ValidationError) as refused:
        reception_schedule(
            actor=cast["users"]["district_secretary"],
            official=Official.objects.get(full_name=f"Official of {official_at}"),
            node=cast["nodes"]["D1"],
            format=ReceptionFormat.objects.get(code="regular"),
            starts_at=datetime(2026, 11, 10, 10, tzinfo=ALMATY),
            place="Office",
        )
    assert refused.value.message_dict == {"official": ["Choose an official of your subtree."]}
    assert Reception.objects.count() == count


# -- a moved day recomputes the terms of reopened appeals too -----------------------------------


@pytest.fixture
def long_serving_admin(cast):
    """Return a national administrator whose role dates from 2020, so that a test may set the
    clock back before the day the cast was built."""
    user = get_user_model().objects.create_user("long_serving_admin", "lsa@example.org")
    staff_role_grant(
        actor=cast["users"]["national_admin"],
        user=user,
        role=Role.NATIONAL_ADMIN,
        node=cast["nodes"]["HQ"],
        valid_from=date(2020, 1, 1),
    )
    return user


def test_a_moved_day_recomputes_a_reopened_appeal_from_the_day_it_was_reopened(
    cast, long_serving_admin, django_capture_on_commit_callbacks
):
    # Anonymous, so closed by rule on receipt; the citizen then gives a name and it is reopened.
    appeal, _secret = services.appeal_receive(
        actor=long_serving_admin,
        channel="letter",
        topic=Topic.objects.get(code="housing"),
        node=cast["nodes"]["D1"],
        text="Ауламызда жарық жоқ.",
        received_at=datetime(2026, 9, 1, 11, tzinfo=ALMATY),
    )
    assert appeal.status == "closed"
    # Monday 2 November 2026; no holiday falls in the three weeks after it.
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY), tick=False):
        appeal = services.appeal_move(
            actor=long_serving_admin, appeal=appeal, version=appeal.version, action="reopen",
            note="The citizen gave a name",
        )  # fmt: skip
        terms = ("counted_from", "forward_due_on", "due_on")
        row = Appeal.objects.values_list(*terms)
        assert row.get(pk=appeal.pk) == (date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 23))
        with django_capture_on_commit_callbacks(execute=True):
            services.calendar_day_set(
                actor=long_serving_admin, day=date(2026, 11, 4), is_working=False, note="Decree"
            )
        # Wednesday 4 November off: three working days end on Friday 6, fifteen on Tuesday 24.
        assert row.get(pk=appeal.pk) == (date(2026, 11, 2), date(2026, 11, 6), date(2026, 11, 24))
        assert Appeal.objects.get(pk=appeal.pk).status == "reopened"
        with django_capture_on_commit_callbacks(execute=True):
            services.calendar_day_delete(
                actor=long_serving_admin, entry=services.CalendarDay.objects.get()
            )
        assert row.get(pk=appeal.pk) == (date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 23))


# -- reminders skip deactivated staff ------------------------------------------------------------


def test_reminders_are_not_sent_to_a_deactivated_executor(cast):
    operator, executor = cast["users"]["reception_operator"], cast["users"]["district_secretary"]
    appeal, _secret = services.appeal_receive(
        actor=operator,
        channel="call_centre",
        topic=Topic.objects.get(code="housing"),
        node=cast["nodes"]["D1"],
        citizen_name="Әсел Қайратқызы",
        contact="+7 701 555 44 33",
        text="Ауламызда жарық жоқ.",
        # Sixty days ago: fifteen working days have passed whatever the holidays.
        received_at=timezone.now() - timedelta(days=60),
    )
    services.appeal_move(
        actor=operator, appeal=appeal, version=appeal.version, action="assign",
        executor=executor, controller=operator,
    )  # fmt: skip
    mail.outbox.clear()
    assert send_term_reminders() == 2
    assert sorted(m.to for m in mail.outbox) == [
        ["district_secretary@example.org"], ["reception_operator@example.org"],
    ]  # fmt: skip
    executor.is_active = False
    executor.save()
    mail.outbox.clear()
    assert send_term_reminders() == 1
    assert [m.to for m in mail.outbox] == [["reception_operator@example.org"]]
    assert appeal.number in mail.outbox[0].body


# -- the youth wing's centres are not the party's PPOs ------------------------------------------


@pytest.mark.parametrize(("home", "target"), [("P1", "JP1"), ("JP1", "P1")])
def test_the_service_refuses_a_transfer_across_the_wings(cast, home, target):
    member = cast["members"][home]
    before = registry_state(member)
    with pytest.raises(ValidationError) as error:
        member_transfer(
            actor=cast["users"]["national_admin"],
            person=member,
            to_ppo=cast["nodes"][target],
            on=timezone.localdate(),
            reason="Moved house",
        )
    assert error.value.message_dict == {"to_ppo": [NOT_A_PPO]}
    assert registry_state(member) == before


def test_the_service_transfers_a_member_within_the_party(cast):
    member_transfer(
        actor=cast["users"]["national_admin"],
        person=cast["members"]["P1"],
        to_ppo=cast["nodes"]["P3"],
        on=timezone.localdate(),
        reason="Moved house",
    )
    assert_transferred(cast["members"]["P1"], cast["nodes"]["P1"], cast["nodes"]["P3"])


def test_the_transfer_page_offers_only_the_members_own_wing(client, cast):
    member, nodes = cast["members"]["P1"], cast["nodes"]
    url = reverse("members:step", args=[member.pk, "transfer"])
    client.force_login(cast["users"]["national_admin"])
    choices = client.get(url).context["form"].fields["to_ppo"].queryset
    assert [n.code for n in choices] == ["PH", "PR1", "P2", "P3"]
    youth = reverse("members:step", args=[cast["members"]["JP1"].pk, "transfer"])
    assert list(client.get(youth).context["form"].fields["to_ppo"].queryset) == []
    before = registry_state(member)
    today = timezone.localdate().isoformat()
    response = client.post(url, {"to_ppo": nodes["JP1"].pk, "on": today, "reason": "Moved"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"to_ppo": [PPO_OUTSIDE]}
    assert registry_state(member) == before
    response = client.post(url, {"to_ppo": nodes["P2"].pk, "on": today, "reason": "Moved"})
    assert (response.status_code, response.url) == (
        302,
        reverse("members:detail", args=[member.pk]),
    )
    assert_transferred(member, nodes["P1"], nodes["P2"])


def test_the_api_refuses_a_transfer_into_the_youth_wing(client, cast):
    member, nodes = cast["members"]["P1"], cast["nodes"]
    client.force_login(cast["users"]["national_admin"])
    before = registry_state(member)
    response = transfer_api(client, member, nodes["JP1"])
    assert (response.status_code, response.json()) == (400, {"to_ppo": [NOT_A_PPO]})
    assert registry_state(member) == before
    response = transfer_api(client, member, nodes["P2"])
    assert (response.status_code, response.json()["ppo"]) == (200, nodes["P2"].pk)
    assert_transferred(member, nodes["P1"], nodes["P2"])


# -- "resolved positively" counts exactly the two positive outcomes ------------------------------


def test_resolved_positively_counts_the_full_and_the_partial_resolutions_only(client, cast):
    operator, executor = cast["users"]["reception_operator"], cast["users"]["district_secretary"]
    housing, d1 = Topic.objects.get(code="housing"), cast["nodes"]["D1"]
    # One appeal answered with each outcome a person can choose, one anonymous appeal left
    # without consideration by rule, one still in work: seven in March 2026.
    answered = ["resolved_fully", "resolved_partly", "explained", "refused", "forwarded"]
    for day, outcome in enumerate(answered, start=2):
        appeal, _secret = services.appeal_receive(
            actor=operator, channel="letter", topic=housing, node=d1,
            citizen_name=f"Citizen {outcome}", contact=f"+7 701 000 0{day} 00",
            text=f"Appeal {day}", received_at=datetime(2026, 3, day, 11, tzinfo=ALMATY),
        )  # fmt: skip
        appeal = services.appeal_move(
            actor=operator, appeal=appeal, version=appeal.version, action="assign",
            executor=executor, controller=operator,
        )  # fmt: skip
        appeal = services.appeal_move(
            actor=executor, appeal=appeal, version=appeal.version, action="answer",
            outcome=outcome, answer="Answered.",
        )  # fmt: skip
        services.appeal_move(
            actor=operator, appeal=appeal, version=appeal.version, action="close", sign_off=True
        )
    services.appeal_receive(
        actor=operator, channel="letter", topic=housing, node=d1, text="No name",
        received_at=datetime(2026, 3, 10, 11, tzinfo=ALMATY),
    )  # fmt: skip
    services.appeal_receive(
        actor=operator, channel="letter", topic=housing, node=d1, citizen_name="Still waiting",
        text="Open", received_at=datetime(2026, 3, 11, 11, tzinfo=ALMATY),
    )  # fmt: skip
    client.force_login(cast["users"]["district_secretary"])
    response = client.get(
        reverse("api:appeal-figures"),
        {"node": d1.pk, "start": "2026-03-01", "end": "2026-03-31", "years": 0},
    )
    [window] = response.json()["windows"]
    assert (window["received"], window["closed"], window["positive"]) == (7, 6, 2)
    assert window["positive_share"] == pytest.approx(100 * 2 / 7)
    assert window["by_outcome"] == {
        "resolved_fully": 1, "resolved_partly": 1, "explained": 1, "refused": 1,
        "forwarded": 1, "not_considered": 1, "none": 1,
    }  # fmt: skip
