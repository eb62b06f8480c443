from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from tamyr.members.models import AwardType, Ceremony, Conferral, DisciplineCase

# Reference data is named in every language; texts that staff type, in one language or more.
ALL_LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)


@register(AwardType)
class AwardTypeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ALL_LANGUAGES


@register(Ceremony)
class CeremonyTranslation(TranslationOptions):
    fields = ("title", "place")


@register(Conferral)
class ConferralTranslation(TranslationOptions):
    fields = ("reason",)


@register(DisciplineCase)
class DisciplineCaseTranslation(TranslationOptions):
    fields = ("grounds",)
