from typing import Any

from django.db.models import Q, QuerySet

from tamyr.core.audit import object_type_of
from tamyr.core.models import AuditEvent


def record_history(*, record: Any, related: list[Any] | None = None) -> QuerySet[AuditEvent]:
    """Return the audit events of a record and its parts, newest first.

    The caller has already checked that the user may see the record; whoever sees a record sees
    its whole history, even the lines written while it lived elsewhere in the tree.
    """
    condition = Q(object_type=object_type_of(record), object_id=str(record.pk))
    for part in related or []:
        condition |= Q(object_type=object_type_of(part), object_id=str(part.pk))
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("-at", "-id")
