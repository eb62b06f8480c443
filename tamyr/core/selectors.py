from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tamyr.core.audit import object_type_of
from tamyr.core.models import AuditEvent
from tamyr.core.system_texts import shown as shown_text


def record_history(*, record: Any, related: list[Any] | None = None) -> QuerySet[AuditEvent]:
    """Return the audit events of a record and its parts, newest first.

    The caller has already checked that the user may see the record; whoever sees a record sees
    its whole history, even the lines written while it lived elsewhere in the tree.
    """
    condition = Q(object_type=object_type_of(record), object_id=str(record.pk))
    for part in related or []:
        condition |= Q(object_type=object_type_of(part), object_id=str(part.pk))
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("-at", "-id")


# Fields whose changes say nothing to a reader: the edit counter and the time stamp of a save.
HISTORY_HIDDEN = {"version", "updated_at"}


@dataclass
class HistoryEntry:
    event: AuditEvent
    changes: list[tuple[str, str, str]]


def history_entries(*, events: Iterable[AuditEvent]) -> list[HistoryEntry]:
    """Return the events with their changes as a reader reads them: each field by its label,
    each value in the reader's language (dates, choices, yes and no), staff by their names,
    branches and reference data by their names, any other record by its id, never written as
    a figure. Whoever sees a record sees its whole history (record_history), the branches it
    lived in included: the events' own descriptions name them too."""
    events = list(events)
    refs: dict[type[models.Model], set[Any]] = {}
    for event in events:
        model = _model_of(event.object_type)
        if model is None:
            continue
        for name in _changed(event):
            field = _field_of(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                before, after = (event.before or {}).get(name), (event.after or {}).get(name)
                refs.setdefault(field.related_model, set()).update(
                    v for v in (before, after) if v is not None
                )
    names = {
        model: _names_of(model, ids)
        for model, ids in refs.items()
        if model is get_user_model() or _is_named_data(model)
    }
    entries = []
    for event in events:
        model = _model_of(event.object_type)
        rows = []
        for name in _changed(event):
            field = _field_of(model, name) if model is not None else None
            if field is None:
                continue  # not a field of the record (a note the generator left): no change
            if field.is_relation and field.related_model not in names:
                # A link to a record that is neither staff nor named data (a possible duplicate,
                # a person) is not shown: the reader may not see that record.
                continue
            label = capfirst(str(field.verbose_name))
            before, after = (event.before or {}).get(name), (event.after or {}).get(name)
            shown = (_shown(field, before, names), _shown(field, after, names))
            if shown[0] != shown[1]:  # None and "" differ when stored, not when read
                rows.append((label, *shown))
        entries.append(HistoryEntry(event=event, changes=rows))
    return entries


def _changed(event: AuditEvent) -> list[str]:
    return [name for name, _, _ in event.changes() if name not in HISTORY_HIDDEN]


def _model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field_of(model: type[models.Model], name: str) -> Any:
    for field in model._meta.concrete_fields:
        if name in (field.attname, field.name):
            return field
    return None


def _names_of(model: type[models.Model], ids: set[Any]) -> dict[Any, str]:
    """Return the names of the records a history names: staff, and named data such as
    branches and reference data."""
    from tamyr.core.templatetags.tamyr import staff_name

    if model is get_user_model():
        return {u.pk: staff_name(u) for u in model._default_manager.filter(pk__in=ids)}
    if _is_named_data(model):
        return {r.pk: str(r) for r in model._default_manager.filter(pk__in=ids)}
    return {}


def _is_named_data(model: type[models.Model]) -> bool:
    """Return whether a model is named data with a code and translated names: branches and
    reference data (appeal types, topics, formats, award types)."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        translator.get_options_for_model(model)
    except NotRegistered:
        return False
    return any(f.name == "code" for f in model._meta.concrete_fields)


def _shown(field: Any, value: Any, names: dict[type[models.Model], dict[Any, str]]) -> str:
    """Return a stored value as the reader reads it."""
    if value is None or value == "":
        return "—"
    if field.is_relation and field.related_model is not None:
        return names.get(field.related_model, {}).get(value) or "—"
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    if (
        isinstance(value, int | float)
        and not field.primary_key
        and isinstance(field, models.IntegerField | models.FloatField | models.DecimalField)
    ):
        return number_format(value)
    # A text Tamyr wrote itself (a card's cancellation, an answer by rule) reads in the
    # reader's language too; anything typed, as typed.
    return shown_text(str(value))
