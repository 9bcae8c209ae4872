"""Sentence terms as people type them, and the release date they lead to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from bot.dates import normalize

__all__ = ["Term", "TermError", "parse_term", "release_date"]

# The longest term accepted; anything longer is a typing mistake.
MAX_YEARS = 30
_REFERENCE = date(2001, 1, 1)


class TermError(ValueError):
    """A term, or a credit against it, that cannot be right."""


@dataclass(frozen=True, slots=True)
class Term:
    """A sentence's length, kept in the units it was given in (18 months stays 18 months).

    Attributes:
        years: whole years, calendar units.
        months: whole months, calendar units.
        days: whole days.

    Raises:
        TermError: a part is negative, all parts are zero, or the term exceeds MAX_YEARS.
    """

    years: int = 0
    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if min(self.years, self.months, self.days) < 0:
            raise TermError("a term cannot be negative")
        if not (self.years or self.months or self.days):
            raise TermError("a term cannot be zero")
        # Cheap bounds first, so absurd numbers never reach calendar arithmetic.
        too_long = (
            self.years * 12 + self.months > MAX_YEARS * 12
            or self.days > MAX_YEARS * 366
            or _REFERENCE + _calendar(self) > _REFERENCE + relativedelta(years=MAX_YEARS)
        )
        if too_long:
            raise TermError(f"a term longer than {MAX_YEARS} years")

    @property
    def in_days_only(self) -> bool:
        """True for a term in days alone: administrative arrest, not imprisonment."""
        return not (self.years or self.months)

    def describe(self) -> str:
        """Write the term in English, e.g. ``"10 days"`` or ``"2 years 6 months"``.

        Returns:
            The non-zero parts, largest unit first, singular where the number is 1.
        """
        parts = (("year", self.years), ("month", self.months), ("day", self.days))
        return " ".join(f"{n} {unit}{'' if n == 1 else 's'}" for unit, n in parts if n)


# Unit words as people spell them in English, Russian and Kazakh, and in Latin letters on a phone
# without a Cyrillic keyboard; folded on import by normalize() (ё → е, Kazakh letters → Russian
# look-alikes, Kazakh Latin letters → plain Latin), so "тәулік", "таулик", "täulik" are one entry.
# Kazakh forms include the dative a sentence is given in ("7 жылға", "15 тәулікке").
# In a term m means months. Weeks are kept as days (2 weeks is Term(days=14)).
_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "years": (
        *("y", "yr", "yrs", "year", "years"),
        *("г", "год", "года", "лет", "g", "god", "goda", "let"),
        *("жыл", "жылға", "zhyl", "zhylga", "jyl", "jylga", "zhil", "jil"),
    ),
    "months": (
        *("m", "mo", "mos", "month", "months"),
        *("мес", "месяц", "месяца", "месяцев"),
        *("mes", "mesyats", "mesyatsa", "mesyatsev", "mesyac", "mesyaca", "mesyacev"),
        *("ай", "айға", "ai", "ay", "aiga", "ayga"),
    ),
    "weeks": (
        *("w", "wk", "wks", "week", "weeks"),
        *("нед", "неделя", "недели", "недель", "неделю"),
        *("ned", "nedelya", "nedeli", "nedel", "nedelyu", "nedelia", "nedeliu"),
        *("апта", "аптаға", "apta", "aptaga"),
    ),
    "days": (
        *("d", "day", "days"),
        *("сут", "сутки", "суток", "день", "дня", "дней", "дн"),
        *("sut", "sutki", "sutok", "den", "dnya", "dney", "dnia", "dnei", "dn"),
        *("тәулік", "тәулікке", "күн", "күнге", "taulik", "taulikke", "kun", "kunge"),
    ),
}
_UNITS: dict[str, str] = {
    normalize(word): unit for unit, words in _UNIT_WORDS.items() for word in words
}
# Words allowed between parts: "2 years and 6 months", "2 года и 6 месяцев".
_JOINERS = frozenset(normalize(word) for word in ("and", "и", "i", "және", "zhane", "jane"))
# A number and a unit word, with or without a space: "10d", "15 суток", "15 сут.", and the soft
# sign typed as an apostrophe in Latin letters: "10 den'", "2 nedel'".
_PART = re.compile(r"(\d+)\s*([^\W\d_]+)['’]?\.?")
_DAYS_PER_WEEK = 7


def parse_term(text: str) -> Term:
    """Read a term such as ``10 days``, ``15 суток``, ``7 жыл``, ``2y 6m`` or ``2 нед``.

    Args:
        text: whole numbers each followed by a unit word (years, months, weeks, days) in English,
            Russian, Kazakh or Latin-typed Russian/Kazakh; parts may be separated by spaces,
            commas or "and" / "и" / "және". Each unit at most once. ``m`` means months.

    Returns:
        The term, in the units given, except weeks, which become days.

    Raises:
        TermError: empty, an unknown word, a unit repeated, zero, or more than MAX_YEARS.
    """
    folded = normalize(text.replace(",", " "))
    amounts: dict[str, int] = {}
    end = 0
    for match in _PART.finditer(folded):
        between = folded[end : match.start()].split()
        if between and (not amounts or not _JOINERS.issuperset(between)):
            raise TermError("words that are not part of a term")
        unit = _UNITS.get(match[2])
        if unit is None:
            raise TermError("an unknown unit")
        if unit in amounts:
            raise TermError(f"{unit} given twice")
        amounts[unit] = int(match[1])
        end = match.end()
    if not amounts or folded[end:].strip():
        raise TermError("expected a term like 10 days, 15 суток, 7 years or 2y 6m")
    weeks = amounts.pop("weeks", 0)
    if weeks > MAX_YEARS * 53:  # before multiplying, so absurd numbers stay cheap
        raise TermError(f"a term longer than {MAX_YEARS} years")
    if weeks:
        amounts["days"] = amounts.get("days", 0) + weeks * _DAYS_PER_WEEK
    return Term(**amounts)


def release_date(start: date, term: Term, credit_days: int = 0) -> date:
    """The day a term ends: ``start`` plus the term, less days already served.

    The start day counts as the first day served, so the release day is the day after the
    last one: a 10-day arrest from 2026-03-01 ends on 2026-03-11, a 1-year term from
    2026-03-01 on 2027-03-01. Years and months are calendar units and clip to the month's
    end (2024-02-29 + 1 year = 2025-02-28; 2026-01-31 + 1 month = 2026-02-28); days are added
    after them.

    Args:
        start: the day the term began.
        term: its length.
        credit_days: days counted toward the term, e.g. pre-trial detention, already converted
            at whatever ratio the court applied.

    Returns:
        The release date.

    Raises:
        TermError: ``credit_days`` is negative or longer than the term.
    """
    end = start + _calendar(term)
    if not 0 <= credit_days <= (end - start).days:
        raise TermError("credit must be between zero and the length of the term")
    return end - timedelta(days=credit_days)


def _calendar(term: Term) -> relativedelta:
    return relativedelta(years=term.years, months=term.months, days=term.days)
