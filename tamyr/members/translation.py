from modeltranslation.translator import TranslationOptions, register

from tamyr.members.models import AwardType


@register(AwardType)
class AwardTypeTranslation(TranslationOptions):
    fields = ("name",)
