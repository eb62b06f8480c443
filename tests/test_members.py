"""Registering and editing members: the rules, bad input, and two people editing at once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tamyr.core.errors import ConflictError
from tamyr.core.models import AuditEvent
from tamyr.members import services
from tamyr.members.iin import make_iin
from tamyr.members.models import Membership, MembershipStatus, Person

ALMATY = ZoneInfo("Asia/Almaty")


def person_data(**overrides):
    birth = overrides.pop("birth", date(1991, 7, 15))
    sex = overrides.pop("sex", "f")
    serial = overrides.pop("serial", 777)
    iin = next(i for s in range(serial, serial + 50) if (i := make_iin(birth, sex, s)))
    data = {
        "surname": "Құдайбергенова",
        "given_name": "Гүлнар",
        "patronymic": "Серікқызы",
        "iin": iin,
        "gender": sex,
        "birth_date": birth,
        "phone": "8 (701) 123-45-67",
        "address": "Орал қ., Досмұхамедов к-сі, 12",
        "sector": "health",
        "education": "higher",
    }
    data.update(overrides)
    return data


def form_data(ppo, **overrides):
    membership = {
        "ppo": ppo.pk,
        "admitted_on": "2024-02-01",
        "card_number": "",
        "card_issued_on": "",
    }
    for key in list(overrides):
        if key in membership:
            membership[key] = overrides.pop(key)
    data = person_data(**overrides)
    data["birth_date"] = data["birth_date"].isoformat()
    return {**data, **membership}


def test_registering_keeps_kazakh_letters_and_normalises_the_phone(cast):
    ppo = cast["nodes"]["P1"]
    person = services.member_register(
        actor=cast["users"]["district_secretary"],
        ppo=ppo,
        person_data=person_data(),
        membership_data={
            "admitted_on": date(2024, 2, 1),
            "card_number": "KZ0001",
            "card_issued_on": date(2024, 2, 10),
        },
    )
    person.refresh_from_db()
    assert person.surname == "Құдайбергенова"
    assert person.address == "Орал қ., Досмұхамедов к-сі, 12"
    assert person.phone == "+77011234567"
    assert person.ppo == ppo and person.status == MembershipStatus.ACTIVE
    assert person.search_name == "құдайбергенова гүлнар серікқызы"
    ppo.refresh_from_db()
    assert ppo.active_member_count == 2


def test_search_finds_kazakh_names_whatever_the_case(client, cast):
    services.member_register(
        actor=cast["users"]["district_secretary"],
        ppo=cast["nodes"]["P1"],
        person_data=person_data(),
        membership_data={"admitted_on": date(2024, 2, 1)},
    )
    client.force_login(cast["users"]["district_secretary"])
    for query in ("ҚҰДАЙБЕРГЕНОВА", "құдайбергенова гүлнар", "Гүлнар"):
        page = client.get(reverse("members:list"), {"q": query}).context["page"]
        assert [p.surname for p in page] == ["Құдайбергенова"], query


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("iin", {"iin": "123"}, "Ensure this value has at least 12 characters (it has 3)."),
        ("iin", {"iin": "91071540077a"}, "The IIN must be exactly 12 digits."),
        (
            "birth_date",
            {"birth_date": "1991-07-16"},
            "The birth date does not match the IIN, which gives 15.07.1991.",
        ),
        ("gender", {"gender": "m"}, "The gender does not match the IIN's 7th digit."),
        ("phone", {"phone": "12"}, "Enter a real phone number, for example +7 701 123 45 67."),
        (
            "admitted_on",
            {"admitted_on": "2026-11-23"},  # three days after the day the test runs on
            "The date cannot be in the future.",
        ),
        (
            "card_issued_on",
            {"card_number": "X1", "card_issued_on": "2024-01-01"},
            "The card cannot be issued before admission.",
        ),
    ],
)
@time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=ALMATY), tick=False)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(
    client, cast, field, overrides, message
):
    client.force_login(cast["users"]["district_secretary"])
    data = form_data(cast["nodes"]["P1"])
    data.update(overrides)
    people, events = Person.objects.count(), AuditEvent.objects.count()
    response = client.post(reverse("members:add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


def test_a_duplicate_iin_is_refused(client, cast):
    client.force_login(cast["users"]["district_secretary"])
    existing = cast["members"]["P1"]
    data = form_data(cast["nodes"]["P1"])
    data.update(
        iin=existing.iin, birth_date=existing.birth_date.isoformat(), gender=existing.gender
    )
    response = client.post(reverse("members:add"), data)
    assert response.context["form"].errors["iin"] == [
        "A person with this IIN is already registered."
    ]
    assert Person.objects.filter(iin=existing.iin).count() == 1


def test_the_duplicate_message_does_not_tell_a_former_member_from_a_current_one(client, cast):
    existing = cast["members"]["P1"]
    Person.objects.filter(pk=existing.pk).update(status=MembershipStatus.LEFT)
    client.force_login(cast["users"]["district_secretary"])
    data = form_data(cast["nodes"]["P1"])
    data.update(
        iin=existing.iin, birth_date=existing.birth_date.isoformat(), gender=existing.gender
    )
    response = client.post(reverse("members:add"), data)
    assert response.context["form"].errors["iin"] == [
        "A person with this IIN is already registered."
    ]


def test_a_card_number_clash_is_refused(client, cast):
    client.force_login(cast["users"]["district_secretary"])
    taken = cast["members"]["P3"].cards.get().number  # issued in another region
    data = form_data(cast["nodes"]["P1"], card_number=taken, card_issued_on="2024-02-02")
    response = client.post(reverse("members:add"), data)
    assert response.context["form"].errors["card_number"] == [
        "This membership card number is already issued."
    ]
    assert not Person.objects.filter(iin=data["iin"]).exists()


def test_a_ppo_outside_the_subtree_is_refused(client, cast):
    client.force_login(cast["users"]["district_secretary"])
    data = form_data(cast["nodes"]["P2"])
    response = client.post(reverse("members:add"), data)
    assert response.context["form"].errors["ppo"] == [
        "This primary organisation is not in your subtree or is closed."
    ]
    assert not Person.objects.filter(iin=data["iin"]).exists()


def test_errors_are_in_the_users_language(client, cast):
    client.force_login(cast["users"]["district_secretary"])
    data = form_data(cast["nodes"]["P2"], iin="91071540077a")
    response = client.post(reverse("members:add"), data, HTTP_ACCEPT_LANGUAGE="kk")
    page = response.content.decode()
    assert "ЖСН дәл 12 цифрдан тұруы керек." in page
    assert "Бұл бастауыш партия ұйымы сізге қолжетімді құрылымға кірмейді немесе жабылған." in page
    with translation.override("ru"):
        errors = client.post(reverse("members:add"), data, HTTP_ACCEPT_LANGUAGE="ru")
        assert "ИИН" in errors.context["form"].errors["iin"][0]


def test_a_second_current_membership_is_refused_by_the_database(cast):
    person = cast["members"]["P1"]
    with pytest.raises(Exception) as exc:
        Membership.objects.create(
            person=person,
            ppo=cast["nodes"]["P2"],
            status=MembershipStatus.ACTIVE,
            admitted_on=date(2024, 1, 1),
            started_on=date(2024, 1, 1),
        )
    assert "one_current_membership_per_person" in str(exc.value) or "UNIQUE" in str(exc.value)


def test_two_people_editing_one_member_the_second_gets_a_conflict(client, cast):
    person = cast["members"]["P1"]
    secretary, regional = cast["users"]["district_secretary"], cast["users"]["regional_secretary"]
    read_version = person.version
    services.member_update(
        actor=secretary, person=person, person_data={"address": "First"}, version=read_version
    )
    with pytest.raises(ConflictError):
        services.member_update(
            actor=regional, person=person, person_data={"address": "Second"}, version=read_version
        )
    person.refresh_from_db()
    assert person.address == "First"
    assert person.version == read_version + 1


def test_the_conflict_is_shown_in_the_form_and_keeps_the_first_edit(client, cast):
    person = cast["members"]["P1"]
    client.force_login(cast["users"]["district_secretary"])
    form = client.get(reverse("members:edit", args=[person.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["birth_date"] = person.birth_date.isoformat()
    services.member_update(
        actor=cast["users"]["regional_secretary"],
        person=person,
        person_data={"address": "Saved first"},
        version=person.version,
    )
    data["address"] = "Saved second"
    response = client.post(reverse("members:edit", args=[person.pk]), data)
    assert response.status_code == 409
    assert "Someone else has changed this record" in response.content.decode()
    person.refresh_from_db()
    assert person.address == "Saved first"


# A fixed day: "29 years ago" has no date on 29 February.
@time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=ALMATY), tick=False)
def test_youth_flag_follows_the_age_setting(cast, settings):
    person = cast["members"]["P1"]
    person.birth_date = date(1997, 11, 19)  # 29 since yesterday
    assert person.age == 29 and person.is_youth
    settings.TAMYR_YOUTH_MAX_AGE = 28
    assert not person.is_youth


def test_deleting_a_record_keeps_it_in_the_audit_log(cast):
    person = services.member_register(
        actor=None,
        ppo=cast["nodes"]["P1"],
        person_data=person_data(),
        membership_data={
            "admitted_on": date(2024, 1, 1),
            "card_number": "DEL-1",
            "card_issued_on": date(2024, 1, 2),
        },
    )
    pk, iin = person.pk, person.iin
    services.member_delete(actor=cast["users"]["national_admin"], person=person)
    assert not Person.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(object_type="members.person", object_id=str(pk), action="delete")
    assert event.before["iin"] == iin
    assert event.actor == cast["users"]["national_admin"]
    card_event = AuditEvent.objects.get(
        object_type="members.membershipcard", action="delete", before__number="DEL-1"
    )
    assert card_event.before["person_id"] == pk


def test_a_record_with_a_discipline_case_is_history_and_cannot_be_deleted(cast):
    person = cast["members"]["P1"]
    with pytest.raises(ValidationError) as exc:
        services.member_delete(actor=None, person=person)
    assert exc.value.messages == [
        "This record has discipline cases or awards: it is history, not a mistake."
    ]
    assert Person.objects.filter(pk=person.pk).exists()


def test_service_refuses_a_closed_or_non_ppo_node(cast):
    with pytest.raises(ValidationError) as exc:
        services.member_register(
            actor=None,
            ppo=cast["nodes"]["D1"],
            person_data=person_data(),
            membership_data={"admitted_on": date(2024, 1, 1)},
        )
    assert exc.value.message_dict == {"ppo": ["Choose an open primary organisation."]}


def test_the_admin_applies_the_same_iin_rules(client, cast):
    from django.contrib.auth import get_user_model

    person = cast["members"]["P1"]
    client.force_login(get_user_model().objects.get(username="root"))
    url = reverse("admin:members_person_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(
        birth_date="1970-01-01",
        **{"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["birth_date"][0]
        .startswith("The birth date does not match the IIN")
    )
