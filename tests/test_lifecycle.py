"""A member's life in the party: application, admission, card, transfer, suspension, exit,
death, readmission; and party responsibility and awards."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tamyr.members import discipline, lifecycle
from tamyr.members.awards import ceremony_create, conferral_create
from tamyr.members.iin import make_iin
from tamyr.members.models import (
    Application,
    AwardType,
    DisciplineCase,
    Membership,
    MembershipEvent,
    Person,
)
from tamyr.members.selectors import discipline_counts
from tamyr.orgs.models import Node


def new_person(serial=900, sex="m", birth=date(1990, 3, 3)):
    iin = next(i for s in range(serial, serial + 50) if (i := make_iin(birth, sex, s)))
    return {
        "surname": "Ержанов",
        "given_name": "Дәулет",
        "patronymic": "",
        "iin": iin,
        "gender": sex,
        "birth_date": birth,
        "phone": "",
        "address": "",
        "sector": "industry",
        "education": "vocational",
    }


def kinds(person):
    return list(
        MembershipEvent.objects.filter(person=person)
        .order_by("on", "id")
        .values_list("kind", flat=True)
    )


def test_application_admission_and_card(cast, today):
    secretary, p1 = cast["users"]["district_secretary"], cast["nodes"]["P1"]
    application = lifecycle.application_submit(
        actor=secretary, ppo=p1, person_data=new_person(), applied_on=today - timedelta(days=20)
    )
    person = application.person
    assert (person.status, person.ppo) == ("", p1)
    membership = lifecycle.application_admit(
        actor=secretary,
        application=application,
        decided_on=today - timedelta(days=5),
        decision_body="ppo_meeting",
        protocol_number="14",
    )
    assert (membership.entry, membership.status, membership.admission_protocol) == (
        "admission",
        "active",
        "14",
    )
    lifecycle.card_issue(
        actor=secretary, person=person, number="KZ-777", issued_on=today, issued_by="Ахметов Е."
    )
    person.refresh_from_db()
    assert person.status == "active"
    assert kinds(person) == ["admitted", "card_issued"]
    assert Node.objects.get(pk=p1.pk).active_member_count == 2
    with pytest.raises(ValidationError) as exc:
        lifecycle.application_admit(
            actor=secretary,
            application=application,
            decided_on=today,
            decision_body="ppo_meeting",
            protocol_number="15",
        )
    assert exc.value.messages == ["This application has already been decided."]


def test_a_refusal_needs_its_reason_and_a_decision_its_protocol(cast, today):
    application = Application.objects.get(ppo__code="P1")
    with pytest.raises(ValidationError) as exc:
        lifecycle.application_reject(
            actor=None,
            application=application,
            decided_on=today,
            decision_body="",
            protocol_number=" ",
            reason="",
        )
    assert exc.value.message_dict == {
        "decision_body": ["Say which body took the decision."],
        "protocol_number": ["Give the number of the protocol."],
        "reason": ["Give the reason for the refusal."],
    }
    assert Application.objects.get(pk=application.pk).status == "pending"


def test_transfer_moves_the_member_and_the_counts_and_keeps_seniority_and_card(cast, today):
    regional = cast["users"]["regional_secretary"]
    person, p1, p2 = cast["members"]["P1"], cast["nodes"]["P1"], cast["nodes"]["P2"]
    lifecycle.membership_change(actor=regional, person=person, action="suspend", on=today)
    new = lifecycle.member_transfer(
        actor=regional, person=person, to_ppo=p2, on=today, reason="moved to Saryarka"
    )
    old = Membership.objects.get(person=person, ppo=p1)
    assert (old.status, old.ended_on) == ("transferred", today)
    assert (new.status, new.entry, new.admitted_on, new.started_on) == (
        "suspended",
        "transfer",
        old.admitted_on,
        today,
    )
    person.refresh_from_db()
    assert person.ppo == p2 and person.cards.get().cancelled_on is None
    assert (
        Node.objects.get(pk=p1.pk).active_member_count,
        Node.objects.get(pk=p2.pk).active_member_count,
    ) == (0, 1)
    event = MembershipEvent.objects.get(person=person, kind="transferred")
    assert (event.ppo, event.other_ppo, event.reason) == (p1, p2, "moved to Saryarka")


def test_a_district_secretary_cannot_transfer_outside_the_district(client, cast, today):
    person, p2 = cast["members"]["P1"], cast["nodes"]["P2"]
    client.force_login(cast["users"]["district_secretary"])
    url = reverse("members:step", args=[person.pk, "transfer"])
    offered = client.get(url).context["form"].fields["to_ppo"].queryset
    assert list(offered) == []
    response = client.post(url, {"on": today.isoformat(), "to_ppo": p2.pk})
    assert response.context["form"].errors["to_ppo"] == [
        "This primary organisation is not in your subtree or is closed."
    ]


def test_status_moves_follow_the_table(cast, today):
    person = cast["members"]["P1"]
    with pytest.raises(ValidationError) as exc:
        lifecycle.membership_change(actor=None, person=person, action="resume", on=today)
    assert exc.value.messages == ["This step is not possible for the member's current status."]
    with pytest.raises(ValidationError) as exc:
        lifecycle.membership_change(actor=None, person=person, action="expel", on=today)
    assert exc.value.messages == ["Expulsion is only by a decision in a discipline case."]
    with pytest.raises(ValidationError) as exc:
        lifecycle.membership_change(
            actor=None, person=person, action="leave", on=today + timedelta(days=1)
        )
    assert exc.value.message_dict == {"on": ["The date cannot be in the future."]}
    lifecycle.membership_change(
        actor=None, person=person, action="leave", on=today, reason="own wish"
    )
    person.refresh_from_db()
    assert person.status == "left"
    assert person.cards.get().cancel_reason == "left the party"
    assert lifecycle.allowed_steps(person) == []


def test_a_former_member_is_readmitted_on_the_same_record(client, cast, today):
    person = cast["members"]["P1"]
    lifecycle.membership_change(
        actor=None, person=person, action="leave", on=today - timedelta(days=400)
    )
    client.force_login(cast["users"]["district_secretary"])
    response = client.post(
        reverse("members:application_new"),
        {"iin": person.iin, "ppo": cast["nodes"]["P1"].pk, "applied_on": today.isoformat()},
    )
    assert response.status_code == 302
    application = Application.objects.filter(person=person).get()
    membership = lifecycle.application_admit(
        actor=None,
        application=application,
        decided_on=today,
        decision_body="branch_bureau",
        protocol_number="3",
    )
    assert membership.entry == "readmission"
    assert Person.objects.filter(iin=person.iin).count() == 1
    assert kinds(person)[-1] == "readmitted"


def test_death_ends_the_membership(cast, today):
    person = cast["members"]["P3"]
    lifecycle.membership_change(actor=None, person=person, action="death", on=today)
    person.refresh_from_db()
    assert person.status == "deceased"
    with pytest.raises(ValidationError):
        lifecycle.application_submit(
            actor=None, person=person, ppo=cast["nodes"]["P3"], applied_on=today
        )


def test_expulsion_by_decision_and_its_reversal_on_appeal(cast, today):
    commission = cast["users"]["control_commission"]
    person = cast["members"]["P1"]
    case = DisciplineCase.objects.get(person=person)
    case = discipline.case_decide(
        actor=commission,
        case=case,
        version=case.version,
        decided_on=today,
        outcome="penalty",
        penalty="expulsion",
        protocol_number="9",
    )
    person.refresh_from_db()
    assert person.status == "expelled" and person.cards.get().cancelled_on == today
    case = discipline.case_appeal(actor=commission, case=case, version=case.version, filed_on=today)
    case = discipline.case_appeal_decide(
        actor=commission,
        case=case,
        version=case.version,
        decided_on=today,
        outcome="changed",
        new_penalty="severe_reprimand",
    )
    person.refresh_from_db()
    assert (case.status, case.final_penalty, person.status) == (
        "closed",
        "severe_reprimand",
        "active",
    )
    assert kinds(person)[-3:] == ["expelled", "card_cancelled", "resumed"]


def test_a_stale_decision_is_refused(cast, today):
    from tamyr.core.errors import ConflictError

    case = DisciplineCase.objects.get(person=cast["members"]["P1"])
    stale = case.version
    discipline.case_decide(
        actor=None,
        case=case,
        version=stale,
        decided_on=today,
        outcome="no_penalty",
        protocol_number="1",
    )
    with pytest.raises(ConflictError):
        discipline.case_close(actor=None, case=case, version=stale)


def test_discipline_figures_equal_direct_counts(cast, today):
    commission = cast["users"]["control_commission"]
    national = cast["users"]["national_admin"]
    for code, penalty in (("P1", "reprimand"), ("P2", "warning"), ("P3", "expulsion")):
        case = DisciplineCase.objects.get(person=cast["members"][code])
        discipline.case_decide(
            actor=national,
            case=case,
            version=case.version,
            decided_on=today,
            outcome="penalty",
            penalty=penalty,
            protocol_number="5",
        )
    start, end = today - timedelta(days=1), today
    hq = cast["nodes"]["HQ"]
    figures = discipline_counts(user=national, node=hq, start=start, end=end)
    direct = DisciplineCase.objects.filter(decided_on__range=(start, end)).exclude(final_penalty="")
    assert (
        figures["members_brought_to_responsibility"]
        == direct.values("person").distinct().count()
        == 3
    )
    assert dict(figures["by_penalty"])["expulsion from the party"] == 1
    # The district's commission sees only its own part: one case, in D1.
    own = discipline_counts(user=commission, node=cast["nodes"]["D1"], start=start, end=end)
    assert own["members_brought_to_responsibility"] == 1


def test_awards_to_members_and_citizens_and_the_printable_list(client, cast, today):
    secretary = cast["users"]["district_secretary"]
    p1 = cast["nodes"]["P1"]
    ceremony = ceremony_create(
        actor=secretary, node=p1, data={"held_on": today, "title": "Тәуелсіздік күні"}
    )
    badge = AwardType.objects.get(code="active-work-badge")
    conferral_create(
        actor=secretary,
        node=p1,
        data={
            "award": badge,
            "person": cast["members"]["P1"],
            "conferred_on": today,
            "conferring_body": "Бюро",
            "reason": "Белсенді жұмысы үшін",
            "ceremony": ceremony,
        },
    )
    with pytest.raises(ValidationError) as exc:
        conferral_create(
            actor=secretary,
            node=p1,
            data={
                "award": badge,
                "person": cast["members"]["P1"],
                "citizen_name": "Someone",
                "conferred_on": today,
                "conferring_body": "Бюро",
                "reason": "x",
            },
        )
    assert list(exc.value.message_dict) == ["citizen_name"]
    client.force_login(secretary)
    page = client.get(reverse("members:ceremony", args=[ceremony.pk]), HTTP_ACCEPT_LANGUAGE="kk")
    text = page.content.decode()
    assert "«Белсенді жұмысы үшін» төсбелгісі" in text and "Сейітов2 Ерлан" in text


def test_a_member_outside_the_subtree_cannot_be_named_for_an_award(client, cast, today):
    client.force_login(cast["users"]["district_secretary"])
    badge = AwardType.objects.get(code="active-work-badge")
    response = client.post(
        reverse("members:conferral_new"),
        {
            "node": cast["nodes"]["P1"].pk,
            "award": badge.pk,
            "member_iin": cast["members"]["P3"].iin,
            "conferred_on": today.isoformat(),
            "conferring_body": "Бюро",
            "reason": "x",
        },
    )
    assert response.context["form"].errors["member_iin"] == [
        "No member with this IIN in your subtree."
    ]


def test_lifecycle_steps_through_the_api(cast, today):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    user = cast["users"]["district_secretary"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    person = cast["members"]["P1"]
    url = reverse("api:member-step", args=[person.pk, "card"])
    response = client.post(
        url, {"number": "C0000001", "issued_on": today.isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"number": ["This membership card number is already issued."]}
    response = client.post(url, {"number": "API-9", "issued_on": today.isoformat()}, format="json")
    assert response.status_code == 200
    events = client.get(reverse("api:member-events", args=[person.pk])).json()
    assert [e["kind"] for e in events][:2] == ["card_issued", "card_cancelled"]
