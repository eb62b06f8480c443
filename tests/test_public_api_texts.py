"""The public API and Open311 give the answer Tamyr wrote itself in the caller's language: the
tracked appeal's "answer", Open311's "status_notes" and its notice after sending."""

import pytest
from django.urls import reverse

ANONYMOUS = {
    "en": "Anonymous appeal: left without consideration, as the law requires.",
    "ru": "Анонимное обращение: оставлено без рассмотрения в соответствии с законом.",
    "kk": "Анонимді өтініш: заңға сәйкес қараусыз қалдырылды.",
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_public_api_tracks_the_answer_in_the_callers_language(client, cast, language):
    sent = client.post(
        reverse("api:public-appeal"),
        {"region": "R1", "topic": "other", "text": "Аулада қоқыс шығарылмайды."},
        content_type="application/json",
        headers={"Accept-Language": "kk" if language != "kk" else "ru"},
    ).json()
    tracked = client.post(
        reverse("api:public-track"),
        {"number": sent["number"], "tracking_code": sent["tracking_code"]},
        content_type="application/json",
        headers={"Accept-Language": language},
    )
    assert tracked.status_code == 200
    assert tracked.json()["answer"] == ANONYMOUS[language]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_open311_gives_the_answer_in_the_callers_language(client, cast, language):
    created = client.post(
        reverse("api:open311:requests"),
        {"jurisdiction_id": "R1", "service_code": "housing", "description": "Су жоқ"},
        headers={"Accept-Language": language},
    )
    (answer,) = created.json()
    assert answer["service_notice"] == ANONYMOUS[language]
    other = "kk" if language != "kk" else "ru"
    (seen,) = client.get(
        reverse("api:open311:request", args=[answer["service_request_id"]]),
        headers={"X-Tracking-Code": answer["tracking_code"], "Accept-Language": other},
    ).json()
    assert seen["status_notes"] == ANONYMOUS[other]
