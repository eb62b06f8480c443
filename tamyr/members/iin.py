"""The Kazakhstan individual identification number (IIN, ЖСН/ИИН).

Twelve digits: birth date as YYMMDD, a digit for century and sex, four serial digits and a check
digit computed by the published two-pass weights algorithm.
"""

from dataclasses import dataclass
from datetime import date

# 7th digit: (century start, sex). Odd digits are men, even digits women.
CENTURY_SEX = {
    "1": (1800, "m"),
    "2": (1800, "f"),
    "3": (1900, "m"),
    "4": (1900, "f"),
    "5": (2000, "m"),
    "6": (2000, "f"),
}
FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


class IINError(ValueError):
    """The IIN is malformed; `code` names what is wrong."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IIN:
    value: str
    birth_date: date
    sex: str  # "m" or "f"


def iin_check_digit(first_eleven: str) -> int | None:
    """Return the check digit for 11 digits, or None when no valid IIN has these digits."""
    digits = [int(c) for c in first_eleven]
    check = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
    return None if check == 10 else check


def parse_iin(value: str) -> IIN:
    """Return the IIN's parts, or raise IINError with a code saying what is wrong."""
    value = (value or "").strip()
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise IINError("format")
    century_sex = CENTURY_SEX.get(value[6])
    if century_sex is None:
        raise IINError("century")
    century, sex = century_sex
    try:
        birth = date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError as exc:
        raise IINError("birth_date") from exc
    if iin_check_digit(value[:11]) != int(value[11]):
        raise IINError("check_digit")
    return IIN(value=value, birth_date=birth, sex=sex)


def make_iin(birth: date, sex: str, serial: int) -> str | None:
    """Return a valid IIN for this birth date, sex and 4-digit serial, or None if none exists."""
    century = (birth.year // 100) * 100
    digit = {(c, s): d for d, (c, s) in CENTURY_SEX.items()}.get((century, sex))
    if digit is None:
        raise ValueError("birth year outside 1800-2099")
    first = f"{birth:%y%m%d}{digit}{serial:04d}"
    check = iin_check_digit(first)
    return None if check is None else f"{first}{check}"
