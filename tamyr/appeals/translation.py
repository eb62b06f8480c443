from modeltranslation.translator import TranslationOptions, register

from tamyr.appeals.models import AppealType, ReceptionFormat, Topic


@register(AppealType)
class AppealTypeTranslation(TranslationOptions):
    fields = ("name",)


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(ReceptionFormat)
class ReceptionFormatTranslation(TranslationOptions):
    fields = ("name",)
