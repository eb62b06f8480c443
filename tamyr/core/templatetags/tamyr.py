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
    return staff_name_of(user.first_name, user.last_name, user.username)


def staff_name_of(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """The same from the columns of a values() row, where no executor reads as all None."""
    if username is None:
        return "—"
    return f"{first_name} {last_name}".strip() or username


@register.simple_tag
def dict_get(mapping, key, default=""):
    """Look a key up in a dict (templates cannot index by a variable)."""
    return mapping.get(key, default)
