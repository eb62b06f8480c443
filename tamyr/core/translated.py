"""Translated fields: read as columns for busy lists that skip building model instances, and
taken from input one language at a time."""

import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db.models import CharField, F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order


def translated(path: str, language: str | None = None) -> Combinable:
    """Return an expression for a translated field (e.g. "topic__name") in the active language,
    falling back through the same languages, in the same order, as the model attribute does."""
    order = resolution_order(language or get_language())
    columns = [NullIf(F(build_localized_fieldname(path, lang)), Value("")) for lang in order]
    if len(columns) == 1:
        return Coalesce(columns[0], Value(""), output_field=CharField())
    return Coalesce(*columns, Value(""), output_field=CharField())


def language_fields(field: str) -> tuple[str, ...]:
    """Return the per-language columns of a translated field, e.g. ("position_kk", ...), in the
    order of settings.MODELTRANSLATION_LANGUAGES."""
    return tuple(build_localized_fieldname(field, lang) for lang in mt_settings.AVAILABLE_LANGUAGES)


def texts_given(field: str, data: Mapping[str, Any]) -> dict[str, str]:
    """Return the texts of a translated field given in data, one per language column, stripped.

    Each language comes as `field_kk`, `field_ru`, `field_en`; a plain `field` (how callers gave
    the text before it was kept per language) is the text in the active language, unless that
    language's own column is given too."""
    texts = {name: str(data.get(name) or "").strip() for name in language_fields(field)}
    plain = str(data.get(field) or "").strip()
    active = build_localized_fieldname(field, get_language())
    if plain and not texts[active]:
        texts[active] = plain
    return texts


def has_text(texts: Mapping[str, str]) -> bool:
    """Return whether at least one language has text."""
    return any(texts.values())


# Letters of the Kazakh Cyrillic alphabet that Russian has not.
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def language_of(text: str, default: str) -> str:
    """Return the language a text is written in, by its letters: Cyrillic with a Kazakh-specific
    letter is kk, other Cyrillic ru, Latin en; the default when there are no letters or as many
    Latin as Cyrillic ones.

    Used by the migrations that moved one-language texts into their language's column, so it
    must keep answering the same for the same text."""
    cyrillic = latin = 0
    kazakh = False
    for char in text:
        if not char.isalpha():
            continue
        script = unicodedata.name(char, "").split(" ", 1)[0]
        if script == "CYRILLIC":
            cyrillic += 1
            kazakh = kazakh or char in KAZAKH_LETTERS
        elif script == "LATIN":
            latin += 1
    if cyrillic > latin:
        return "kk" if kazakh else "ru"
    if latin > cyrillic:
        return "en"
    return default


def texts_to_language_columns(apps: Any, app: str, texts: Mapping[str, tuple[str, ...]]) -> None:
    """Move each text written in one column into the column of the language it is written in
    (`language_of`), the others left empty for the reader's fallback, a batch of rows at a
    time: the data step of a migration that makes typed texts per language."""
    from collections import defaultdict

    from django.conf import settings

    languages = [code for code, _name in settings.LANGUAGES]
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    for model_name, fields in texts.items():
        model = apps.get_model(app, model_name)
        last = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:2000]
            )
            if not rows:
                break
            last = rows[-1][0]
            for index, field in enumerate(fields, start=1):
                by_language = defaultdict(list)
                for row in rows:
                    by_language[language_of(row[index] or "", default)].append(row[0])
                for language, pks in by_language.items():
                    model.objects.filter(pk__in=pks).update(
                        **{
                            f"{field}_{lang}": F(field) if lang == language else Value("")
                            for lang in languages
                        }
                    )
