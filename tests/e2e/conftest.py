import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls in these tests
# are ordinary blocking calls made between browser steps, never inside the loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        # Never skip: a missing browser is a broken test environment (scripts/system-deps).
        pytest.fail("Debian's chromium is missing: run scripts/system-deps (make test does)")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="kk-KZ", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def committed_cast():
    """The fixed cast, committed, for the live server's threads to see."""
    from tests.cast import build_cast_once

    build_cast_once()


def say(language: str, text: str) -> str:
    """Return the translation of a message into a language, failing if there is none: the
    browser tests find buttons and headings by the words the reader sees."""
    from django.utils import translation

    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text, f"no {language} translation for {text!r}"
    return translated
