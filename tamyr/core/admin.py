from django.contrib import admin

from tamyr.core.audit import audit_event, snapshot
from tamyr.core.models import AuditEvent


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes are audited like any other: superusers are not above the history."""

    def node_path_of(self, obj) -> str:
        return ""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_event(
            actor=request.user,
            action="update" if change else "create",
            obj=obj,
            node_path=self.node_path_of(obj),
            before=before,
            after=snapshot(obj),
        )

    def delete_model(self, request, obj):
        audit_event(
            actor=request.user,
            action="delete",
            obj=obj,
            node_path=self.node_path_of(obj),
            before=snapshot(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
