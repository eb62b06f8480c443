"""Appeals over REST and Open311 GeoReport v2: the same services, scoping and limits."""

from django.urls import reverse

from tamyr.appeals.models import Appeal, ReceptionFormat


def test_a_citizen_sends_and_follows_an_appeal_through_the_api(client, cast):
    response = client.post(
        reverse("api:public-appeal"),
        {
            "citizen_name": "Жанар Төлеуқызы",
            "contact": "+7 701 321 00 11",
            "region": "R1",
            "topic": "social",
            "text": "Зейнетақы есептелмей жатыр.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "registered" and body["tracking_code"]
    tracked = client.post(
        reverse("api:public-track"),
        {"number": body["number"], "tracking_code": body["tracking_code"]},
        content_type="application/json",
    )
    assert tracked.status_code == 200
    assert set(tracked.json()) == {
        "number", "received_at", "topic", "status", "due_on", "extended", "outcome",
        "closed_on", "answer",
    }  # fmt: skip
    wrong = client.post(
        reverse("api:public-track"),
        {"number": body["number"], "tracking_code": "WRONG-CODE2"},
        content_type="application/json",
    )
    assert wrong.status_code == 403


def test_staff_register_and_move_appeals_in_their_subtree(client, cast):
    client.force_login(cast["users"]["reception_operator"])
    created = client.post(
        reverse("api:appeal-list"),
        {
            "channel": "call_centre",
            "topic": "roads",
            "node": cast["nodes"]["D1"].pk,
            "citizen_name": "Қанат",
            "contact": "+7 702 000 11 22",
            "text": "Жол жөндеуі керек.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    appeal = created.json()
    assert appeal["tracking_code"] and appeal["appeal_type"] == "appeal"
    move = reverse("api:appeal-move", args=[appeal["id"]])
    assigned = client.post(
        move,
        {
            "action": "assign",
            "version": appeal["version"],
            "executor": cast["users"]["district_secretary"].pk,
            "controller": cast["users"]["reception_operator"].pk,
        },
        content_type="application/json",
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "in_work"
    stale = client.post(
        move, {"action": "reopen", "version": appeal["version"], "note": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 409
    outside = client.post(
        reverse("api:appeal-list"),
        {"channel": "letter", "topic": "roads", "node": cast["nodes"]["D3"].pk, "text": "x"},
        content_type="application/json",
    )
    assert outside.status_code == 400 and "node" in outside.json()
    other = cast["users"]["district_b_secretary"]
    client.force_login(other)
    assert client.get(reverse("api:appeal-detail", args=[appeal["id"]])).status_code == 404
    numbers = [a["number"] for a in client.get(reverse("api:appeal-list")).json()["results"]]
    assert appeal["number"] not in numbers


def test_receptions_and_figures_over_the_api(client, cast):
    client.force_login(cast["users"]["district_secretary"])
    official = client.post(
        reverse("api:official-list"),
        {"full_name": "Ерболат Д.", "position": "Мәслихат депутаты", "kind": "deputy",
         "node": cast["nodes"]["D1"].pk},
        content_type="application/json",
    ).json()  # fmt: skip
    reception = client.post(
        reverse("api:reception-list"),
        {"official": official["id"], "node": cast["nodes"]["D1"].pk, "format": "regular",
         "starts_at": "2026-11-10T10:00:00+05:00", "place": "Қоғамдық қабылдау бөлмесі"},
        content_type="application/json",
    )  # fmt: skip
    assert reception.status_code == 201, reception.json()
    recorded = client.post(
        reverse("api:reception-record", args=[reception.json()["id"]]),
        {"version": 1, "status": "held", "visitors": 14},
        content_type="application/json",
    )
    assert recorded.json()["visitors"] == 14
    figures = client.get(
        reverse("api:appeal-figures"),
        {"node": cast["nodes"]["D1"].pk, "start": "2026-01-01", "end": "2026-11-20", "years": 1},
    ).json()
    assert [w["receptions"] for w in figures["windows"]] == [1, 0]
    assert figures["windows"][0]["visitors"] == 14
    assert ReceptionFormat.objects.filter(code="regular").exists()


def test_open311_services_and_a_request_from_a_civic_client(client, cast):
    services = client.get(reverse("api:open311:services")).json()
    housing = next(s for s in services if s["service_code"] == "housing")
    assert housing["metadata"] is False and housing["type"] == "realtime"
    assert client.get(reverse("api:open311:service", args=["housing"])).json() == {
        "service_code": "housing", "attributes": [],
    }  # fmt: skip
    created = client.post(
        reverse("api:open311:requests"),
        {"jurisdiction_id": "R1", "service_code": "housing", "description": "Су жоқ",
         "first_name": "Әлібек", "last_name": "Сәрсенов", "phone": "+7 705 444 55 66",
         "address_string": "Шымкент, Әл-Фараби к-сі 5"},
    )  # fmt: skip
    assert created.status_code == 201
    (answer,) = created.json()
    number, code = answer["service_request_id"], answer["tracking_code"]
    appeal = Appeal.objects.get(number=number)
    assert appeal.channel == "open311" and appeal.citizen_name == "Әлібек Сәрсенов"
    detail = reverse("api:open311:request", args=[number])
    assert client.get(detail).status_code == 403
    (seen,) = client.get(detail, headers={"X-Tracking-Code": code}).json()
    assert seen["status"] == "open" and "description" not in seen
    assert client.get(reverse("api:open311:requests")).status_code == 403
    client.force_login(cast["users"]["regional_secretary"])
    listed = client.get(reverse("api:open311:requests"), {"service_request_id": number}).json()
    assert [r["description"] for r in listed] == ["Су жоқ"]
    bad = client.post(reverse("api:open311:requests"), {"service_code": "housing"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400


def test_open311_tells_the_citizen_nothing_internal_and_refuses_odd_bodies(client, cast):
    created = client.post(
        reverse("api:open311:requests"),
        {"jurisdiction_id": "R1", "service_code": "roads", "description": "Жол",
         "first_name": "Дана", "phone": "+7 705 111 00 99"},
    )  # fmt: skip
    (answer,) = created.json()
    detail = reverse("api:open311:request", args=[answer["service_request_id"]])
    (seen,) = client.get(detail, headers={"X-Tracking-Code": answer["tracking_code"]}).json()
    assert seen["agency_responsible"] == ""
    odd = client.post(reverse("api:open311:requests"), [1, 2], content_type="application/json")
    assert odd.status_code == 400 and odd.json()[0]["code"] == 400


def test_an_api_assign_without_people_is_a_clear_error(client, cast):
    from tamyr.appeals.models import Appeal

    appeal = Appeal.objects.get(node=cast["nodes"]["P1"])
    client.force_login(cast["users"]["reception_operator"])
    response = client.post(
        reverse("api:appeal-move", args=[appeal.pk]),
        {"action": "assign", "version": appeal.version, "node": cast["nodes"]["P1"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and {"executor", "controller"} <= set(response.json())
