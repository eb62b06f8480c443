from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from tamyr.core.admin import AuditedAdmin
from tamyr.orgs.models import Node, StaffRole


@admin.register(Node)
class NodeAdmin(AuditedAdmin, TreeAdmin, TranslationAdmin):
    form = movenodeform_factory(
        Node, exclude=["search_name", "active_member_count", "size_category", "version"]
    )
    list_display = ["name", "kind", "code", "closed_on"]
    list_filter = ["wing", "kind"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]

    def node_path_of(self, obj) -> str:
        return obj.path


@admin.register(StaffRole)
class StaffRoleAdmin(AuditedAdmin):
    list_display = ["user", "role", "node", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "node__code"]
    raw_id_fields = ["node"]

    def node_path_of(self, obj) -> str:
        return obj.node.path
