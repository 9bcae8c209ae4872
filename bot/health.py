"""Structure read from free-text health reports, and the status it adds up to.

Members write ``/health`` reports the way they would in a chat, in English, Russian or Kazakh, and
sometimes in Russian or Kazakh typed with Latin letters: ``вес 45,5 кг``, ``12-й день голодовки``,
``аштықты тоқтатты``, ``golodovka day 5``, ``salmak 52``, ``ashtyk``, ``taken to hospital``.
:func:`read_health` picks out weights, hunger-strike starts, day counts and ends, and hospital
admissions and discharges;
:func:`summarize` turns a person's reports into the figures a status line needs.

Reading is deliberately shallow, one table of phrases per concept:

* Negations are out of scope: ``не госпитализирована`` and ``not hospitalised`` read as
  hospitalised. Coordinators read the report text itself; the facts only feed a status line.
* Where matches overlap, the longest wins, so ``голодовка прекращена`` is an end and not the start
  that the bare ``голодовка`` would be, and ``lost 25 kg`` is a loss and not a weight.
* A number is a weight only in 20–300 kg; anything else is a typo or not a body weight.
* The bare nouns ``hunger strike``, ``голодовка`` and ``аштық`` read as a start, though ``аштық``
  also means plain hunger: in a report about a detainee the strike is by far the likelier sense.
* A strike word next to a day word and a number is a day count in any order and any mix of
  languages (``golodovka day 5``); next to a number alone (``голодовка 5 марта``) it is a start.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.dates import normalize

__all__ = [
    "MAX_WEIGHT_KG",
    "MIN_WEIGHT_KG",
    "HealthEntry",
    "HealthFact",
    "HealthKind",
    "HealthSummary",
    "read_health",
    "summarize",
]

MIN_WEIGHT_KG = 20.0
MAX_WEIGHT_KG = 300.0
_MAX_STRIKE_DAY = 999


class HealthKind(enum.StrEnum):
    """What one fact in a health report says."""

    WEIGHT = "weight"
    HUNGER_STRIKE_START = "hunger_strike_start"
    HUNGER_STRIKE_DAY = "hunger_strike_day"
    HUNGER_STRIKE_END = "hunger_strike_end"
    HOSPITALISED = "hospitalised"
    DISCHARGED = "discharged"


@dataclass(frozen=True, slots=True)
class HealthFact:
    """One fact read from a report.

    Attributes:
        kind: what the fact says.
        weight_kg: for :attr:`HealthKind.WEIGHT` only, in kilograms.
        day: for :attr:`HealthKind.HUNGER_STRIKE_DAY` only, counted from 1 (the day it began).
    """

    kind: HealthKind
    weight_kg: float | None = None
    day: int | None = None


@dataclass(frozen=True, slots=True)
class HealthEntry:
    """One ``/health`` report: when it was made and what was read from it.

    Attributes:
        at: when the report was made, aware (stored as UTC).
        facts: :func:`read_health` of its text, in the order written.
    """

    at: datetime
    facts: tuple[HealthFact, ...]


@dataclass(frozen=True, slots=True)
class HealthSummary:
    """What a person's health reports add up to at one moment.

    Attributes:
        latest_weight: the weight most recently reported, in kg.
        first_weight: the earliest weight reported, to show the trend against.
        first_weight_at: when ``first_weight`` was reported.
        hunger_strike_since: when the ongoing hunger strike began (local midnight of its first day
            when a report gave a day count, else the time of the report that announced it);
            None when no strike is ongoing.
        hunger_strike_day: today's day of the ongoing strike, counted on local dates from 1;
            None when no strike is ongoing.
        in_hospital: the last admission or discharge reported was an admission.
    """

    latest_weight: float | None
    first_weight: float | None
    first_weight_at: datetime | None
    hunger_strike_since: datetime | None
    hunger_strike_day: int | None
    in_hospital: bool


# Tables hold regular expressions over normalize()d text (lower case, ё as е, Kazakh letters as
# their Russian look-alikes, Kazakh Latin letters as plain Latin, single spaces). They are written
# in ordinary spelling and folded the same way on import, so they use only lower-case escapes
# (\d, \s, \w) and single spaces, and "аштық", "аштык", "ashtyq" and "ashtyk" are one entry.
# Every entry must match whole words: _compile() adds the word boundaries.


def _any(*words: str) -> str:
    """One group of alternatives, each a word or a regular-expression fragment."""
    return f"(?:{'|'.join(words)})"


# Words by meaning: English, Russian, Kazakh, then Russian and Kazakh typed in Latin letters.
_KG = _any(
    *("kg", "kgs", "kilos?", "kilograms?"),
    *("кг", "кило", r"килограмм\w*", r"kilogramm\w*"),
    *("келі", "keli"),
)
_WEIGHT_WORD = _any(
    *("weight", "weighs", "weighed", "weighing"),
    *("вес", "весит", "весил", "весила", "весят", "ves", "vesit", "vesil", "vesila", "vesyat"),
    *("салмақ", "салмағы", "салмағым", "salmak", "salmagy", "salmaghy", "salmagi"),
)
# Words that may stand between a weight word and its number: "weight is now 45".
_WEIGHT_FILLER = _any(
    *("is", "was", "now", "only", "about", "around", "just"),
    *("сейчас", "теперь", "уже", "всего", "около", "примерно", "составляет"),
    *("seichas", "seychas", "sejchas", "teper", "uzhe", "vsego", "okolo", "primerno"),
    *("қазір", "шамамен", "тек", "kazir", "shamamen", "tek"),
)
# The strike itself, in the forms that stand before or after a day count: "hunger strike",
# "голодовка" / "голодовки", "аштық" / "аштықтың", and "голодает" (is on hunger strike).
_HUNGER_STRIKE = _any(
    r"hunger[- ]?strike",
    *("голодовка", "голодовки", "голодает", "голодают"),
    *("golodovka", "golodovki", "golodaet", "golodayut", "golodaiut"),
    *("аштық", "аштықтың", "аштықта", "ashtyk", "ashtyktyn", "ashtyktyng", "ashtykta"),
)
_DAY_WORD = _any(
    *("day", "days"),
    *("день", "дня", "дней", "сутки", "суток"),
    *("den'?", "dnya", "dney", "dnia", "dnei", "sutki", "sutok"),
    *("күн", "күні", "kun", "kuni"),
)
# An ordinal ending on a day count: "12th", "12-й", "12-е", "12-ші", "12-shi".
_ORDINAL = _any(
    "st|nd|rd|th",
    r" ?- ?" + _any("й", "ый", "ий", "ой", "е", "ые", "ие", "ші", "шы", "інші", "ыншы"),
    r" ?- ?" + _any("y", "yi", "iy", "j", "oj", "shi", "shy", "inshi", "nshi"),
)
# Words that may stand between the strike and its day count: "голодовка уже 5 дней".
_DAY_FILLER = _any(
    *("already", "now", "for", "continues", "ongoing"),
    *("уже", "идет", "длится", "продолжается", "uzhe", "idet", "dlitsya", "prodolzhaetsya"),
    *("жалғасуда", "zhalgasuda"),
)
_SEPARATOR = r"(?: ?[,:—–-] ?| )"
_POSSESSIVE = r"(?:(?:a|an|the|her|his|their|my|our) )?"
_AURUKHANA = _any("аурухана", "aurukhana", "auruhana", "auruxana")

# A weight: 45, 45.5, 45,5 (the decimal comma people type in Russian and Kazakh); the one group.
_NUMBER = r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,2})?)(?!\d)"
# A day count: the one group.
_DAY_NUMBER = r"(?<![\d.,])(\d{1,3})(?![\d.,]\d)"

_WEIGHT: tuple[str, ...] = (
    # A number with a unit is a weight wherever it stands: "45 kg", "45kg", "до 45 кг".
    rf"{_NUMBER} ?{_KG}",
    # A weight word then the number, the unit optional: "weight 45", "вес: 45,5", "salmak 52".
    rf"{_WEIGHT_WORD}(?: ?[:=—–-])?(?: {_WEIGHT_FILLER})* ?{_NUMBER}(?: ?{_KG})?",
)

# Weight lost, not weight: kept out of _WEIGHT by being the longer match ("lost 25 kg").
_WEIGHT_CHANGE: tuple[str, ...] = (
    rf"(?:lost|losing|loses|loss of|down by|dropped by|minus) {_NUMBER} ?{_KG}",
    rf"(?:похудел|похудела|похудели|потерял|потеряла|потеряли|сбросил|сбросила|минус"
    rf"|pohudela?|poteryala?|sbrosila?|minus) (?:на |na )?{_NUMBER} ?{_KG}",
    rf"(?:на|na) {_NUMBER} ?{_KG} (?:меньше|легче|menshe|legche)",
    # "салмағы 25 кг-ға төмендеді", "25 келі арықтады": by 25 kg, lost 25 kg.
    rf"(?:{_WEIGHT_WORD} )?{_NUMBER} ?{_KG}(?:-?(?:ға|ге|қа|ке|ga|ge|ka|ke))?"
    rf" (?:арықтады|азайды|төмендеді|жоғалтты|aryktady|azaidy|tomendedi|zhogaltty)",
)

_HUNGER_STRIKE_START: tuple[str, ...] = (
    rf"(?:started|starts|began|begun|begins|declared|declares|announced|announces|went on"
    rf"|goes on|is on|are on|remains on|still on|continues) {_POSSESSIVE}hunger[- ]?strike",
    r"hunger[- ]?strike (?:has |have |was )?(?:started|begun|began|declared)",
    r"(?:is |are |began |started )?hunger[- ]?striking",
    r"(?:объявил|объявила|объявили|начал|начала|начали|держит|держат|продолжает|продолжают)"
    r" голодовку",
    r"(?:ob'?y?avil|ob'?y?avila|ob'?y?avili|nachal|nachala|nachali|derzhit|derzhat"
    r"|prodolzhaet|prodolzhayut) golodovku",
    r"аштық (?:акциясын )?(?:жариялады|бастады)",
    r"ashtyk (?:aktsiyasyn |aktsiasyn )?(?:zhariyalady|zhariialady|bastady)",
    # The bare noun in the nominative, and the verb: "Голодовка с 1 марта", "hunger strike since
    # Monday", "аштық", "голодает".
    r"hunger[- ]?strike|голодовка|golodovka|аштық|ashtyk",
    r"голодает|голодают|golodaet|golodayut|golodaiut",
)

_HUNGER_STRIKE_DAY: tuple[str, ...] = (
    # A count, then the strike: "12th day of hunger strike", "12-й день голодовки", "5 den
    # golodovki", "10 days on hunger strike".
    rf"{_DAY_NUMBER}{_ORDINAL}?(?: ?- ?| ){_DAY_WORD} (?:(?:of|on|into) {_POSSESSIVE})?"
    rf"{_HUNGER_STRIKE}",
    # A day word, its number, then the strike: "day 12 of hunger strike", "день 5 голодовки".
    rf"{_DAY_WORD} {_DAY_NUMBER} (?:(?:of|on|into) {_POSSESSIVE})?{_HUNGER_STRIKE}",
    # The strike, then a day word and its number: "hunger strike, day 3", "golodovka day 5".
    rf"{_HUNGER_STRIKE}{_SEPARATOR}(?:{_DAY_FILLER} )*{_DAY_WORD} {_DAY_NUMBER}",
    # The strike, then a count: "голодовка 5-й день", "голодает 5-й день", "аштықтың 12-күні",
    # "аштық 12 күн", "голодовка уже 5 дней".
    rf"{_HUNGER_STRIKE}{_SEPARATOR}(?:{_DAY_FILLER} )*{_DAY_NUMBER}{_ORDINAL}?(?: ?- ?| )"
    rf"{_DAY_WORD}",
)

_HUNGER_STRIKE_END: tuple[str, ...] = (
    rf"(?:ended|ends|stopped|stops|called off|calls off|broke|broken|suspended|suspends|finished"
    rf"|gave up|gives up|abandoned|quit) {_POSSESSIVE}hunger[- ]?strike",
    r"hunger[- ]?strike (?:is |has |was )?(?:over|ended|stopped|called off|suspended|finished)",
    r"(?:прекратил|прекратила|прекратили|завершил|завершила|завершили|закончил|закончила"
    r"|закончили|остановил|остановила|остановили|приостановил|приостановила|приостановили"
    r"|снял|сняла|сняли) голодовку",
    r"(?:prekratil|prekratila|prekratili|zavershil|zavershila|zavershili|zakonchil|zakonchila"
    r"|zakonchili|ostanovil|ostanovila|snyal|snyala|sniala) golodovku",
    r"(?:вышел|вышла|вышли) из голодовки",
    r"(?:vyshel|vyshla|vyshli) iz golodovki",
    r"голодовка (?:прекращена|завершена|окончена|закончилась|прекратилась|завершилась)",
    r"golodovka (?:prekrashchena|prekrashena|zavershena|okonchena|zakonchilas'?|prekratilas'?)",
    r"аштықты (?:тоқтатты|аяқтады|доғарды)",
    r"ashtykty (?:toktatty|ayaktady|aiaktady|dogardy)",
    r"аштық (?:тоқтатылды|аяқталды)",
    r"ashtyk (?:toktatyldy|ayaktaldy|aiaktaldy)",
)

_HOSPITALISED: tuple[str, ...] = (
    r"hospitali[sz]ed",
    r"(?:taken|admitted|rushed|brought|transferred|moved|sent) to (?:(?:a|the) )?hospital",
    r"in (?:(?:a|the) )?hospital",
    r"госпитализирован|госпитализирована|госпитализированы|госпитализировали",
    r"gospitalizirovan|gospitalizirovana|gospitalizirovany|gospitalizirovali",
    r"в больнице|в реанимации|v bol'?ni(?:ts|c)e|v reanimat?(?:si|ci)i",
    r"(?:доставлен|доставлена|доставили|увезли|увезен|увезена|отвезли|попал|попала|положили"
    r"|перевели) в (?:больницу|реанимацию)",
    r"(?:dostavlen|dostavlena|dostavili|uvezli|otvezli|popal|popala|polozhili|pereveli)"
    r" v (?:bol'?ni(?:ts|c)u|reanimat?(?:si|ci)(?:yu|iu))",
    rf"{_AURUKHANA}(?:ға|ga) (?:жатқызылды|жатқызды|түсті|жеткізілді|апарылды|әкетілді"
    rf"|zhatkyzyldy|zhatkyzdy|tusti|zhetkizildi|aparyldy|aketildi)",
    rf"{_AURUKHANA}(?:да|da)",
)

_DISCHARGED: tuple[str, ...] = (
    r"discharged",
    r"(?:released|sent home|back home) from (?:the )?hospital",
    r"(?:left|out of) (?:the )?hospital",
    r"выписан|выписана|выписаны|выписали|выписался|выписалась",
    r"vypisan|vypisana|vypisany|vypisali|vypisalsya|vypisalas'?",
    r"(?:вышел|вышла) из больницы|(?:vyshel|vyshla) iz bol'?ni(?:ts|c)y",
    rf"{_AURUKHANA}(?:дан|dan) (?:шықты|шығарылды|шығарды|shykty|shygaryldy|shygardy)",
)


def _compile(table: tuple[str, ...], *, groups: int = 0) -> tuple[re.Pattern[str], ...]:
    """Fold a table like the text it reads and make every entry match whole words only.

    Folding lower-cases the patterns too, which would break ``(?P<name>...)``; so a table whose
    entries capture a number has exactly one (unnamed) group, checked here.
    """
    patterns = tuple(re.compile(rf"(?<!\w)(?:{normalize(entry)})(?!\w)") for entry in table)
    for pattern in patterns:
        if pattern.groups != groups:
            raise ValueError(f"{pattern.pattern!r} must have {groups} capturing group(s)")
    return patterns


# Which table gives which fact; None: matches that only keep other tables from matching there.
_READERS: tuple[tuple[HealthKind | None, tuple[re.Pattern[str], ...]], ...] = (
    (HealthKind.WEIGHT, _compile(_WEIGHT, groups=1)),
    (None, _compile(_WEIGHT_CHANGE, groups=1)),
    (HealthKind.HUNGER_STRIKE_START, _compile(_HUNGER_STRIKE_START)),
    (HealthKind.HUNGER_STRIKE_DAY, _compile(_HUNGER_STRIKE_DAY, groups=1)),
    (HealthKind.HUNGER_STRIKE_END, _compile(_HUNGER_STRIKE_END)),
    (HealthKind.HOSPITALISED, _compile(_HOSPITALISED)),
    (HealthKind.DISCHARGED, _compile(_DISCHARGED)),
)


def _fact(kind: HealthKind, match: re.Match[str]) -> HealthFact | None:
    """The fact a match states, or None when its number is not plausible."""
    if kind is HealthKind.WEIGHT:
        weight = float(match[1].replace(",", "."))
        if not MIN_WEIGHT_KG <= weight <= MAX_WEIGHT_KG:
            return None
        return HealthFact(kind, weight_kg=weight)
    if kind is HealthKind.HUNGER_STRIKE_DAY:
        day = int(match[1])
        return HealthFact(kind, day=day) if 1 <= day <= _MAX_STRIKE_DAY else None
    return HealthFact(kind)


def read_health(text: str) -> list[HealthFact]:
    """Read the facts a free-text health report states.

    Args:
        text: the report as typed, in English, Russian or Kazakh (also in Latin letters).

    Returns:
        The facts in the order they are written. Where phrases overlap, only the longest counts;
        a fact repeated right after itself (``hospitalised ... в больнице``) is kept once.
        Implausible weights (outside 20–300 kg) and day counts (0, over 999) are left out.
        Negations are not understood (see the module docstring).
    """
    folded = normalize(text)
    found = [
        (match.start(), match.end(), kind, match)
        for kind, patterns in _READERS
        for pattern in patterns
        for match in pattern.finditer(folded)
    ]
    # Longest first (then leftmost); a match overlapping one already taken is dropped.
    found.sort(key=lambda item: (item[0] - item[1], item[0]))
    taken: list[tuple[int, int, HealthKind | None, re.Match[str]]] = []
    for item in found:
        start, end = item[0], item[1]
        if all(end <= other[0] or start >= other[1] for other in taken):
            taken.append(item)
    facts: list[HealthFact] = []
    for _, _, kind, match in sorted(taken, key=lambda item: item[0]):
        fact = _fact(kind, match) if kind is not None else None
        if fact is not None and (not facts or facts[-1] != fact):
            facts.append(fact)
    return facts


def _require_aware(moment: datetime, what: str) -> None:
    """Refuse a naive datetime: local dates cannot be told from it."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")


def summarize(entries: Sequence[HealthEntry], *, now: datetime, zone: ZoneInfo) -> HealthSummary:
    """Add up a person's health reports.

    Reports are taken in time order and facts in the order written, so a later fact overrides an
    earlier one. A hunger strike begins with a start or a day count and stays on until an end:
    a report of "day N" at time T puts its first day N - 1 local dates before T's local date
    (and corrects an earlier estimate); a start while a strike is on changes nothing.

    Args:
        entries: the person's reports, in any order.
        now: the moment to count the strike's day at, aware.
        zone: the network's time zone; days are counted on its calendar dates.

    Returns:
        The summary; all None/False when nothing relevant was reported.

    Raises:
        ValueError: ``now`` or a report time is naive.
    """
    _require_aware(now, "now")
    for entry in entries:
        _require_aware(entry.at, "HealthEntry.at")
    latest_weight: float | None = None
    first_weight: float | None = None
    first_weight_at: datetime | None = None
    strike_since: datetime | None = None
    in_hospital = False
    for entry in sorted(entries, key=lambda entry: entry.at):
        for fact in entry.facts:
            match fact.kind:
                case HealthKind.WEIGHT:
                    latest_weight = fact.weight_kg
                    if first_weight is None:
                        first_weight, first_weight_at = fact.weight_kg, entry.at.astimezone(UTC)
                case HealthKind.HUNGER_STRIKE_START:
                    if strike_since is None:
                        strike_since = entry.at
                case HealthKind.HUNGER_STRIKE_DAY if fact.day is not None:
                    first_day = entry.at.astimezone(zone).date() - timedelta(days=fact.day - 1)
                    strike_since = datetime.combine(first_day, time(), tzinfo=zone)
                case HealthKind.HUNGER_STRIKE_END:
                    strike_since = None
                case HealthKind.HOSPITALISED:
                    in_hospital = True
                case HealthKind.DISCHARGED:
                    in_hospital = False
    strike_day: int | None = None
    if strike_since is not None:
        days = (now.astimezone(zone).date() - strike_since.astimezone(zone).date()).days
        strike_day = max(days, 0) + 1
        strike_since = strike_since.astimezone(UTC)
    return HealthSummary(
        latest_weight=latest_weight,
        first_weight=first_weight,
        first_weight_at=first_weight_at,
        hunger_strike_since=strike_since,
        hunger_strike_day=strike_day,
        in_hospital=in_hospital,
    )
