"""Every visible string is translated in kk and ru, placeholders match, and Kazakh formats hold."""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import formats, translation

from tests.clock import python_command

LOCALE = Path(__file__).resolve().parent.parent / "tamyr" / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_has_no_empty_or_fuzzy_entry(language):
    po = catalogue(language)
    assert len(po) > 200
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    empty_plurals = [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert empty_plurals == []
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_placeholders_match(language):
    wrong = []
    for entry in catalogue(language):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        strings = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in strings:
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(expected)):
                wrong.append(entry.msgid)
    assert wrong == []


def test_catalogues_are_up_to_date_with_the_code(tmp_path):
    """makemessages on a copy finds no message that the catalogues lack."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: run scripts/system-deps")
    project = Path(__file__).resolve().parent.parent
    copy = tmp_path / "tamyr"
    shutil.copytree(project / "tamyr", copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    subprocess.run(
        python_command(
            project / "manage.py", "makemessages", "--no-location", "--no-obsolete", "-l", "kk"
        ),
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/kk/LC_MESSAGES/django.po"))
    }
    ours = {(e.msgctxt, e.msgid) for e in catalogue("kk")}
    assert sorted(fresh - ours, key=str) == []


def test_kazakh_dates_and_numbers_are_written_as_official_documents_write_them():
    with translation.override("kk"):
        assert formats.date_format(date(2026, 11, 23)) == "2026 жылғы 23 қараша"
        assert formats.date_format(date(2014, 3, 8), "SHORT_DATE_FORMAT") == "08.03.2014"
        rendered = Template("{% load humanize %}{{ n|intcomma }} {{ x }}").render(
            Context({"n": 78862, "x": 64.8})
        )
        assert rendered == "78\xa0862 64,8"


def test_russian_dates_use_the_genitive_month():
    with translation.override("ru"):
        assert formats.date_format(date(2026, 11, 23)) == "23 ноября 2026 г."


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_quick_date_formatter_writes_what_django_writes(language):
    from datetime import datetime

    from tamyr.core.dates import date_formatter

    day, moment = date(2014, 3, 8), datetime(2026, 11, 23, 9, 5)
    with translation.override(language):
        assert date_formatter()(day) == formats.date_format(day, "SHORT_DATE_FORMAT")
        # A format with month names is not strftime's business: Django writes it.
        assert date_formatter("DATE_FORMAT")(day) == formats.date_format(day, "DATE_FORMAT")
        if language != "en":  # English writes the hour as "9:05 a.m.", Django's own letters
            assert date_formatter("SHORT_DATETIME_FORMAT")(moment) == formats.date_format(
                moment, "SHORT_DATETIME_FORMAT"
            )


@pytest.mark.django_db
def test_translated_columns_fall_back_as_the_model_attribute_does():
    from tamyr.appeals.models import Topic
    from tamyr.core.translated import translated

    Topic.objects.create(code="t-fallback", name_kk="", name_ru="Дороги", name_en="Roads")
    Topic.objects.create(code="t-english", name_kk="", name_ru="", name_en="Only English")
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            columns = dict(
                Topic.objects.filter(code__startswith="t-").values_list("code", translated("name"))
            )
            models = {t.code: t.name for t in Topic.objects.filter(code__startswith="t-")}
            assert columns == models
