"""One translation function for every user-facing string (gettext, English for now).

Handlers get a :class:`Translator` for the reader's language and call it as ``_("text {x}", x=1)``.
Strings defined away from a translator (command descriptions) are marked with :func:`N_` so that
Babel's extractor still finds them; they are translated where they are shown.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locales"
DOMAIN = "dabyl"
LANGUAGES = ("en",)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


class Translator:
    """Translates and formats messages for one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalog = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
        )

    def __call__(self, message: str, /, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """Translate a message whose form depends on ``count`` (available as ``{count}``)."""
        return self._catalog.ngettext(singular, plural, count).format(count=count, **values)


@cache
def translator(language: str) -> Translator:
    """Return the (cached) translator for ``language``; unknown languages fall back to English."""
    return Translator(language)
