"""The audit trail: each write leaves a line (actor, node, before, after); no line changes."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tamyr.core.models import AuditEvent
from tamyr.members import services as member_services
from tamyr.orgs.models import NodeKind, Role
from tamyr.orgs.services import node_create, node_update, staff_role_end, staff_role_grant


def events_for(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_node_create_and_update_are_recorded_with_before_and_after(cast):
    actor = cast["users"]["district_secretary"]
    node = node_create(
        actor=actor,
        parent=cast["nodes"]["D1"],
        data={"kind": NodeKind.PRIMARY, "code": "AUD-1", "name_kk": "Аудит БПҰ"},
    )
    node_update(actor=actor, node=node, data={"name_ru": "ППО аудита"}, version=node.version)
    created, updated = events_for(node).order_by("id")
    assert (created.action, created.actor, created.node_path) == ("create", actor, node.path)
    assert created.before is None and created.after["name_kk"] == "Аудит БПҰ"
    assert updated.changes() == [("name_ru", None, "ППО аудита"), ("version", 1, 2)]


def test_member_and_card_writes_are_recorded(cast, today):
    from tamyr.members.lifecycle import card_issue

    actor = cast["users"]["district_secretary"]
    person = cast["members"]["P1"]
    member_services.member_update(
        actor=actor, person=person, person_data={"address": "Жаңа"}, version=person.version
    )
    person_event = events_for(person).get(action="update")
    assert person_event.changes()[0] == ("address", "", "Жаңа")
    old = person.cards.get()
    new = card_issue(actor=actor, person=person, number="NEW-1", issued_on=today)
    assert events_for(old).get(action="update").changes() == [
        ("cancel_reason", "", "replaced by a new card"),
        ("cancelled_on", None, today.isoformat()),
    ]
    assert events_for(new).get(action="create").after["number"] == "NEW-1"


def test_role_grants_and_ends_are_recorded(cast, today):
    admin = cast["users"]["national_admin"]
    role = staff_role_grant(
        actor=admin, user=cast["users"]["nobody"], role=Role.OBSERVER, node=cast["nodes"]["R2"]
    )
    staff_role_end(actor=admin, staff_role=role, on=today)
    assert list(events_for(role).order_by("id").values_list("action", flat=True)) == [
        "create",
        "update",
    ]


def test_exports_are_recorded(client, cast):
    user = cast["users"]["analyst"]
    client.force_login(user)
    response = client.get(reverse("members:export"), {"status": "active"})
    b"".join(response.streaming_content)
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert (event.actor, event.object_type, event.after) == (
        user,
        "members.person",
        {"filters": {"status": "active", "format": "csv"}, "rows": 1},
    )


def test_the_orm_refuses_to_change_or_delete_an_event(cast):
    event = AuditEvent.objects.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(action="create")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.postgres_only
def test_postgresql_refuses_update_and_delete_in_the_database(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; this test runs in the PostgreSQL suite")
    from django.db.utils import DatabaseError

    for statement in (
        "UPDATE core_auditevent SET action = 'delete'",
        "DELETE FROM core_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_history_page_shows_a_members_changes_to_whoever_sees_the_member(client, cast):
    person = cast["members"]["P1"]
    member_services.member_update(
        actor=cast["users"]["regional_secretary"],
        person=person,
        person_data={"address": "Ақтау"},
        version=person.version,
    )
    client.force_login(cast["users"]["district_secretary"])
    page = client.get(reverse("members:history", args=[person.pk]))
    assert page.status_code == 200
    events = list(page.context["page"])
    assert [e.action for e in events] == ["update", "create", "create"]
    assert "Ақтау" in page.content.decode()
