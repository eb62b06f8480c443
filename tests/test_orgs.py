"""The branch tree: shape rules, PPO size categories with history, moving, merging, closing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tamyr.core.models import AuditEvent
from tamyr.members.models import Membership, MembershipStatus, Person
from tamyr.orgs import access
from tamyr.orgs.models import Node, NodeKind, PPOSizeRecord, size_category_for
from tamyr.orgs.services import (
    node_close,
    node_create,
    node_merge,
    node_move,
    node_update,
    ppo_refresh_size,
)


@pytest.mark.parametrize(
    ("members", "category"),
    [
        (0, "small"),
        (99, "small"),
        (100, "medium"),
        (500, "medium"),
        (501, "large"),
    ],
)
def test_size_category_boundaries(members, category):
    assert size_category_for(members) == category


def test_size_category_changes_are_kept_as_history(cast):
    ppo = cast["nodes"]["P1"]
    person = cast["members"]["P1"]
    # Grow the PPO past 100 active members with real rows, as a bulk import would.
    template = person.memberships.get()
    people = [
        Person(
            surname=f"S{i}",
            given_name="N",
            iin=f"9{i:011d}",
            gender="m",
            birth_date=date(1990, 1, 1),
            sector="other",
            education="higher",
            ppo=ppo,
            status="active",
        )
        for i in range(100)
    ]
    Person.objects.bulk_create(people)
    Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                ppo=ppo,
                status=MembershipStatus.ACTIVE,
                admitted_on=template.admitted_on,
                started_on=template.admitted_on,
            )
            for p in people
        ]
    )
    assert ppo_refresh_size(ppo=ppo) == "medium"
    ppo.refresh_from_db()
    assert (ppo.active_member_count, ppo.size_category) == (101, "medium")
    history = list(
        PPOSizeRecord.objects.filter(ppo=ppo)
        .order_by("id")
        .values_list("category", "active_members")
    )
    assert history == [("small", 0), ("medium", 101)]
    # Recounting without a change adds no line.
    ppo_refresh_size(ppo=ppo)
    assert PPOSizeRecord.objects.filter(ppo=ppo).count() == 2


def test_a_ppo_cannot_hold_nodes_and_a_district_cannot_hold_a_region(cast):
    with pytest.raises(ValidationError):
        node_create(
            actor=None,
            parent=cast["nodes"]["P1"],
            data={"kind": NodeKind.PRIMARY, "code": "X1", "name_kk": "X"},
        )
    with pytest.raises(ValidationError) as exc:
        node_create(
            actor=None,
            parent=cast["nodes"]["D1"],
            data={"kind": NodeKind.REGION, "code": "X2", "name_kk": "X"},
        )
    assert exc.value.message_dict["kind"] == [
        "A Regional branch cannot be placed under a City or district branch."
    ]


def test_a_name_in_one_language_is_enough_and_falls_back(cast):
    from django.utils import translation

    node = node_create(
        actor=None,
        parent=cast["nodes"]["D1"],
        data={"kind": NodeKind.PRIMARY, "code": "ONLY-KK", "name_kk": "Ақсай ауылы БПҰ"},
    )
    node = Node.objects.get(pk=node.pk)
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            assert node.name == "Ақсай ауылы БПҰ"
    with pytest.raises(ValidationError):
        node_create(
            actor=None,
            parent=cast["nodes"]["D1"],
            data={"kind": NodeKind.PRIMARY, "code": "NO-NAME"},
        )


def test_the_name_is_shown_in_the_readers_language(cast):
    from django.utils import translation

    node = Node.objects.get(code="HQ")
    with translation.override("kk"):
        assert node.name == "Орталық аппарат"
    with translation.override("ru"):
        assert node.name == "Центральный аппарат"
    with translation.override("en"):
        assert node.name == "Central office"


def test_moving_a_district_moves_its_ppos_members_and_scope(cast):
    d1, r2 = cast["nodes"]["D1"], cast["nodes"]["R2"]
    member = cast["members"]["P1"]
    regional = cast["users"]["regional_secretary"]
    assert access.scoped_people(regional).filter(pk=member.pk).exists()
    old_path = d1.path
    node_move(actor=cast["users"]["national_admin"], node=d1, new_parent=r2)
    d1.refresh_from_db()
    assert d1.path.startswith(r2.path)
    assert Node.objects.get(code="P1").path.startswith(d1.path)
    # The regional secretary of R1 no longer sees the member (on their next request, with the
    # cached grants); the move is in the history.
    regional = type(regional).objects.get(pk=regional.pk)
    assert not access.scoped_people(regional).filter(pk=member.pk).exists()
    moves = AuditEvent.objects.filter(
        object_type="orgs.node", object_id=str(d1.pk), action="update"
    )
    assert [(e.before["path"], e.after["path"]) for e in moves] == [(old_path, d1.path)]


def test_a_node_cannot_move_under_itself_or_to_the_youth_wing(cast):
    with pytest.raises(ValidationError):
        node_move(actor=None, node=cast["nodes"]["R1"], new_parent=cast["nodes"]["R1"])
    with pytest.raises(ValidationError):
        node_move(actor=None, node=cast["nodes"]["D3"], new_parent=cast["nodes"]["JR1"])


def test_merging_ppos_moves_members_and_closes_the_merged_one(cast):
    p1, p2 = cast["nodes"]["P1"], cast["nodes"]["P2"]
    member = cast["members"]["P1"]
    old = member.memberships.get()
    node_merge(actor=cast["users"]["national_admin"], node=p1, into=p2)
    p1.refresh_from_db()
    p2.refresh_from_db()
    member.refresh_from_db()
    old.refresh_from_db()
    new = member.memberships.get(status="active")
    # The registration in P1 ends today and a new one opens in P2, as a transfer does.
    assert (old.ppo, old.status, old.ended_on) == (p1, "transferred", date.today())
    assert (new.ppo, new.entry, new.started_on, new.admitted_on) == (
        p2,
        "transfer",
        date.today(),
        old.admitted_on,
    )
    assert member.ppo == p2
    assert p1.closed_on == date.today() and p1.merged_into == p2
    assert (p1.active_member_count, p2.active_member_count) == (0, 2)
    closed = AuditEvent.objects.get(
        object_type="members.membership", object_id=str(old.pk), action="update"
    )
    assert (closed.changes(), closed.node_path) == (
        [("ended_on", None, date.today().isoformat()), ("status", "active", "transferred")],
        p1.path,
    )
    person_line = AuditEvent.objects.get(
        object_type="members.person", object_id=str(member.pk), action="update"
    )
    assert person_line.changes() == [("ppo_id", p1.pk, p2.pk)]


def test_closing_refuses_a_node_with_members_then_keeps_the_record(cast):
    p1 = cast["nodes"]["P1"]
    with pytest.raises(ValidationError) as exc:
        node_close(actor=None, node=p1)
    assert exc.value.messages == ["Transfer its members to another PPO first."]
    empty = node_create(
        actor=None,
        parent=cast["nodes"]["D1"],
        data={"kind": NodeKind.PRIMARY, "code": "EMPTY", "name_kk": "Бос БПҰ"},
    )
    node_close(actor=None, node=empty)
    empty.refresh_from_db()
    assert empty.closed_on == date.today()
    with pytest.raises(ValidationError):
        node_create(
            actor=None, parent=empty, data={"kind": NodeKind.PRIMARY, "code": "Z", "name_kk": "Z"}
        )


def test_a_stale_node_edit_is_refused(cast):
    from tamyr.core.errors import ConflictError

    node = cast["nodes"]["D1"]
    node_update(actor=None, node=node, data={"name_en": "First"}, version=node.version)
    with pytest.raises(ConflictError):
        node_update(actor=None, node=node, data={"name_en": "Second"}, version=node.version)
    assert Node.objects.get(pk=node.pk).name_en == "First"


def test_the_youth_wing_is_a_tree_of_its_own(cast):
    jp1 = cast["nodes"]["JP1"]
    assert jp1.wing == "youth" and jp1.kind_label() == "Primary centre"
    assert not jp1.path.startswith(cast["nodes"]["HQ"].path)
    regional = cast["users"]["regional_secretary"]
    assert not access.scoped_nodes(regional).filter(wing="youth").exists()


def test_an_expired_role_grants_nothing(cast):
    from tamyr.orgs.services import staff_role_end

    user = cast["users"]["district_secretary"]
    role = user.staff_roles.get()
    role.valid_from = date(2020, 1, 1)
    role.save()
    staff_role_end(actor=None, staff_role=role, on=date(2021, 1, 1))
    assert access.active_grants(user, today=date.today()) == []
    assert access.active_grants(user, today=date(2020, 6, 1))[0].path == cast["nodes"]["D1"].path


def test_regional_secretary_moves_a_ppo_between_districts_on_the_page(client, cast):
    from django.urls import reverse

    p1, d1, d2, d3 = (cast["nodes"][c] for c in ("P1", "D1", "D2", "D3"))
    client.force_login(cast["users"]["regional_secretary"])
    form = client.get(reverse("orgs:move", args=[p1.pk])).context["form"]
    offered = sorted(n.code for n in form.fields["new_parent"].queryset)
    assert offered == ["D2", "R1"]  # not D1 (already there), not D3 (another region)
    refused = client.post(reverse("orgs:move", args=[p1.pk]), {"new_parent": d3.pk})
    assert refused.context["form"].errors["new_parent"] == ["Choose one of the places offered."]
    response = client.post(reverse("orgs:move", args=[p1.pk]), {"new_parent": d2.pk})
    assert response.status_code == 302
    p1.refresh_from_db()
    assert p1.path.startswith(Node.objects.get(pk=d2.pk).path)
    assert not p1.path.startswith(d1.path)


def test_district_secretary_merges_two_of_their_ppos_on_the_page(client, cast):
    from django.urls import reverse

    from tamyr.orgs.models import NodeKind

    district = cast["users"]["district_secretary"]
    p1 = cast["nodes"]["P1"]
    spare = node_create(
        actor=district,
        parent=cast["nodes"]["D1"],
        data={"kind": NodeKind.PRIMARY, "code": "P1-B", "name_kk": "Екінші БПҰ"},
    )
    client.force_login(district)
    form = client.get(reverse("orgs:merge", args=[p1.pk])).context["form"]
    assert [n.code for n in form.fields["into"].queryset] == ["P1-B"]
    response = client.post(reverse("orgs:merge", args=[p1.pk]), {"into": spare.pk})
    assert response.status_code == 302
    p1.refresh_from_db()
    spare.refresh_from_db()
    assert (p1.merged_into, p1.closed_on is not None) == (spare, True)
    assert cast["members"]["P1"].__class__.objects.get(pk=cast["members"]["P1"].pk).ppo == spare


def test_a_closed_node_cannot_be_edited(cast):
    empty = node_create(
        actor=None,
        parent=cast["nodes"]["D1"],
        data={"kind": NodeKind.PRIMARY, "code": "SHUT", "name_kk": "Жабық БПҰ"},
    )
    node_close(actor=None, node=empty)
    empty.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        node_update(actor=None, node=empty, data={"name_en": "Renamed"}, version=empty.version)
    assert exc.value.messages == ["A closed node cannot be changed."]
