"""Every word the bot says, in Kazakh, Russian or English (gettext catalogs, Babel formatting).

Handlers get a :class:`Translator` for the reader's language and call it as ``_("text {x}", x=1)``;
``_.plural(...)`` picks the plural form, ``_.date(...)``/``_.datetime(...)`` write dates the way the
reader's locale does. Strings defined away from a translator (command descriptions) are marked
with :func:`N_` so that Babel's extractor still finds them; they are translated where shown.

The catalogs are the ``.po`` files under ``locales/`` (``make messages`` re-extracts them from
the code). They are compiled in memory the first time a language is used, so there is no build
step to forget; English is the source language and its catalog may leave strings untranslated.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.units import format_unit

LOCALE_DIR = Path(__file__).parent / "locales"
DOMAIN = "dabyl"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("kk", "ru", "en")
# How each language names itself, on the /lang buttons.
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
# The CLDR locale that formats dates and numbers. English readers here are international
# supporters and journalists in other time zones: a 24-hour clock (en_GB) avoids AM/PM slips.
FORMAT_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}

T = TypeVar("T")


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


# What people type after /lang, folded to lower case: codes and each language's names for itself
# and in the others, Latin-typed too.
_LANGUAGE_WORDS = {
    "kk": (
        "kk",
        "kz",
        "kaz",
        "қаз",
        "қазақша",
        "қазақ",
        "казахский",
        "kazakh",
        "qazaq",
        "qazaqsha",
    ),
    "ru": ("ru", "rus", "рус", "русский", "орысша", "russian", "russkiy", "russkii", "orysha"),
    "en": ("en", "eng", "англ", "английский", "ағылшынша", "english", "angliyskiy"),
}
_LANGUAGE_BY_WORD = {word: code for code, words in _LANGUAGE_WORDS.items() for word in words}


def language_named(text: str) -> str | None:
    """The language someone typed after /lang (``ru``, ``русский``, ``qazaqsha``), or None."""
    return _LANGUAGE_BY_WORD.get(text.strip().lower())


def language_of(code: str | None) -> str | None:
    """The bot's language for an IETF tag such as Telegram's ``language_code`` (None if unknown).

    >>> language_of("ru-RU"), language_of("kk"), language_of("de")
    ('ru', 'kk', None)
    """
    primary = (code or "").replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in LANGUAGES else None


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compile(language: str) -> gettext.NullTranslations:
    """The language's ``.po`` catalog compiled in memory (fuzzy entries are left out)."""
    path = po_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """Translates and formats messages for one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = Locale.parse(FORMAT_LOCALES[language])
        self._catalog = _compile(language)

    def __call__(self, message: str, /, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """Translate a message whose form depends on ``count`` (available as ``{count}``)."""
        text = self._catalog.ngettext(singular, plural, count)
        return text.format(count=self.number(count), **values)

    # -- formatting ----------------------------------------------------------------------
    def number(self, value: float) -> str:
        """``12 345`` in Russian and Kazakh, ``12,345`` in English."""
        return format_decimal(value, locale=self.locale)

    def date(self, day: date, zone: ZoneInfo | None = None) -> str:
        """A calendar date: ``2 мар. 2026 г.``, ``2026 ж. 2 нау.``, ``2 Mar 2026``.

        A moment (a ``datetime``) is read as a date in ``zone``.
        """
        if isinstance(day, datetime):
            assert zone is not None, "a moment needs a zone to be a date"
            day = day.astimezone(zone).date()
        return format_skeleton("yMMMd", day, locale=self.locale)

    def weekday_date(self, day: date) -> str:
        """A date with its weekday, for hearings: ``пн, 2 мар. 2026 г.``."""
        return format_skeleton("yMMMEd", day, locale=self.locale)

    def time(self, moment: datetime, zone: ZoneInfo) -> str:
        """The local time of day on a 24-hour clock: ``14:05``."""
        return format_time(moment.astimezone(zone), "HH:mm", locale=self.locale)

    def duration(self, delta: timedelta) -> str:
        """A reminder's lead in its largest exact unit: ``2 дня``, ``1 сағат``, ``90 minutes``."""
        seconds = int(delta.total_seconds())
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds % size == 0 and seconds >= size:
                return self.units(seconds // size, unit)
        return self.units(max(seconds // 60, 1), "minute")

    def units(self, count: int, unit: str) -> str:
        """``count`` of a CLDR duration unit (year, month, week, day, hour, minute), declined."""
        return format_unit(count, f"duration-{unit}", locale=self.locale)

    def datetime(self, moment: datetime, zone: ZoneInfo) -> str:
        """A moment as read in ``zone``: ``2 мар. 2026 г., 14:05``."""
        local = moment.astimezone(zone)
        pattern = self.locale.datetime_formats["medium"]
        return str(pattern).format(self.time(local, zone), self.date(local.date()))


@cache
def translator(language: str) -> Translator:
    """The (cached) translator for ``language``; unknown languages get the source language."""
    return Translator(language_of(language) or SOURCE_LANGUAGE)


def render(write: Callable[[Translator], T]) -> dict[str, T]:
    """Write something once per language (an alert's text, its buttons) for readers of all three."""
    return {language: write(translator(language)) for language in LANGUAGES}
