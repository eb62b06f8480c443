from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """A native date picker: phones show their own calendar, and the value is always ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's validation errors on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
