import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """Show a stored E.164 number the way people read it: +7 701 123 4567."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "KZ")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
