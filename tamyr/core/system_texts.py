"""Texts Tamyr writes into records itself, stored in one form and shown in the reader's language.

A member's timeline, a cancelled card or the answer to an appeal left without consideration is
read in kk, ru and en, so a text the system writes must not be stored in the language of whoever
happened to cause it. Each such text is declared once as a `SystemText`: its English source,
marked for the catalogues with `gettext_noop`, with placeholders for what varies (a protocol
number). A record stores the source with its values filled in, which reads as it is in the
database, the audit trail and an export; `shown` recognises a stored value and gives it in the
active language. Anything it does not recognise (a text someone typed) is shown as typed.
"""

import re

from django.utils.translation import gettext

PLACEHOLDER = re.compile(r"%\((\w+)\)s")

_EXACT: dict[str, "SystemText"] = {}
_PATTERNS: list["SystemText"] = []


class SystemText:
    """One text the system writes: `source` is its English form, a msgid unless `translated` is
    off (a layout such as "№ %(number)s: %(reason)s" reads alike in every language); the values
    named in `nested` are system texts of their own, shown in the reader's language too."""

    def __init__(self, source: str, *, translated: bool = True, nested: tuple[str, ...] = ()):
        self.source, self.translated, self.nested = source, translated, nested
        pieces = PLACEHOLDER.split(source)  # text, name, text, name, ..., text
        self.names = pieces[1::2]
        # Each value matches as little as it can, so that a layout's literal text after it
        # (": " after a card number) ends it; the last one runs to the end.
        pattern = "".join(
            re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>.+?)"
            for i, piece in enumerate(pieces)
        )
        self.pattern = re.compile(rf"{pattern}\Z", re.DOTALL)
        if self.names:
            _PATTERNS.append(self)
        else:
            _EXACT[source] = self

    def stored(self, **values: object) -> str:
        """Return the text to store, with these values: the source, in no reader's language."""
        if not self.names:
            return self.source
        return self.source % {name: str(values[name]) for name in self.names}

    def shown_with(self, values: dict[str, str]) -> str:
        """Return the text in the active language, with these stored values."""
        template = gettext(self.source) if self.translated else self.source
        if not self.names:
            return template
        return template % {
            name: _shown(value, outer=False) if name in self.nested else value
            for name, value in values.items()
        }


def shown(stored: str) -> str:
    """Return a stored text in the active language if the system wrote it, else as it is."""
    return _shown(stored, outer=True)


def _shown(stored: str, *, outer: bool) -> str:
    # A value inside a layout is matched only against texts without values of their own: the
    # system nests one level, and a typed "№ 1: № 1: ..." must not recurse without end.
    text = _EXACT.get(stored)
    if text is not None:
        return text.shown_with({})
    for text in _PATTERNS:
        if not outer and text.nested:
            continue
        match = text.pattern.match(stored)
        if match:
            return text.shown_with(match.groupdict())
    return stored
