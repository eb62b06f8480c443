"""Write the audit trail. Services call these inside their own transaction."""

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from tamyr.core.models import AuditEvent


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return a JSON-safe dict of the object's concrete field values."""
    data: dict[str, Any] = {}
    skip = getattr(obj, "AUDIT_EXCLUDE", ())
    for field in obj._meta.concrete_fields:
        if (fields is not None and field.name not in fields) or field.name in skip:
            continue
        data[field.attname] = getattr(obj, field.attname)
    # Round-trip through the encoder so dates and decimals are stored as strings.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def audit_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    node_path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        node_path=node_path,
        before=before,
        after=after,
    )


def save_versioned(
    *, actor: Any, obj: models.Model, before: dict[str, Any], node_path: str | None = None
) -> models.Model:
    """Save an edited record, bump its version for optimistic locking, and record the change.

    ``node_path`` defaults to the record's own tree path (for a node).
    """
    obj.version = models.F("version") + 1  # type: ignore[attr-defined]
    obj.save()
    obj.refresh_from_db()
    audit_event(
        actor=actor,
        action="update",
        obj=obj,
        node_path=node_path if node_path is not None else getattr(obj, "path", ""),
        before=before,
        after=snapshot(obj),
    )
    return obj


def audit_events_bulk(
    *,
    actor: Any,
    action: str,
    rows: Iterable[tuple[models.Model, str, dict[str, Any] | None, dict[str, Any] | None]],
    batch_size: int = 2000,
) -> int:
    """Record many changes of one kind at once: rows of (object, node path, before, after)."""
    actor = actor if getattr(actor, "pk", None) else None
    events = [
        AuditEvent(
            actor=actor,
            action=action,
            object_type=object_type_of(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            node_path=node_path,
            before=before,
            after=after,
        )
        for obj, node_path, before, after in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)


def audit_export(
    *, actor: Any, object_type: str, node_path: str, filters: dict[str, Any], rows: int
) -> AuditEvent:
    """Record that a list left the system: who took it, with which filters, how many rows."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        object_id="-",
        object_repr=f"{rows} rows",
        node_path=node_path,
        after={"filters": filters, "rows": rows},
    )
