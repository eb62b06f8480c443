"""Regressions for what the access reviews found: each test is one way data could leak or a
rule could be bypassed."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tamyr.members import discipline, lifecycle
from tamyr.members.awards import conferral_create
from tamyr.members.models import Application, AwardType, DisciplineCase, MembershipEvent, Person
from tamyr.orgs.services import node_close


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_open_cases_follow_a_transferred_member(client, cast, today):
    person = cast["members"]["P1"]
    case = DisciplineCase.objects.get(person=person)
    lifecycle.member_transfer(
        actor=cast["users"]["regional_secretary"],
        person=person,
        to_ppo=cast["nodes"]["P2"],
        on=today,
    )
    case.refresh_from_db()
    assert case.ppo.code == "P2"
    client.force_login(cast["users"]["control_commission"])  # D1's commission
    assert client.get(reverse("members:case", args=[case.pk])).status_code == 404


def test_a_case_left_behind_cannot_expel(cast, today):
    person = cast["members"]["P1"]
    case = DisciplineCase.objects.get(person=person)
    DisciplineCase.objects.filter(pk=case.pk).update(ppo=cast["nodes"]["P2"])
    with pytest.raises(ValidationError) as exc:
        discipline.case_decide(
            actor=None,
            case=case,
            version=case.version,
            decided_on=today,
            outcome="penalty",
            penalty="expulsion",
            protocol_number="3",
        )
    assert exc.value.messages == ["The member is no longer registered where the case was opened."]
    assert Person.objects.get(pk=person.pk).status == "active"


def test_the_timeline_names_the_decision_not_the_grounds(cast, today):
    person = cast["members"]["P1"]
    case = DisciplineCase.objects.get(person=person)
    discipline.case_decide(
        actor=None,
        case=case,
        version=case.version,
        decided_on=today,
        outcome="penalty",
        penalty="expulsion",
        protocol_number="31",
    )
    event = MembershipEvent.objects.get(person=person, kind="expelled")
    assert event.reason == "decision of the Party Control Commission, protocol № 31"
    assert case.grounds not in event.reason


def test_an_application_shows_current_data_only_to_who_may_see_the_person(cast, today):
    application = Application.objects.get(ppo__code="P1")
    lifecycle.application_admit(
        actor=None,
        application=application,
        decided_on=today,
        decision_body="ppo_meeting",
        protocol_number="1",
    )
    person = application.person
    lifecycle.member_transfer(actor=None, person=person, to_ppo=cast["nodes"]["P2"], on=today)
    body = (
        api(cast["users"]["district_secretary"])
        .get(reverse("api:application-detail", args=[application.pk]))
        .json()
    )
    assert body["applicant"] == {"id": person.pk, "full_name": person.full_name}
    own = (
        api(cast["users"]["regional_secretary"])
        .get(reverse("api:application-detail", args=[application.pk]))
        .json()
    )
    assert own["applicant"]["member"]["ppo"] == cast["nodes"]["P2"].pk


def test_an_award_names_only_members_of_the_conferring_branch(cast, today):
    badge = AwardType.objects.get(code="active-work-badge")
    with pytest.raises(ValidationError) as exc:
        conferral_create(
            actor=None,
            node=cast["nodes"]["D1"],
            data={
                "award": badge,
                "person": cast["members"]["P2"],
                "conferred_on": today,
                "conferring_body": "Бюро",
                "reason": "x",
            },
        )
    assert exc.value.message_dict["person"] == [
        "The member is not registered under the conferring branch."
    ]


def test_a_former_member_seen_but_not_managed_is_not_taken_over(client, cast, today):
    from tamyr.orgs.models import Role
    from tamyr.orgs.services import staff_role_grant

    user = cast["users"]["district_secretary"]
    staff_role_grant(actor=None, user=user, role=Role.OBSERVER, node=cast["nodes"]["R1"])
    former = cast["members"]["P2"]
    lifecycle.membership_change(
        actor=None, person=former, action="leave", on=today - timedelta(days=30)
    )
    client.force_login(user)
    response = client.post(
        reverse("members:application_new"),
        {"iin": former.iin, "ppo": cast["nodes"]["P1"].pk, "applied_on": today.isoformat()},
    )
    # Not recognised as theirs to readmit: the form wants a whole new person, nothing moves.
    assert response.status_code == 200
    assert "surname" in response.context["form"].errors
    assert Person.objects.get(pk=former.pk).ppo.code == "P2"
    assert not Application.objects.filter(person=former).exists()


def test_a_closed_ppo_takes_no_new_members(cast, today):
    from tamyr.orgs.models import NodeKind
    from tamyr.orgs.services import node_create

    ppo = node_create(
        actor=None,
        parent=cast["nodes"]["D1"],
        data={"kind": NodeKind.PRIMARY, "code": "SOON-SHUT", "name_kk": "Жабылатын БПҰ"},
    )
    person = Application.objects.get(ppo__code="P1").person
    application = Application.objects.create(
        person=Person.objects.create(
            surname="Тест",
            given_name="Тест",
            iin="000000000000",
            gender="m",
            birth_date=date(1990, 1, 1),
            sector="other",
            education="higher",
            ppo=ppo,
        ),
        ppo=ppo,
        applied_on=today,
    )
    with pytest.raises(ValidationError) as exc:
        node_close(actor=None, node=ppo)
    assert exc.value.messages == ["Decide its pending applications first."]
    type(ppo).objects.filter(pk=ppo.pk).update(closed_on=today)
    with pytest.raises(ValidationError) as exc:
        lifecycle.application_admit(
            actor=None,
            application=application,
            decided_on=today,
            decision_body="ppo_meeting",
            protocol_number="1",
        )
    assert exc.value.messages == ["The primary organisation has been closed since the application."]
    assert person.status == ""


def test_an_overturned_expulsion_after_readmission_is_still_recorded(cast, today):
    person = cast["members"]["P1"]
    case = DisciplineCase.objects.get(person=person)
    case = discipline.case_decide(
        actor=None,
        case=case,
        version=case.version,
        decided_on=today - timedelta(days=60),
        outcome="penalty",
        penalty="expulsion",
        protocol_number="4",
    )
    case = discipline.case_appeal(
        actor=None, case=case, version=case.version, filed_on=today - timedelta(days=50)
    )
    application = lifecycle.application_submit(
        actor=None, person=person, ppo=cast["nodes"]["P1"], applied_on=today - timedelta(days=20)
    )
    lifecycle.application_admit(
        actor=None,
        application=application,
        decided_on=today - timedelta(days=10),
        decision_body="ppo_meeting",
        protocol_number="8",
    )
    case = discipline.case_appeal_decide(
        actor=None, case=case, version=case.version, decided_on=today, outcome="overturned"
    )
    assert (case.status, case.final_penalty) == ("closed", "")
    assert person.memberships.filter(status="active").count() == 1


def test_an_import_says_nothing_about_a_card_of_someone_outside(cast, tmp_path):
    from tests.test_import import HEADER_EN, row, run

    other = cast["members"]["P3"]
    their_card = other.cards.get().number
    shared = {
        "iin": other.iin,
        "birth": other.birth_date.strftime("%d.%m.%Y"),
        "gender": other.gender,
    }
    for card in (their_card, "C0000002"):
        path = tmp_path / f"{card}.csv"
        path.write_text(
            "\n".join([HEADER_EN, row(1, card=card, **shared)]) + "\n", encoding="utf-8"
        )
        job = run(cast, path, mode="good")
        assert [(p.column, p.message) for p in job.problems.all()] == [
            ("IIN", "A person with this IIN is already registered.")
        ]
