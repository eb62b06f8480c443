"""A record's history reads as people read it: names, labels and values in their language."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from tamyr.appeals import services
from tamyr.appeals.models import Topic
from tamyr.members.lifecycle import member_transfer

ALMATY = ZoneInfo("Asia/Almaty")


def _page(user, url, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["tamyr_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response


def _rows(response):
    """Return the (field, before, after) rows of every change table, newest event first."""
    return [[(e.event.action, *row) for row in e.changes] for e in response.context["entries"]]


@time_machine.travel(datetime(2026, 11, 3, 10, 0, tzinfo=ALMATY), tick=False)
def test_an_appeals_history_names_people_and_speaks_the_readers_language(cast):
    operator, secretary = cast["users"]["reception_operator"], cast["users"]["district_secretary"]
    operator.first_name, operator.last_name = "Айгүл", "Серікова"
    operator.save()
    secretary.first_name, secretary.last_name = "Нұрлан", "Әбенов"
    secretary.save()
    appeal, _secret = services.appeal_receive(
        actor=operator,
        channel="call_centre",
        topic=Topic.objects.get(code="housing"),
        node=cast["nodes"]["D1"],
        citizen_name="Әсел Қайратқызы",
        contact="+7 701 555 44 33",
        text="Ауламызда жарық жоқ.",
        received_at=datetime(2026, 11, 2, 10, tzinfo=ALMATY),
    )
    appeal = services.appeal_move(
        actor=operator,
        appeal=appeal,
        version=appeal.version,
        action="assign",
        executor=secretary,
        controller=operator,
    )
    url = reverse("appeals:history", args=[appeal.pk])
    assign = _rows(_page(cast["users"]["national_admin"], url))[0]
    assert ("update", "Executor", "—", "Нұрлан Әбенов") in assign
    assert ("update", "Controller", "—", "Айгүл Серікова") in assign
    assert ("update", "Status", "registered", "in work") in assign
    assert not any(field in {"executor_id", "controller_id", "version"} for _, field, *_ in assign)
    received = _rows(_page(cast["users"]["national_admin"], url, "ru"))[1]
    for row in (
        ("create", "Тема", "—", "ЖКХ и жильё"),
        ("create", "Канал поступления", "—", "колл-центр"),
        ("create", "Дата и время поступления", "—", "02.11.2026 10:00"),
        ("create", "Срок ответа", "—", "23.11.2026"),
        ("create", "Кем принято", "—", "Айгүл Серікова"),
        ("create", "Статус", "—", "зарегистрировано"),
    ):
        assert row in received
    # A field empty before and after (no outcome yet) is no change.
    assert not [row for row in received if row[2] == row[3]]


def test_a_members_history_names_the_branches_it_lived_in(cast):
    person = cast["members"]["P1"]
    member_transfer(
        actor=cast["users"]["regional_secretary"],
        person=person,
        to_ppo=cast["nodes"]["P2"],
        on=date(2026, 11, 2),
        reason="Moved house",
    )
    url = reverse("members:history", args=[person.pk])
    page = _page(cast["users"]["district_b_secretary"], url)
    ppos = [row for rows in _rows(page) for row in rows if row[1] == "Primary organisation"]
    # The new registration in P2, then the first one in P1 (created, then its PPO recorded).
    assert ppos == [
        ("create", "Primary organisation", "—", "P2 unit"),
        ("create", "Primary organisation", "—", "P1 unit"),
        ("create", "Primary organisation", "—", "P1 unit"),
    ]


def test_no_id_in_a_history_is_written_as_a_figure(cast):
    person = cast["members"]["P1"]
    page = _page(cast["users"]["national_admin"], reverse("members:history", args=[person.pk]))
    html = page.content.decode()
    assert not re.search(r"\d(?:\xa0|&nbsp;|,)\d{3}", html)


@time_machine.travel(datetime(2026, 11, 3, 10, 0, tzinfo=ALMATY), tick=False)
def test_a_history_does_not_link_to_an_appeal_the_reader_may_not_see(cast):
    citizen = {
        "actor": cast["users"]["national_admin"],
        "channel": "letter",
        "topic": Topic.objects.get(code="housing"),
        "citizen_name": "Әсел Қайратқызы",
        "contact": "+7 701 555 44 33",
        "text": "Ауламызда жарық жоқ, үш ай бойы жөндемейді.",
    }
    earlier, _ = services.appeal_receive(**citizen, node=cast["nodes"]["D2"])
    later, _ = services.appeal_receive(**citizen, node=cast["nodes"]["D1"])
    assert later.possible_duplicate_of == earlier  # the same citizen, the same region
    page = _page(cast["users"]["district_secretary"], reverse("appeals:history", args=[later.pk]))
    fields = {row[1] for rows in _rows(page) for row in rows}
    assert "Possibly repeats" not in fields
    assert earlier.number not in page.content.decode()


def test_a_note_that_names_no_field_is_no_change(cast):
    from tamyr.core.audit import audit_event

    node = cast["nodes"]["D1"]
    audit_event(
        actor=None,
        action="create",
        obj=node,
        node_path=node.path,
        after={"generated": "demo", "people": 1234},
    )
    page = _page(cast["users"]["national_admin"], reverse("orgs:history", args=[node.pk]))
    assert _rows(page)[0] == []
    assert "generated" not in page.content.decode()


def test_generated_ppos_have_street_addresses():
    from tamyr.core.generator.nation import STREETS, ppo_address

    address = ppo_address("AST-03-P01")
    street, number = address.rsplit(", ", 1)
    assert street in STREETS and 1 <= int(number) <= 120
    assert ppo_address("AST-03-P01") == address  # drawn from the code, the same every time


def test_a_figure_in_a_history_is_written_as_the_reader_writes_figures(cast):
    from tamyr.core.audit import audit_event

    node = cast["nodes"]["P1"]
    audit_event(
        actor=None,
        action="update",
        obj=node,
        node_path=node.path,
        before={"active_member_count": 1234},
        after={"active_member_count": 78862},
    )
    url = reverse("orgs:history", args=[node.pk])
    assert _rows(_page(cast["users"]["national_admin"], url))[0] == [
        ("update", "Active members", "1,234", "78,862")
    ]
    assert _rows(_page(cast["users"]["national_admin"], url, "kk"))[0][0][2:] == (
        "1\xa0234",
        "78\xa0862",
    )
