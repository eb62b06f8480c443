"""Texts kept per language (officials' positions, venues, ceremony titles, award reasons,
discipline grounds) over the API."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tamyr.core.translated import has_text, language_fields, texts_given

# One description per column: a sentence is never built from a translated language name.
LANGUAGE_HELP = {
    "kk": _("The text as written in Kazakh; empty when not given in Kazakh."),
    "ru": _("The text as written in Russian; empty when not given in Russian."),
    "en": _("The text as written in English; empty when not given in English."),
}
READER_HELP = _(
    "Read: the text in the reader's language (Accept-Language), or in the nearest language it "
    "was given in. Write: the text in the request's language; or give it per language instead."
)


class TranslatedTextsSerializer(serializers.ModelSerializer):
    """Texts are kept per language: each reads under its plain name in the reader's language,
    or the nearest language it was given in, and under `_kk`, `_ru` and `_en` as written. A
    write gives the plain name (the text in the request's language), the languages, or both."""

    # Each text, mapped to the message for a text given in no language (None: it may be
    # empty). The validated data carries the languages only, never the plain name.
    texts: dict[str, Any] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        model = self.Meta.model
        for name in self.texts:
            max_length = model._meta.get_field(name).max_length
            options: dict[str, Any] = {"required": False, "allow_blank": True}
            if max_length:
                options["max_length"] = max_length
            fields[name] = serializers.CharField(help_text=READER_HELP, **options)
            for column in language_fields(name):
                language = column.rsplit("_", 1)[1]
                fields[column] = serializers.CharField(help_text=LANGUAGE_HELP[language], **options)
        return fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in self.texts:
            for column in language_fields(name):
                if column in data and data[column] is None:
                    data[column] = ""
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        for name, message in self.texts.items():
            texts = texts_given(name, attrs)
            if message is not None and not has_text(texts):
                raise serializers.ValidationError({name: [message]})
            attrs.pop(name, None)
            attrs.update(texts)
        return attrs
