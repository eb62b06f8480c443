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


@register.filter
def staff_name(user) -> str:
    """Show a staff user by full name, else login name; a dash for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.simple_tag
def dict_get(mapping, key, default=""):
    """Look a key up in a dict (templates cannot index by a variable)."""
    return mapping.get(key, default)
