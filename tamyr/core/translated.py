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
