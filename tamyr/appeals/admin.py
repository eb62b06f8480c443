from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from tamyr.appeals import services
from tamyr.appeals.models import AppealType, CalendarDay, ReceptionFormat, Topic
from tamyr.core.admin import AuditedAdmin


@admin.register(AppealType)
class AppealTypeAdmin(AuditedAdmin, TranslationAdmin):
    """Appeal types carry the legal terms; changing them affects appeals registered later."""

    list_display = ["name", "code", "answer_days", "forward_days", "extension_months"]


@admin.register(Topic)
class TopicAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]


@admin.register(ReceptionFormat)
class ReceptionFormatAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["name", "code"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The days moved by decree. Saving goes through the service, which audits the change and
    recomputes the open appeals' terms."""

    list_display = ["day", "is_working", "note"]
    list_filter = ["is_working"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        if change and "day" in form.changed_data:
            services.calendar_day_delete(
                actor=request.user, entry=CalendarDay.objects.get(pk=obj.pk)
            )
        saved = services.calendar_day_set(
            actor=request.user, day=obj.day, is_working=obj.is_working, note=obj.note
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.calendar_day_delete(actor=request.user, entry=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
