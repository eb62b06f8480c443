"""Who is offered as an executor or controller, and in the list's executor filter."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from tamyr.orgs import access
from tamyr.orgs.models import NodeKind, Role
from tamyr.orgs.services import node_close, node_create, staff_role_grant
from tests.clock import A_WORKING_MORNING

# Its data carries fixed dates: they keep their distance from "today" on every day it runs.
pytestmark = pytest.mark.time_machine(A_WORKING_MORNING, tick=False)


def test_staff_whose_only_appeal_role_is_at_a_closed_branch_are_not_offered(cast):
    admin = cast["users"]["national_admin"]
    branch = node_create(
        actor=admin,
        parent=cast["nodes"]["R1"],
        data={
            "kind": NodeKind.DISTRICT,
            "code": "D9",
            "name_en": "D9",
            "opened_on": date(2020, 1, 1),
        },
    )
    user = get_user_model().objects.create_user(
        "closing_secretary", first_name="Дана", last_name="Жабық"
    )
    staff_role_grant(actor=admin, user=user, role=Role.SECRETARY, node=branch)
    regional = cast["users"]["regional_secretary"]
    assert user.pk in {pk for pk, _ in access.appeal_staff_menu(regional)}
    node_close(actor=admin, node=branch)
    regional = get_user_model().objects.get(pk=regional.pk)  # a new request
    assert user.pk not in {pk for pk, _ in access.appeal_staff_menu(regional)}
    assert user not in access.staff_for_appeals(cast["nodes"]["R1"])
