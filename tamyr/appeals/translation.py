from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from tamyr.appeals.models import AppealType, Official, Reception, ReceptionFormat, Topic

# Reference data is named in every language (the admin asks for all three); texts that staff
# type are given in one language or more and shown with the fallback.
ALL_LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)


@register(AppealType)
class AppealTypeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ALL_LANGUAGES


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ALL_LANGUAGES


@register(ReceptionFormat)
class ReceptionFormatTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ALL_LANGUAGES


@register(Official)
class OfficialTranslation(TranslationOptions):
    fields = ("position",)


@register(Reception)
class ReceptionTranslation(TranslationOptions):
    fields = ("place",)
