"""Errors show the project's own pages in the reader's language, never Django's debug pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

PROJECT = Path(__file__).resolve().parent.parent

# The pages' own words, written out: (title, one sentence of the text) by language.
NOT_FOUND = {
    "kk": ("Бет табылмады", "Мұндай бет жоқ немесе ол ұйымның сізге қолжетімді бөлігінен тыс."),
    "ru": (
        "Страница не найдена",
        "Такой страницы нет, или она находится за пределами доступной вам части организации.",
    ),
    "en": (
        "Not found",
        "There is no such page, or it is outside your part of the organisation.",
    ),
}
SERVER_ERROR = {
    "kk": ("Қате орын алды", "Біз жақтағы қатеге байланысты бет ашылмады."),
    "ru": ("Что-то пошло не так", "Страница не открылась из-за ошибки на нашей стороне."),
    "en": ("Something went wrong", "An error on our side kept this page from opening."),
}
BAD_REQUEST = {
    "kk": "Қате сұрау",
    "ru": "Неверный запрос",
    "en": "Bad request",
}
EXPIRED_FORM = {
    "kk": "Форманың мерзімі өтті",
    "ru": "Срок действия формы истёк",
    "en": "The form has expired",
}
# What Django's debug pages show and the project's pages never do.
DEBUG_PAGE_MARKS = ("URLconf", "Traceback", "DEBUG = True", "members/<int:pk>/")


def assert_no_debug_page(page: str) -> None:
    for mark in DEBUG_PAGE_MARKS:
        assert mark not in page


def outside_record(cast) -> str:
    """Return the page of a member in another district than the district secretary's."""
    return reverse("members:detail", args=[cast["members"]["P3"].pk])


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_record_outside_the_branch_shows_the_projects_not_found_page(client, cast, language):
    client.force_login(cast["users"]["district_secretary"])
    client.cookies["tamyr_language"] = language
    response = client.get(outside_record(cast))
    assert response.status_code == 404
    page = response.content.decode()
    title, text = NOT_FOUND[language]
    assert f"<h1>{title}</h1>" in page and text in page
    assert f'<html lang="{language}"' in page
    assert_no_debug_page(page)


def test_the_browsers_language_chooses_the_not_found_page_without_a_cookie(client, cast):
    client.force_login(cast["users"]["district_secretary"])
    response = client.get(outside_record(cast), HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.status_code == 404
    assert f"<h1>{NOT_FOUND['ru'][0]}</h1>" in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_an_unexpected_error_shows_the_server_error_page(cast, monkeypatch, language):
    from tamyr.members import selectors

    def broken(**kwargs):
        raise RuntimeError("the timeline could not be read")

    monkeypatch.setattr(selectors, "member_timeline", broken)
    client = Client(raise_request_exception=False)
    client.force_login(cast["users"]["district_secretary"])
    client.cookies["tamyr_language"] = language
    response = client.get(reverse("members:detail", args=[cast["members"]["P1"].pk]))
    assert response.status_code == 500
    page = response.content.decode()
    title, text = SERVER_ERROR[language]
    assert f"<h1>{title}</h1>" in page and text in page
    assert f'<html lang="{language}"' in page
    assert "the timeline could not be read" not in page
    assert_no_debug_page(page)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_request_for_an_unknown_host_shows_the_bad_request_page(client, language):
    client.cookies["tamyr_language"] = language
    response = client.get("/", HTTP_HOST="tamyr.attacker.example")
    assert response.status_code == 400
    assert f"<h1>{BAD_REQUEST[language]}</h1>" in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_stale_form_shows_the_expired_form_page(db, language):
    client = Client(enforce_csrf_checks=True)
    client.cookies["tamyr_language"] = language
    response = client.post("/login/", {"username": "root", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<h1>{EXPIRED_FORM[language]}</h1>" in page
    assert_no_debug_page(page)


def test_a_process_started_as_the_demo_starts_has_debug_off(tmp_path):
    """The demo and a server started without DEBUG in the environment run as production does:
    the project's 404 page, not Django's list of URL patterns."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TAMYR_MODE"}}
    env["TAMYR_VAR_DIR"] = str(tmp_path)
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.test import Client\n"
        "response = Client().get('/no-such-page/', headers={'cookie': 'tamyr_language=en'})\n"
        "print(settings.DEBUG, response.status_code)\n"
        "print(response.content.decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tamyr.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    first, page = done.stdout.split("\n", 1)
    assert first == "False 404"
    assert f"<h1>{NOT_FOUND['en'][0]}</h1>" in page
    assert_no_debug_page(page)
