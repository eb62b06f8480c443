from modeltranslation.translator import TranslationOptions, register

from tamyr.orgs.models import Node


@register(Node)
class NodeTranslation(TranslationOptions):
    fields = ("name", "host_name")
