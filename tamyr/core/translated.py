"""Translated fields read as columns, for busy lists that skip building model instances."""

from django.db.models import CharField, F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order


def translated(path: str, language: str | None = None) -> Combinable:
    """Return an expression for a translated field (e.g. "topic__name") in the active language,
    falling back through the same languages, in the same order, as the model attribute does."""
    order = resolution_order(language or get_language())
    columns = [NullIf(F(build_localized_fieldname(path, lang)), Value("")) for lang in order]
    if len(columns) == 1:
        return Coalesce(columns[0], Value(""), output_field=CharField())
    return Coalesce(*columns, Value(""), output_field=CharField())
