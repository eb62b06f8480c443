"""The REST API: token auth, the same scoping and rules as the pages, clear errors, conflicts."""

from datetime import date

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tamyr.members.iin import make_iin


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_token_auth_lists_only_the_subtree(cast):
    client = token_client(cast["users"]["district_secretary"])
    response = client.get(reverse("api:member-list"))
    assert response.status_code == 200
    assert [row["iin"] for row in response.json()["results"]] == [cast["members"]["P1"].iin]


def test_filters_by_node_status_and_search(cast):
    client = token_client(cast["users"]["national_admin"])
    r1 = cast["nodes"]["R1"]
    rows = client.get(reverse("api:member-list"), {"node": r1.pk, "status": "active"}).json()
    assert rows["count"] == 3
    rows = client.get(reverse("api:member-list"), {"q": "сейітов4"}).json()
    assert [r["ppo"] for r in rows["results"]] == [cast["nodes"]["P3"].pk]
    kinds = client.get(reverse("api:node-list"), {"kind": "district"}).json()
    assert sorted(r["code"] for r in kinds["results"]) == ["D1", "D2", "D3"]
    children = client.get(reverse("api:node-list"), {"parent": r1.pk}).json()
    assert sorted(r["code"] for r in children["results"]) == ["D1", "D2", "PR1"]


def test_bad_member_is_refused_field_by_field_in_the_callers_language(cast):
    client = token_client(cast["users"]["district_secretary"])
    iin = make_iin(date(1990, 1, 1), "m", 11)
    response = client.post(
        reverse("api:member-list"),
        {
            "surname": "Әлиев",
            "given_name": "Нұрлан",
            "iin": iin,
            "gender": "f",
            "birth_date": "1990-01-02",
            "sector": "health",
            "education": "higher",
            "ppo": cast["nodes"]["P1"].pk,
            "admitted_on": "2024-01-01",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["gender"] == ["Пол не соответствует 7-й цифре ИИН."]
    assert set(body) == {"gender", "birth_date"}


def test_member_in_a_ppo_outside_the_subtree_is_refused(cast):
    client = token_client(cast["users"]["district_secretary"])
    iin = make_iin(date(1990, 1, 1), "m", 12)
    response = client.post(
        reverse("api:member-list"),
        {
            "surname": "Әлиев",
            "given_name": "Нұрлан",
            "iin": iin,
            "gender": "m",
            "birth_date": "1990-01-01",
            "sector": "health",
            "education": "higher",
            "ppo": cast["nodes"]["P3"].pk,
            "admitted_on": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "ppo": ["This primary organisation is not in your subtree or is closed."]
    }


def test_a_stale_update_gets_409_and_changes_nothing(cast):
    client = token_client(cast["users"]["district_secretary"])
    person = cast["members"]["P1"]
    url = reverse("api:member-detail", args=[person.pk])
    first = client.patch(url, {"address": "Бірінші", "version": person.version}, format="json")
    assert first.status_code == 200 and first.json()["version"] == person.version + 1
    second = client.patch(url, {"address": "Екінші", "version": person.version}, format="json")
    assert second.status_code == 409
    assert client.get(url).json()["address"] == "Бірінші"


def test_an_update_without_a_version_is_refused(cast):
    client = token_client(cast["users"]["district_secretary"])
    person = cast["members"]["P1"]
    response = client.patch(
        reverse("api:member-detail", args=[person.pk]), {"address": "X"}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["version"]


def test_moving_a_member_is_not_an_edit(cast):
    client = token_client(cast["users"]["regional_secretary"])
    person = cast["members"]["P1"]
    response = client.patch(
        reverse("api:member-detail", args=[person.pk]),
        {"ppo": cast["nodes"]["P2"].pk, "version": person.version},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "ppo": ["Moving a member to another PPO is a transfer, not an edit."]
    }


def test_schema_describes_nodes_and_members(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/nodes/",
        "/api/v1/nodes/{id}/",
        "/api/v1/members/",
        "/api/v1/members/{id}/",
    } <= paths


def test_a_parent_outside_the_subtree_is_not_named(cast):
    client = token_client(cast["users"]["district_secretary"])
    d1, p1 = cast["nodes"]["D1"], cast["nodes"]["P1"]
    assert client.get(reverse("api:node-detail", args=[d1.pk])).json()["parent_id"] is None
    assert client.get(reverse("api:node-detail", args=[p1.pk])).json()["parent_id"] == d1.pk
    rows = client.get(reverse("api:node-list")).json()["results"]
    assert sorted((r["code"], r["parent_id"]) for r in rows) == [("D1", None), ("P1", d1.pk)]
