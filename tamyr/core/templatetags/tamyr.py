import phonenumbers
from django import template
from django.utils.formats import localize

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
    """Show a staff user (anyone with an account) as people know them: the full name, the
    login name only for an account without one; a dash for nobody. Every page, form, letter
    and export names staff through this (or staff_name_of), never by login name or code."""
    if user is None:
        return "—"
    return staff_name_of(user.first_name, user.last_name, user.username)


def staff_name_of(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """The same from the columns of a values() row, where no executor reads as all None."""
    if username is None:
        return "—"
    return " ".join(part.strip() for part in (first_name, last_name) if part and part.strip()) or (
        username
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """Return the page's query string with some parameters set (the pager's page): every
    other parameter, filters and sort, stays as it was, each value encoded."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query[name] = str(value)
    return query.urlencode()


@register.simple_tag
def dict_get(mapping, key, default=""):
    """Look a key up in a dict (templates cannot index by a variable); a number comes out as
    the reader's language writes it, as `{{ value }}` would."""
    return localize(mapping.get(key, default))
