from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from tamyr.core.admin import AuditedAdmin
from tamyr.members.models import AwardType, Deputy, Membership, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["ppo"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        # Memberships change through the registry's services, where every step is audited.
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["surname", "given_name", "patronymic", "iin", "ppo", "status"]
    list_filter = ["status", "gender", "sector"]
    search_fields = ["iin", "search_name"]
    raw_id_fields = ["ppo"]
    readonly_fields = ["ppo", "status", "version"]
    inlines = [MembershipInline]

    def node_path_of(self, obj) -> str:
        return obj.ppo.path if obj.ppo else ""


@admin.register(AwardType)
class AwardTypeAdmin(AuditedAdmin, TranslationAdmin):
    """Award types are reference data, named in kk, ru and en."""

    list_display = ["name", "kind", "code", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(Deputy)
class DeputyAdmin(AuditedAdmin):
    list_display = ["person", "assembly", "node", "elected_on", "term_ends_on"]
    list_filter = ["assembly"]
    raw_id_fields = ["person", "node"]

    def node_path_of(self, obj) -> str:
        return obj.node.path
