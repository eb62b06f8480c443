"""Sorting text in the reader's alphabet: Kazakh order for kk, Russian for ru, English for en.

Databases compare text by code point unless told otherwise, which puts "Ізбасаров" before
"Абаев" and "Ғабдуллаева" after "Юсупова". Every list sorted by a name asks `by_name` for its
ordering expression. On PostgreSQL that is a `COLLATE "kk-x-icu"` (the ICU collations that
PostgreSQL built with ICU predefines); on SQLite the same names are registered on every new
connection with `sort_key` below, so one queryset expression works on both.

Why a key of our own rather than a library: no maintained package gives CLDR's tailorings in
pure Python. pyuca implements only the root order (DUCET, Unicode 10, last released 2017), with
no Kazakh alphabet; PyICU has no wheels and builds only where libicu-dev and a C++ compiler are
installed; pyicu-wheels (binary PyICU) is a beta repackaging with two releases and no source
fallback; icu4py has no collator. Names here are Cyrillic (Kazakh, Russian) and Latin, so the
key below reproduces ICU's three levels for those alphabets: base letters first, accents next,
case last (lower before upper), spaces and punctuation as low letters (ICU's default, under
which "Ақ жол" < "Ақ-Жол" < "Ақан"), digits before letters. Letters of other scripts follow,
by code point. `tests/test_collation.py` compares it with PostgreSQL's ICU on every run there.
"""

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.core import checks
from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate
from django.utils import translation

# The collation of each language: ICU's, under the names PostgreSQL gives them.
COLLATIONS = {"kk": "kk-x-icu", "ru": "ru-x-icu", "en": "en-x-icu"}
DEFAULT_LANGUAGE = "kk"


def language_code(language: str | None = None) -> str:
    """Return the language (kk, ru or en) whose order a reader expects: the one given or the
    active one, by its base code, kk for any other."""
    code = (language or translation.get_language() or DEFAULT_LANGUAGE).split("-")[0].lower()
    return code if code in COLLATIONS else DEFAULT_LANGUAGE


def collation_name(language: str | None = None) -> str:
    """Return the name of the collation for a language (by default the active one)."""
    return COLLATIONS[language_code(language)]


def by_name(field: str | Combinable, language: str | None = None) -> Collate:
    """Return `field` (a field name or an expression) collated in the reader's alphabet, for
    order_by: `people.order_by(by_name("surname"), by_name("given_name"), "pk")`. Add
    `.desc()` for the reverse order."""
    expression = F(field) if isinstance(field, str) else field
    return Collate(expression, collation_name(language))


# -- the sort key ---------------------------------------------------------------------------------
#
# A key mirrors ICU's: a string's primary weights (its letters), then its secondary weights
# (accents, one per mark, the base letter's being COMMON), then its tertiary ones (case), each
# level compared in turn; equal keys fall back to the text itself, as PostgreSQL breaks ICU ties.

COMMON = 5  # ICU's common secondary and tertiary weight: a plain base letter, lower case.
UPPER = 6  # Any tertiary weight above COMMON: only case variants of one letter meet there.
VARIANT = 112  # ICU's secondary weight of a letter that is a variant of another (ð of d).

# Punctuation and symbols in the order of ICU's root collation, which all three locales keep.
# Whitespace comes first, so "Ақ жол" sorts before "Ақ-Жол" and both before "Ақан".
PUNCTUATION = (
    "\t\n\r _-\u2010\u2012\u2013\u2014\u2015,;:!¡?¿.·'‘’‚‛‹›\"“”„«»()[]{}§¶@*/\\&#%‰†‡•`´˜^¨°©®"
    "+±÷×<=>¬|¦~¤¢$£¥€₸₽"
)

# Combining marks in the order of ICU's secondary weights (the weights themselves are ICU's).
MARKS = {
    "\u0301": 136,  # acute
    "\u0300": 138,  # grave
    "\u0306": 140,  # breve
    "\u0302": 142,  # circumflex
    "\u030c": 144,  # caron
    "\u030a": 146,  # ring above
    "\u0308": 150,  # diaeresis
    "\u030b": 152,  # double acute
    "\u0303": 154,  # tilde
    "\u0307": 156,  # dot above
    "\u0338": 158,  # long solidus overlay (ø)
    "\u0327": 160,  # cedilla
    "\u0328": 162,  # ogonek
    "\u0304": 164,  # macron
    "\u0309": 182,  # hook above
    "\u031b": 190,  # horn
    "\u0323": 196,  # dot below
    "\u0324": 198,  # diaeresis below
    "\u0326": 202,  # comma below
    "\u0331": 210,  # macron below
}
STROKE = 178  # ICU's secondary weight for the stroke of đ, ħ, ł.
OTHER_MARK = 240  # Marks not listed: after the listed ones.

# Alphabets, lower case, in each locale's order. Letters with accents that Unicode decomposes
# (ӓ, ї, ў, é, ş...) need no entry: they are their base letter plus a mark. й is listed because
# ICU keeps it a letter of its own although Unicode decomposes it; so is ё in Kazakh.
LATIN = "abcdeəfghiıjklmnŋopqrstŧuvwxyzþ"
CYRILLIC = {
    # ICU's root order (CLDR), which ru and en keep: Kazakh letters after their base letters.
    "root": "аәӕбвгғдђеєжзѕиійјкқлљмнңњоөпрстћуүұфхһцчџшщъыьэюя",
    # Kazakh: ё and і are letters of their own, і after ы; ұ before ү.
    "kk": "аәӕбвгғдђеёєжзѕийјкқлљмнңњоөпрстћуұүфхһцчџшщъыіьэюя",
}
# Letters that are another letter with a secondary difference (no Unicode decomposition), or
# that expand to two letters; each maps to its ICU collation elements (primary letter,
# secondary weight, tertiary weight). Tertiary 19 is ICU's for the second half of an expansion.
LATIN_VARIANTS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "ð": (("d", VARIANT, COMMON),),
    "đ": (("d", COMMON, COMMON), ("", STROKE, COMMON)),
    "ħ": (("h", COMMON, COMMON), ("", STROKE, COMMON)),
    "ł": (("l", COMMON, COMMON), ("", STROKE, COMMON)),
    "ø": (("o", COMMON, COMMON), ("", MARKS["\u0338"], COMMON)),
    "æ": (("a", VARIANT, COMMON), ("e", COMMON, 19)),
    "œ": (("o", VARIANT, COMMON), ("e", COMMON, 19)),
    "ß": (("s", VARIANT, COMMON), ("s", COMMON, 19)),
    "ĳ": (("i", COMMON, 19), ("j", COMMON, 19)),
}
CYRILLIC_VARIANTS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "ґ": (("г", VARIANT, COMMON),),
}

# Primary weight ranges, in the order of ICU's groups. A script group's letters take its base
# plus their place in the alphabet; letters it does not list come after them, by code point.
_WHITESPACE_AND_PUNCTUATION = 1_000
_SYMBOLS = 10_000
_DIGITS = 2_000_000
_FIRST_SCRIPT = 3_000_000
_SECOND_SCRIPT = 5_000_000
_OTHER_SCRIPTS = 7_000_000
_UNLISTED = 100_000

Element = tuple[int, int, int]
T = TypeVar("T")


class _Alphabet:
    """One locale's weights: its primary order of scripts and letters, with the elements of
    each character worked out once."""

    def __init__(self, cyrillic: str, cyrillic_first: bool) -> None:
        self.cyrillic_base = _FIRST_SCRIPT if cyrillic_first else _SECOND_SCRIPT
        self.latin_base = _SECOND_SCRIPT if cyrillic_first else _FIRST_SCRIPT
        self.primary: dict[str, int] = {}
        for i, ch in enumerate(PUNCTUATION):
            self.primary[ch] = _WHITESPACE_AND_PUNCTUATION + i
        for i, ch in enumerate(LATIN):
            self.primary[ch] = self.latin_base + 1 + i
        for i, ch in enumerate(cyrillic):
            self.primary[ch] = self.cyrillic_base + 1 + i
        self.variants = {
            ch: tuple((self.primary.get(base, 0), s, t) for base, s, t in elements)
            for ch, elements in (LATIN_VARIANTS | CYRILLIC_VARIANTS).items()
        }
        self.cache: dict[str, tuple[Element, ...]] = {}

    def elements(self, ch: str) -> tuple[Element, ...]:
        """Return the collation elements of one character (of text in NFC)."""
        found = self.cache.get(ch)
        if found is None:
            found = self.cache[ch] = self._elements(ch)
        return found

    def _elements(self, ch: str) -> tuple[Element, ...]:
        if ch in self.primary:
            return ((self.primary[ch], COMMON, COMMON),)
        if ch in self.variants:
            return self.variants[ch]
        lower = ch.lower()
        if lower != ch and len(lower) == 1 and (lower in self.primary or lower in self.variants):
            return tuple((p, s, UPPER if p else t) for p, s, t in self.elements(lower))
        decomposed = unicodedata.normalize("NFD", ch)
        if decomposed != ch:
            return tuple(e for part in decomposed for e in self.elements(part))
        category = unicodedata.category(ch)
        if category.startswith("M"):
            return ((0, MARKS.get(ch, OTHER_MARK), COMMON),)
        if category in ("Cf", "Cc"):  # soft hyphens, zero-width joiners, controls: ignored
            return ()
        compatible = unicodedata.normalize("NFKD", ch)
        if compatible != ch:  # a no-break space is a space, "№" is "No", a ligature its letters
            return tuple(
                (p, s, t + 1 if p else t) for part in compatible for p, s, t in self.elements(part)
            )
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            return ((_DIGITS + digit, COMMON, COMMON),)
        case = UPPER if ch != lower else COMMON
        if category.startswith("L"):
            code = ord(lower) if len(lower) == 1 else ord(ch)
            if 0x0400 <= code <= 0x052F:
                base = self.cyrillic_base
            elif code <= 0x024F or 0x1E00 <= code <= 0x1EFF:
                base = self.latin_base
            else:
                base = _OTHER_SCRIPTS
            return ((base + _UNLISTED + code, COMMON, case),)
        if ch.isspace():
            return self.elements(" ")
        return ((_SYMBOLS + ord(ch), COMMON, COMMON),)


_ALPHABETS = {
    "kk": _Alphabet(CYRILLIC["kk"], cyrillic_first=True),
    "ru": _Alphabet(CYRILLIC["root"], cyrillic_first=True),
    "en": _Alphabet(CYRILLIC["root"], cyrillic_first=False),
}

SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]


@lru_cache(maxsize=50_000)
def sort_key(text: str, language: str) -> SortKey:
    """Return the key that orders text as ICU's collation for the language (kk, ru or en) does,
    for Cyrillic and Latin text."""
    alphabet = _ALPHABETS[language]
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for ch in unicodedata.normalize("NFC", text):
        for p, s, t in alphabet.elements(ch):
            if p:
                primary.append(p)
            secondary.append(s)
            tertiary.append(t)
    return tuple(primary), tuple(secondary), tuple(tertiary), text


def sorted_by_name(
    items: Iterable[T], *texts: Callable[[T], str | None], language: str | None = None
) -> list[T]:
    """Return items sorted by the texts that each function reads from them (the second
    breaking ties of the first...) in the reader's alphabet, as `by_name` orders a query:
    `sorted_by_name(users, attrgetter("last_name"), attrgetter("first_name"))`."""
    code = language_code(language)
    return sorted(items, key=lambda item: tuple(sort_key(text(item) or "", code) for text in texts))


def _comparer(language: str) -> Callable[[str, str], int]:
    def compare(a: str, b: str) -> int:
        ka, kb = sort_key(a, language), sort_key(b, language)
        return (ka > kb) - (ka < kb)

    return compare


def register_sqlite_collations(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new SQLite connection the collations PostgreSQL has (the connection_created
    signal)."""
    if connection.vendor != "sqlite":
        return
    for language, name in COLLATIONS.items():
        connection.connection.create_collation(name, _comparer(language))


@checks.register(checks.Tags.database)
def check_collations(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """Report a PostgreSQL database without the ICU collations the lists sort by."""
    from django.db import connections

    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collname FROM pg_collation WHERE collname = ANY(%s)",
                [list(COLLATIONS.values())],
            )
            missing = set(COLLATIONS.values()) - {row[0] for row in cursor.fetchall()}
        if missing:
            errors.append(
                checks.Error(
                    f"PostgreSQL database {alias!r} lacks the ICU collations "
                    f"{', '.join(sorted(missing))}: lists sort names with them.",
                    hint="Use a PostgreSQL built with ICU (as Debian's and the official "
                    "images are).",
                    id="tamyr.E001",
                )
            )
    return errors
