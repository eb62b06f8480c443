"""Validation rules for people and memberships, shared by forms, the API and imports.

Each function returns errors keyed by field, in the reader's language, and never saves.
"""

import functools
import re
from datetime import date
from typing import Any

import phonenumbers
from django.utils.translation import gettext as _

from tamyr.members.iin import IINError, parse_iin

IIN_MESSAGES = {
    "format": lambda: _("The IIN must be exactly 12 digits."),
    "century": lambda: _("The 7th digit of the IIN (century and sex) must be 1 to 6."),
    "birth_date": lambda: _("The first 6 digits of the IIN are not a real date of birth."),
    "check_digit": lambda: _("The IIN's check digit is wrong: look for a mistyped digit."),
}


NON_DIGITS = re.compile(r"[\s()\-.]")


@functools.cache
def _whole_block_valid(prefix: str) -> bool:
    """Return whether every +7 number with this 3-digit prefix is valid, by the library's own
    metadata (mobile blocks such as 701 or 747 are; area codes need the full parse)."""
    samples = ("0000000", "1234567", "5555555", "9999999")
    return all(phonenumbers.is_valid_number(phonenumbers.parse(f"+7{prefix}{s}")) for s in samples)


def normalise_phone(raw: str) -> str:
    """Return the phone number in E.164 form, or raise ValueError if it is not a real number."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    # Kazakhstan's numbers (+7 6xx / 7xx, or 8 7xx dialled at home) without the library's
    # full parse, which costs tens of microseconds a row on a million-row import.
    digits = NON_DIGITS.sub("", raw)
    if digits.startswith("+7"):
        digits = digits[1:]
    if (
        digits.isdigit()
        and len(digits) == 11
        and digits[0] in "78"
        and _whole_block_valid(digits[1:4])
    ):
        return "+7" + digits[1:]
    try:
        number = phonenumbers.parse(raw, "KZ")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def person_errors(data: dict[str, Any], *, today: date | None = None) -> dict[str, list[str]]:
    """Return what is wrong with a person's fields: the IIN against birth date and gender,
    dates in the future, the phone number."""
    today = today or date.today()
    errors: dict[str, list[str]] = {}
    iin, birth, gender = data.get("iin"), data.get("birth_date"), data.get("gender")
    if iin:
        try:
            parsed = parse_iin(iin)
        except IINError as exc:
            errors.setdefault("iin", []).append(IIN_MESSAGES[exc.code]())
        else:
            if birth and parsed.birth_date != birth:
                errors.setdefault("birth_date", []).append(
                    _("The birth date does not match the IIN, which gives %(date)s.")
                    % {"date": parsed.birth_date.strftime("%d.%m.%Y")}
                )
            if gender and parsed.sex != gender:
                errors.setdefault("gender", []).append(
                    _("The gender does not match the IIN's 7th digit.")
                )
    if birth and birth > today:
        errors.setdefault("birth_date", []).append(_("The date cannot be in the future."))
    phone = data.get("phone")
    if phone:
        try:
            normalise_phone(phone)
        except ValueError:
            errors.setdefault("phone", []).append(
                _("Enter a real phone number, for example +7 701 123 45 67.")
            )
    return errors


def membership_errors(data: dict[str, Any], *, today: date | None = None) -> dict[str, list[str]]:
    """Return what is wrong with a membership's dates."""
    today = today or date.today()
    errors: dict[str, list[str]] = {}
    for field in ("admitted_on", "card_issued_on"):
        value = data.get(field)
        if value and value > today:
            errors.setdefault(field, []).append(_("The date cannot be in the future."))
    admitted, issued = data.get("admitted_on"), data.get("card_issued_on")
    if admitted and issued and issued < admitted:
        errors.setdefault("card_issued_on", []).append(
            _("The card cannot be issued before admission.")
        )
    if data.get("card_number") and not issued:
        errors.setdefault("card_issued_on", []).append(_("Give the date the card was issued."))
    return errors


def step_date_errors(
    on: date | None,
    *,
    not_before: date | None = None,
    field: str = "on",
    today: date | None = None,
) -> dict[str, list[str]]:
    """Return what is wrong with the date of a lifecycle step."""
    today = today or date.today()
    if on is None:
        return {field: [_("Give the date.")]}
    if on > today:
        return {field: [_("The date cannot be in the future.")]}
    if not_before is not None and on < not_before:
        return {
            field: [
                _("The date cannot be before %(date)s.") % {"date": not_before.strftime("%d.%m.%Y")}
            ]
        }
    return {}
