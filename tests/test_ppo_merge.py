"""Merging two PPOs moves today's members and leaves the past as it was.

A merge is a transfer of everyone current: their registrations in the merged PPO close on the
day of the merge and open in the target with the same admission date, status and card; the
registrations that had already ended stay where they were. So the composition of the two
districts and of the region on any past date reads the same before and after the merge.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from tamyr.core.models import AuditEvent
from tamyr.members.composition import composition
from tamyr.members.composition_check import mismatches
from tamyr.members.discipline import case_open
from tamyr.members.iin import make_iin
from tamyr.members.lifecycle import application_submit, member_transfer, membership_change
from tamyr.members.models import Application, DisciplineCase, Membership, MembershipCard
from tamyr.members.services import member_register
from tamyr.orgs.models import Node, NodeKind, PPOSizeRecord, Role
from tamyr.orgs.services import node_create, node_merge, staff_role_grant

pytestmark = pytest.mark.django_db

FROZEN = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
TODAY = date(2026, 3, 2)
PAST = [
    date(2020, 12, 31),
    date(2021, 6, 30),
    date(2022, 6, 30),
    date(2023, 12, 31),
    date(2024, 6, 30),
    date(2025, 12, 31),
    date(2026, 3, 1),
]
FIGURES = (
    "members",
    "suspended",
    "women",
    "youth",
    "admitted",
    "readmitted",
    "transferred_in",
    "transferred_out",
)


def figures(node: Node, on: date, start: date) -> dict:
    """Return every figure of the composition under a node, as plain values."""
    c = composition(node=node, on=on, start=start, end=on)
    assert mismatches(c) == []  # the independent recount agrees, before and after alike
    found: dict = {name: getattr(c, name) for name in FIGURES}
    found["left"] = dict(c.left)
    for rows in ("by_age", "by_sector", "by_education", "ppos_by_size"):
        found[rows] = [(code, n) for code, _label, n in getattr(c, rows)]
    return found


class Builder:
    def __init__(self, actor):
        self.actor, self.serial = actor, 0

    def node(self, code: str, parent: Node, kind: str) -> Node:
        return node_create(
            actor=self.actor,
            parent=parent,
            data={
                "kind": kind,
                "code": code,
                "name_kk": f"{code} бөлімшесі",
                "name_ru": f"{code} отделение",
                "name_en": f"{code} unit",
                "opened_on": date(2001, 1, 1),
            },
        )

    def person_data(self, gender: str = "f", birth: date | None = None) -> dict:
        self.serial += 1
        birth = birth or date(1975 + self.serial % 20, 1 + self.serial % 12, 1 + self.serial % 28)
        iin = next(
            iin
            for s in range(self.serial * 10, self.serial * 10 + 10)
            if (iin := make_iin(birth, gender, s))
        )
        return {
            "surname": f"Жұмабаева{self.serial}",
            "given_name": "Дина",
            "patronymic": "",
            "iin": iin,
            "gender": gender,
            "birth_date": birth,
            "phone": "",
            "address": "",
            "sector": ["health", "education", "business"][self.serial % 3],
            "education": ["higher", "vocational"][self.serial % 2],
        }

    def member(self, ppo: Node, admitted: date, card: str = "", **person) -> object:
        membership = {"admitted_on": admitted}
        if card:
            membership |= {"card_number": card, "card_issued_on": admitted}
        return member_register(
            actor=self.actor,
            ppo=ppo,
            person_data=self.person_data(**person),
            membership_data=membership,
        )


@pytest.fixture
def world():
    """Two PPOs in two districts of one region, with current and ended registrations."""
    with time_machine.travel(FROZEN, tick=False):
        User = get_user_model()
        admin = User.objects.create_user("merge-admin", "merge@example.org", "x")
        hq = Node.objects.get(code="HQ")
        staff_role_grant(actor=None, user=admin, role=Role.NATIONAL_ADMIN, node=hq)
        b = Builder(admin)
        region = b.node("MR", hq, NodeKind.REGION)
        d1 = b.node("MD1", region, NodeKind.DISTRICT)
        d2 = b.node("MD2", region, NodeKind.DISTRICT)
        p1 = b.node("MP1", d1, NodeKind.PRIMARY)
        p2 = b.node("MP2", d2, NodeKind.PRIMARY)
        who = {
            "active": b.member(p1, date(2015, 4, 1), card="MRG-0001", gender="m"),
            "suspended": b.member(p1, date(2016, 5, 1)),
            "left": b.member(p1, date(2017, 6, 1)),
            "died": b.member(p1, date(2018, 7, 1), gender="m"),
            "moved_away": b.member(p1, date(2019, 8, 1)),
            "moved_in": b.member(p2, date(2014, 9, 1), card="MRG-0002"),
            "young": b.member(p1, date(2025, 12, 1), birth=date(2003, 2, 2)),
            "stays": b.member(p2, date(2012, 3, 3), gender="m"),
            "p2_left": b.member(p2, date(2013, 3, 3)),
        }
        membership_change(
            actor=admin, person=who["suspended"], action="suspend", on=date(2024, 6, 1)
        )
        membership_change(actor=admin, person=who["left"], action="leave", on=date(2023, 5, 1))
        membership_change(actor=admin, person=who["died"], action="death", on=date(2024, 2, 1))
        membership_change(actor=admin, person=who["p2_left"], action="leave", on=date(2022, 2, 2))
        member_transfer(actor=admin, person=who["moved_away"], to_ppo=p2, on=date(2022, 1, 1))
        member_transfer(actor=admin, person=who["moved_in"], to_ppo=p1, on=date(2021, 3, 1))
        case = case_open(
            actor=admin, person=who["active"], opened_on=date(2026, 2, 1), grounds="Absences"
        )
        applicant = application_submit(
            actor=admin, ppo=p1, applied_on=date(2026, 2, 15), person_data=b.person_data()
        )
        # MP2 stands three short of a hundred active members: the merge takes it past.
        for _ in range(95):
            b.member(p2, date(2010, 1, 10))
        yield {
            "admin": admin,
            "hq": hq,
            "region": region,
            "d1": d1,
            "d2": d2,
            "p1": p1,
            "p2": p2,
            "who": who,
            "case": case,
            "applicant": applicant,
        }


def test_a_merge_leaves_every_past_figure_as_it_was_and_moves_todays(world):
    w = world
    watched = [w["d1"], w["d2"], w["region"]]
    with time_machine.travel(FROZEN, tick=False):
        past_before = {
            (n.code, on, start): figures(n, on, start)
            for n in watched
            for on in PAST
            for start in (date(on.year, 1, 1), date(2010, 1, 1))
        }
        today_before = {n.code: figures(n, TODAY, date(2026, 1, 1)) for n in [*watched, w["hq"]]}
        ended_before = list(
            Membership.objects.filter(ended_on__isnull=False)
            .order_by("pk")
            .values_list("pk", "ppo_id", "status", "started_on", "ended_on")
        )
        audit_mark = AuditEvent.objects.latest("id").pk

        node_merge(actor=w["admin"], node=w["p1"], into=w["p2"])

        past_after = {
            (n.code, on, start): figures(n, on, start)
            for n in watched
            for on in PAST
            for start in (date(on.year, 1, 1), date(2010, 1, 1))
        }
        today_after = {n.code: figures(n, TODAY, date(2026, 1, 1)) for n in [*watched, w["hq"]]}

    assert past_after == past_before
    # The rows that had ended are untouched, where they were.
    assert [
        row
        for row in Membership.objects.filter(pk__in=[r[0] for r in ended_before])
        .order_by("pk")
        .values_list("pk", "ppo_id", "status", "started_on", "ended_on")
    ] == ended_before

    # Today: district 1 had active, suspended, moved_in and young; they are now in district 2.
    assert (today_before["MD1"]["members"], today_before["MD1"]["suspended"]) == (4, 1)
    assert (today_after["MD1"]["members"], today_after["MD1"]["suspended"]) == (0, 0)
    assert (today_before["MD2"]["members"], today_after["MD2"]["members"]) == (97, 101)
    assert (today_before["MD2"]["suspended"], today_after["MD2"]["suspended"]) == (0, 1)
    assert (today_after["MD1"]["transferred_out"], today_after["MD2"]["transferred_in"]) == (4, 4)
    # Within the region nothing moved in or out, and no one was admitted by the merge; only
    # its PPOs changed: two small ones became one of a hundred active members.
    for code in ("MR", "HQ"):
        assert {k: v for k, v in today_after[code].items() if k != "ppos_by_size"} == {
            k: v for k, v in today_before[code].items() if k != "ppos_by_size"
        }
    assert today_before["MR"]["ppos_by_size"] == [("small", 2), ("medium", 0), ("large", 0)]
    assert today_after["MR"]["ppos_by_size"] == [("small", 0), ("medium", 1), ("large", 0)]
    assert today_after["MD2"]["admitted"] == today_before["MD2"]["admitted"] == 0

    audit = list(
        AuditEvent.objects.filter(pk__gt=audit_mark).values_list(
            "object_type", "action", "node_path"
        )
    )
    p1_path, p2_path = w["p1"].path, w["p2"].path
    assert sorted(audit) == sorted(
        [("members.membership", "update", p1_path)] * 4
        + [("members.membership", "create", p2_path)] * 4
        + [("members.person", "update", p2_path)] * 5
        + [("members.application", "update", p2_path)]
        + [("members.disciplinecase", "update", p2_path)]
        + [("orgs.node", "update", p1_path)]
    )


def test_merged_members_keep_their_admission_card_and_status_and_say_why_they_moved(client, world):
    w = world
    who, p1, p2 = w["who"], w["p1"], w["p2"]
    with time_machine.travel(FROZEN, tick=False):
        node_merge(actor=w["admin"], node=p1, into=p2)
        client.force_login(w["admin"])
        page = client.get(reverse("members:detail", args=[who["active"].pk])).content.decode()

    for key, status in (
        ("active", "active"),
        ("suspended", "suspended"),
        ("moved_in", "active"),
        ("young", "active"),
    ):
        person = who[key]
        person.refresh_from_db()
        old = person.memberships.get(ppo=p1, ended_on=TODAY)
        new = person.memberships.get(ended_on__isnull=True)
        assert (old.status, new.ppo, new.status, new.entry, new.started_on) == (
            "transferred",
            p2,
            status,
            "transfer",
            TODAY,
        )
        assert new.admitted_on == old.admitted_on
        assert (person.ppo, person.status) == (p2, status)
        event = person.events.get(kind="transferred", on=TODAY)
        assert (event.ppo, event.other_ppo, event.membership) == (p1, p2, old)
    # Cards stay valid through a merge, as through a transfer.
    assert list(
        MembershipCard.objects.filter(person__in=[who["active"], who["moved_in"]])
        .order_by("number")
        .values_list("number", "cancelled_on")
    ) == [("MRG-0001", None), ("MRG-0002", None)]
    # Former members keep the PPO they left as their last one.
    for key in ("left", "died"):
        who[key].refresh_from_db()
        assert who[key].ppo == p1
        assert who[key].memberships.get().ppo == p1
    # The pending application and the open case follow to the PPO now responsible.
    assert Application.objects.get(pk=w["applicant"].pk).ppo == p2
    assert w["applicant"].person.__class__.objects.get(pk=w["applicant"].person_id).ppo == p2
    assert DisciplineCase.objects.get(pk=w["case"].pk).ppo == p2
    # Sizes: MP1 has no one left, MP2 has just reached a hundred active members.
    p1.refresh_from_db()
    p2.refresh_from_db()
    assert (p1.active_member_count, p1.size_category) == (0, "small")
    assert (p2.active_member_count, p2.size_category) == (100, "medium")
    sizes = {
        ppo.code: list(
            PPOSizeRecord.objects.filter(ppo=ppo).values_list("category", "active_members")
        )
        for ppo in (p1, p2)
    }
    assert sizes == {"MP1": [("small", 0)], "MP2": [("medium", 100), ("small", 0)]}
    # The timeline says, in the reader's language, that the move came from a merge.
    assert "transferred to another PPO · MP1 unit → MP2 unit · merger of primary organisations" in (
        page
    )


def test_a_closed_ppo_or_one_of_the_youth_wing_receives_no_merge(cast):
    from django.core.exceptions import ValidationError

    p1, p2, jp1 = cast["nodes"]["P1"], cast["nodes"]["P2"], cast["nodes"]["JP1"]
    with pytest.raises(ValidationError):
        node_merge(actor=None, node=p1, into=jp1)
    node_merge(actor=None, node=p1, into=p2)
    with pytest.raises(ValidationError):
        node_merge(actor=None, node=p1, into=cast["nodes"]["P3"])
    assert Membership.objects.filter(ppo=jp1).count() == 1
