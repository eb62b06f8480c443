from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tamyr.core.translated import language_fields


class DateInput(forms.DateInput):
    """A native date picker: phones show their own calendar, and the value is always ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's validation errors on the form's fields (or on the form as a whole); an
    error about a text kept per language goes on the form's first language of it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            candidates = (field, *language_fields(field))
            target = next((name for name in candidates if name in form.fields), None)
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class TranslatedTextsForm(forms.Form):
    """A form whose texts are given per language (`<field>_kk`, `_ru`, `_en`): each text named
    in `texts_required` needs at least one language, and its message goes on the first one."""

    texts_required: dict[str, Any] = {}

    def clean(self):
        data = super().clean() or {}
        for field, message in self.texts_required.items():
            names = language_fields(field)
            if not any((data.get(name) or "").strip() for name in names):
                self.add_error(names[0], message)
        return data
