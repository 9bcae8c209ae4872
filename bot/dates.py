"""Dates and times people type, and the reminder offsets an operator configures.

People write a hearing's date the way they would in a chat: ``03.12.2026 10:00``, ``03.12``,
``2026-12-03``, ``завтра 10:00``, ``ертең 10:00`` or ``zavtra 10:00`` from a phone without a
Cyrillic keyboard. Everything typed is read in the network's time zone and returned in UTC.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "DateError",
    "DateProblem",
    "When",
    "format_offset",
    "format_offsets",
    "normalize",
    "parse_date",
    "parse_offset",
    "parse_offsets",
    "parse_when",
]


class DateProblem(enum.Enum):
    """Why a typed date was refused; handlers pick their reply from this."""

    NOT_A_DATE = "not_a_date"
    IMPOSSIBLE = "impossible"
    TIME_NEEDED = "time_needed"
    IN_THE_PAST = "in_the_past"


class DateError(ValueError):
    """A typed date was refused.

    ``problem`` says why; the message is for logs only and never quotes what was typed.
    """

    def __init__(self, problem: DateProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class When:
    """A moment someone typed.

    Attributes:
        moment: aware, in UTC. For a bare date: ``default_time`` on that day, or local midnight.
        has_time: False when only a date was typed (even if ``default_time`` filled it in).
        local_date: the calendar date in the zone it was typed in.
    """

    moment: datetime
    has_time: bool
    local_date: date


# Letters folded before matching, so one table entry serves every keyboard: ё is often typed
# as е, Kazakh letters as their Russian look-alikes on phones without a Kazakh layout, and the
# letters of Kazakh's Latin alphabet (ä, ğ, q, ñ, ö, ū, ü, ı, ş) as plain Latin ones, the way
# they are typed on a phone without a Cyrillic keyboard ("erteñ" and "erten", "ashtyq" and
# "ashtyk"). Both the tables and the typed text are folded, so no table lists a folded twin.
_FOLD = str.maketrans(
    {
        **dict(zip("ёәғқңөұүһі", "еагкноуухи", strict=True)),
        **dict(zip("äğqñöūüı", "agknouui", strict=True)),
        "ş": "sh",
    }
)


def normalize(text: str) -> str:
    """Fold typed text for table look-ups.

    Args:
        text: what was typed.

    Returns:
        The text lower-cased, with ё as е, Kazakh letters as Russian look-alikes
        (ү → у, ң → н, і → и ...), Kazakh Latin letters as plain Latin (ñ → n, q → k, ş → sh ...)
        and runs of whitespace as one space.
    """
    return " ".join(text.lower().translate(_FOLD).split())


# Relative day words → days after today, as people spell them in English, Russian and Kazakh,
# and in Latin letters on a phone without a Cyrillic keyboard; folded on import. There are
# deliberately no past words (вчера, кеше): every caller wants today or a day to come, and a
# sentence's start is typed as a date.
_DAY_WORDS_BY_OFFSET: dict[int, tuple[str, ...]] = {
    0: (
        *("today",),
        *("сегодня", "segodnya", "segodnia", "segodnja", "sevodnya"),
        *("бүгін", "bugin", "bugun"),
    ),
    1: (
        *("tomorrow", "tmrw"),
        *("завтра", "zavtra"),
        *("ертең", "erten", "erteng"),
    ),
    2: (
        *("day after tomorrow", "the day after tomorrow"),
        *("послезавтра", "после завтра", "poslezavtra", "posle zavtra"),
        # арғы күні ("the day beyond") is used for both the day after tomorrow and, more
        # rarely, the day before yesterday; with no past words here it is read forward.
        *("бүрсігүні", "bursiguni", "арғы күні", "argy kuni", "argi kuni", "arghy kuni"),
    ),
}

_DAY_WORDS: dict[str, int] = {
    normalize(word): offset for offset, words in _DAY_WORDS_BY_OFFSET.items() for word in words
}

# Words allowed between a day and its time: "завтра в 10:00", "tomorrow at 10:00",
# "ертең сағат 10:00" (сағат: o'clock), "erten sagat 10:00".
_TIME_WORDS: tuple[str, ...] = (
    *("at",),
    *("в", "во", "v"),
    *("сағат", "сағ", "sagat", "saghat", "sag"),
)
# Kazakh puts "at" after the time as a suffix: "ертең 10:00-де", "10:00 да".
_TIME_SUFFIXES: tuple[str, ...] = ("де", "да", "те", "та", "de", "da", "te", "ta")


def _alternatives(words: tuple[str, ...]) -> str:
    """A regular-expression alternation of folded words, longest first."""
    folded = sorted({normalize(word) for word in words}, key=len, reverse=True)
    return "|".join(re.escape(word) for word in folded)


# The typed text splits into a day part and an optional time: "<day> 10:00", "<day>, 10:00",
# "<day> в 10:00", "<day> at 10:00", "<day> 10:00-де", or ISO's "2026-12-03t10:00" (lower-cased).
_WITH_TIME = re.compile(
    rf"(?P<day>.+?)(?:(?:,?\s+(?:(?:{_alternatives(_TIME_WORDS)})\.?\s+)?|(?<=\d)t)"
    rf"(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?:\s*-?\s*(?:{_alternatives(_TIME_SUFFIXES)}))?)?"
)
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DOTTED_DATE = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})(?:\.(?P<year>\d{4}))?")


def parse_when(
    text: str,
    *,
    now: datetime,
    zone: ZoneInfo,
    need_time: bool = False,
    default_time: time | None = None,
    future: bool = False,
) -> When:
    """Read a date, with or without a time, as typed in ``zone``.

    Accepted: ``2026-12-03 10:00``, ``2026-12-03T10:00``, ``2026-12-03``, ``03.12.2026 10:00``,
    ``3.12.2026``, ``03.12 10:00``, ``03.12`` (this year, or next year if that day has passed),
    and the day words today / tomorrow / the day after tomorrow in English, Russian, Kazakh and
    their Latin transliterations, each optionally followed by a time (``завтра 10:00``,
    ``завтра в 10:00``, ``tomorrow at 9:30``). Times use a colon, 24-hour clock. A time alone
    is not a date. A local time skipped or repeated by a clock change is read with ``fold=0``.

    Args:
        text: what was typed; case, extra spaces and ё/е do not matter.
        now: the current moment, aware.
        zone: the zone the text is read in.
        need_time: refuse a bare date (TIME_NEEDED), even if ``default_time`` is given.
        default_time: the local time given to a bare date; local midnight if None.
        future: refuse a moment not after ``now`` (IN_THE_PAST); a bare date is refused only
            if its day is before today in ``zone``.

    Returns:
        The moment in UTC, whether a time was typed, and the local date.

    Raises:
        DateError: with ``problem`` NOT_A_DATE, IMPOSSIBLE (31.02, 2026-13-01, 25:00),
            TIME_NEEDED or IN_THE_PAST.
        ValueError: ``now`` is naive (a programming error, not a typing one).
    """
    today = _local_today(now, zone)
    day, at = _read(text, today)
    if at is None and need_time:
        raise DateError(DateProblem.TIME_NEEDED, "a date without a time")
    local = datetime.combine(day, at or default_time or time(0), tzinfo=zone)
    moment = local.astimezone(UTC)
    passed = moment <= now if at is not None else day < today
    if future and passed:
        raise DateError(DateProblem.IN_THE_PAST, f"{day.isoformat()} is in the past")
    return When(moment=moment, has_time=at is not None, local_date=day)


def parse_date(text: str, *, now: datetime, zone: ZoneInfo, past: bool = False) -> date:
    """Read a bare date, in the same forms as :func:`parse_when` but without a time.

    Args:
        text: what was typed: ``03.12.2026``, ``03.12``, ``2026-12-03``, ``завтра`` ...
        now: the current moment, aware.
        zone: the zone that decides which day "today" is.
        past: a date typed without a year means the latest such day up to today (a sentence's
            start), instead of the next one from today (a hearing).

    Returns:
        The calendar date.

    Raises:
        DateError: NOT_A_DATE (also when a time is included) or IMPOSSIBLE.
        ValueError: ``now`` is naive.
    """
    today = _local_today(now, zone)
    day, at = _read(text, today)
    if at is not None:
        raise DateError(DateProblem.NOT_A_DATE, "a time where only a date is expected")
    if past and day > today and _without_year(text):
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29.02 of a leap year: the year before has none
            raise DateError(DateProblem.IMPOSSIBLE, "no such day last year") from None
    return day


def _without_year(text: str) -> bool:
    match = _DOTTED_DATE.fullmatch(normalize(text))
    return match is not None and match["year"] is None


def _local_today(now: datetime, zone: ZoneInfo) -> date:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone).date()


def _read(text: str, today: date) -> tuple[date, time | None]:
    """Split typed text into a local date and an optional local time."""
    match = _WITH_TIME.fullmatch(normalize(text))
    if match is None:
        raise DateError(DateProblem.NOT_A_DATE, "empty")
    day = _read_day(match["day"], today)
    if match["hour"] is None:
        return day, None
    try:
        return day, time(int(match["hour"]), int(match["minute"]))
    except ValueError as error:
        raise DateError(DateProblem.IMPOSSIBLE, str(error)) from None


def _read_day(text: str, today: date) -> date:
    if (offset := _DAY_WORDS.get(text)) is not None:
        return today + timedelta(days=offset)
    if (match := _ISO_DATE.fullmatch(text) or _DOTTED_DATE.fullmatch(text)) is None:
        raise DateError(DateProblem.NOT_A_DATE, "no date form matches")
    month, day = int(match["month"]), int(match["day"])
    if match["year"] is not None:
        year = int(match["year"])
    else:
        # Without a year a day that has passed means next year's: 03.12 typed on 04.12.
        year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    try:
        return date(year, month, day)
    except ValueError as error:
        raise DateError(DateProblem.IMPOSSIBLE, str(error)) from None


# Reminder offsets. Units largest first: format_offset picks the first that divides evenly.
_OFFSET_UNITS: dict[str, timedelta] = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
}
_OFFSET = re.compile(r"\s*(\d+)\s*([a-z])\s*")
_OFFSET_EXAMPLE = "expected a duration like 30m, 2h, 48h or 7d"


def parse_offset(text: str) -> timedelta:
    """Read one positive duration: a whole number and a unit.

    Args:
        text: e.g. ``90s``, ``30m``, ``24h``, ``7d``, ``2w``; m means minutes. Lower case only,
            so that ``M`` is never mistaken for months.

    Returns:
        The duration, positive.

    Raises:
        ValueError: not in that form, an unknown unit, or zero.
    """
    match = _OFFSET.fullmatch(text)
    if match is None or match[2] not in _OFFSET_UNITS or int(match[1]) == 0:
        # Not quoting the text: the settings loader already reports the value it was given.
        raise ValueError(f"{_OFFSET_EXAMPLE}; units s, m (minutes), h, d, w")
    return int(match[1]) * _OFFSET_UNITS[match[2]]


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """Read comma-separated reminder offsets such as ``24h,1h`` or ``7d, 1d, 3h``.

    Args:
        text: one or more durations as :func:`parse_offset` reads them, separated by commas.

    Returns:
        The offsets, longest first, each once (``24h,1d`` gives one offset).

    Raises:
        ValueError: the text is blank, or a part is not a positive duration.
    """
    if not text.strip():
        raise ValueError(f"{_OFFSET_EXAMPLE}, or several separated by commas; got nothing")
    return tuple(sorted({parse_offset(part) for part in text.split(",")}, reverse=True))


def format_offset(delta: timedelta) -> str:
    """Write a duration in its largest whole unit, the inverse of :func:`parse_offset`.

    Args:
        delta: a positive whole number of seconds.

    Returns:
        e.g. ``"1w"`` for 7 days, ``"1d"`` for 24 hours, ``"3h"``, ``"90m"``, ``"45s"``.

    Raises:
        ValueError: zero, negative, or a fraction of a second.
    """
    if delta <= timedelta(0) or delta.microseconds:
        raise ValueError(f"cannot write {delta!r} as a reminder offset")
    for unit, size in _OFFSET_UNITS.items():
        if not delta % size:
            return f"{delta // size}{unit}"
    raise AssertionError("seconds divide every whole-second duration")  # pragma: no cover


def format_offsets(offsets: tuple[timedelta, ...]) -> str:
    """Write offsets as :func:`parse_offsets` reads them, e.g. ``"1d,1h"``.

    Args:
        offsets: positive whole-second durations.

    Returns:
        The offsets joined by commas, in the given order.
    """
    return ",".join(format_offset(delta) for delta in offsets)
