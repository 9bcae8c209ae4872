"""Health reports read in three languages, and what a person's reports add up to."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.health import HealthEntry, HealthFact, HealthKind, HealthSummary, read_health, summarize

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+5

START = HealthFact(HealthKind.HUNGER_STRIKE_START)
END = HealthFact(HealthKind.HUNGER_STRIKE_END)
HOSPITAL = HealthFact(HealthKind.HOSPITALISED)
DISCHARGED = HealthFact(HealthKind.DISCHARGED)


def kg(weight: float) -> HealthFact:
    return HealthFact(HealthKind.WEIGHT, weight_kg=weight)


def day(number: int) -> HealthFact:
    return HealthFact(HealthKind.HUNGER_STRIKE_DAY, day=number)


def utc(month: int, day_: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day_, hour, minute, tzinfo=UTC)


def entry(at: datetime, text: str) -> HealthEntry:
    return HealthEntry(at=at, facts=tuple(read_health(text)))


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # Weight
        ("weight 45 kg", [kg(45)]),
        ("45kg", [kg(45)]),
        ("Weight: 45.5", [kg(45.5)]),
        ("weighs 47 kilos", [kg(47)]),
        ("вес 45 кг", [kg(45)]),
        ("весит 45,5 кг", [kg(45.5)]),
        ("Вес сейчас 51", [kg(51)]),
        ("ves 48 kg", [kg(48)]),
        ("салмағы 45 кг", [kg(45)]),
        ("салмағы 52,3 келі", [kg(52.3)]),
        ("weight dropped from 62 to 45 kg", [kg(45)]),
        ("lost 25 kg, now weighs 45 kg", [kg(45)]),
        ("похудела на 25 кг, вес 45", [kg(45)]),
        ("салмағы 25 кг-ға төмендеді", []),
        ("weight 500 kg", []),
        ("вес 12 кг", []),
        # Hunger strike start
        ("hunger strike started", [START]),
        ("Began a hunger strike on Monday", [START]),
        ("is on hunger strike", [START]),
        ("объявил голодовку", [START]),
        ("объявила голодовку", [START]),
        ("начала голодовку", [START]),
        ("Голодовка с 1 марта", [START]),
        ("golodovka", [START]),
        ("ob'yavila golodovku", [START]),
        ("аштық жариялады", [START]),
        # Day N
        ("day 12 of hunger strike", [day(12)]),
        ("12th day of hunger strike", [day(12)]),
        ("hunger strike, day 3", [day(3)]),
        ("12-й день голодовки", [day(12)]),
        ("12 день голодовки", [day(12)]),
        ("5-е сутки голодовки", [day(5)]),
        ("12 den golodovki", [day(12)]),
        ("аштықтың 12-күні", [day(12)]),
        ("аштықтың 12-ші күні", [day(12)]),
        ("day 0 of hunger strike", []),
        # End
        ("ended the hunger strike", [END]),
        ("stopped hunger strike", [END]),
        ("hunger strike is over", [END]),
        ("прекратил голодовку", [END]),
        ("прекратила голодовку", [END]),
        ("завершила голодовку", [END]),
        ("Голодовка прекращена", [END]),
        ("prekratila golodovku", [END]),
        ("аштықты тоқтатты", [END]),
        # Hospital
        ("hospitalised", [HOSPITAL]),
        ("hospitalized", [HOSPITAL]),
        ("taken to hospital", [HOSPITAL]),
        ("госпитализирован", [HOSPITAL]),
        ("госпитализирована", [HOSPITAL]),
        ("в больнице", [HOSPITAL]),
        ("увезли в больницу", [HOSPITAL]),
        ("gospitalizirovana", [HOSPITAL]),
        ("ауруханаға жатқызылды", [HOSPITAL]),
        # Discharge
        ("discharged", [DISCHARGED]),
        ("released from hospital", [DISCHARGED]),
        ("выписан", [DISCHARGED]),
        ("выписана", [DISCHARGED]),
        ("vypisana", [DISCHARGED]),
        ("ауруханадан шықты", [DISCHARGED]),
        # Several facts, in the order written; a fact said twice in a row counts once
        (
            "Day 12 of hunger strike, 51.5 kg, taken to hospital",
            [day(12), kg(51.5), HOSPITAL],
        ),
        ("Госпитализирована, в больнице под охраной", [HOSPITAL]),
        ("Выписана из больницы, прекратила голодовку, вес 47,2 кг", [DISCHARGED, END, kg(47.2)]),
        # Nothing to read
        ("Visited by her lawyer today, feels fine", []),
        ("весна 2026", []),
    ],
)
def test_read_health(text: str, facts: list[HealthFact]) -> None:
    assert read_health(text) == facts


# Every word of every health table, by language; "Latin" is Russian or Kazakh typed on a phone
# without a Cyrillic keyboard.
WEIGHT_WORDS = {
    "en": ("weight", "weighs", "weighed", "weighing"),
    "ru": ("вес", "весит", "весил", "весила", "весят"),
    "kk": ("салмақ", "салмағы", "салмағым"),
    "Latin": (
        *("ves", "vesit", "vesil", "vesila", "vesyat"),
        *("salmak", "salmaq", "salmagy", "salmaghy", "salmagi", "salmağı"),
    ),
}
KG_WORDS = {
    "en": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"),
    "ru": ("кг", "кило", "килограмм", "килограммов", "kilogramm"),
    "kk": ("келі",),
    "Latin": ("keli",),
}
WEIGHT_FILLERS = {
    "en": ("is", "was", "now", "only", "about", "around", "just"),
    "ru": ("сейчас", "теперь", "уже", "всего", "около", "примерно", "составляет"),
    "kk": ("қазір", "шамамен", "тек"),
    "Latin": (
        *("seichas", "seychas", "sejchas", "teper", "uzhe", "vsego", "okolo", "primerno"),
        *("kazir", "qazir", "shamamen", "tek"),
    ),
}
# The strike in the forms a day count stands next to, with its nominative for "<strike> day N".
STRIKE_WORDS = {
    "en": ("hunger strike", "hunger-strike", "hungerstrike"),
    "ru": ("голодовка", "голодовки", "голодает", "голодают"),
    "kk": ("аштық", "аштықтың", "аштықта", "аштык"),
    "Latin": (
        *("golodovka", "golodovki", "golodaet", "golodayut", "golodaiut"),
        *("ashtyk", "ashtyq", "ashtyktyn", "ashtyktyng", "ashtykta"),
    ),
}
DAY_WORDS = {
    "en": ("day", "days"),
    "ru": ("день", "дня", "дней", "сутки", "суток"),
    "kk": ("күн", "күні"),
    "Latin": ("den", "den'", "dnya", "dney", "dnia", "dnei", "sutki", "sutok", "kun", "kuni"),
}
ORDINALS = {
    "en": ("th",),
    "ru": ("-й", "-ый", "-ий", "-ой", "-е", "-ые", "-ие", " - й"),
    "kk": ("-ші", "-шы", "-інші", "-ыншы"),
    "Latin": ("-y", "-yi", "-iy", "-j", "-oj", "-shi", "-shy", "-inshi", "-nshi"),
}
DAY_FILLERS = {
    "en": ("already", "now", "for", "continues", "ongoing"),
    "ru": ("уже", "идет", "идёт", "длится", "продолжается"),
    "kk": ("жалғасуда",),
    "Latin": ("uzhe", "idet", "dlitsya", "prodolzhaetsya", "zhalgasuda"),
}


def each(table: dict[str, tuple[str, ...]]) -> list[object]:
    return [
        pytest.param(word, id=f"{language}-{word}")
        for language, words in table.items()
        for word in words
    ]


@pytest.mark.parametrize("word", each(WEIGHT_WORDS))
def test_every_weight_word_takes_a_number_with_or_without_a_unit(word: str) -> None:
    assert read_health(f"{word} 52") == [kg(52)]
    assert read_health(f"{word}: 52,5 кг") == [kg(52.5)]
    assert read_health(f"{word.upper()} 52 kg") == [kg(52)]


@pytest.mark.parametrize("word", each(KG_WORDS))
def test_every_unit_makes_a_number_a_weight(word: str) -> None:
    assert read_health(f"52 {word}") == [kg(52)]
    assert read_health(f"5 {word}") == []


@pytest.mark.parametrize("word", each(WEIGHT_FILLERS))
def test_every_filler_may_stand_between_weight_and_number(word: str) -> None:
    assert read_health(f"вес {word} 52") == [kg(52)]
    assert read_health(f"weight {word} 52") == [kg(52)]


@pytest.mark.parametrize("strike", each(STRIKE_WORDS))
@pytest.mark.parametrize("word", each(DAY_WORDS))
def test_every_strike_and_day_word_give_a_day_count(strike: str, word: str) -> None:
    assert read_health(f"{strike} 5 {word}") == [day(5)]
    assert read_health(f"{strike}, {word} 5") == [day(5)]
    assert read_health(f"5 {word} {strike}") == [day(5)]
    assert read_health(f"{word} 5 {strike}") == [day(5)]


@pytest.mark.parametrize("ending", each(ORDINALS))
def test_every_ordinal_ending_on_a_day_count(ending: str) -> None:
    assert read_health(f"5{ending} день голодовки") == [day(5)]
    assert read_health(f"голодовка 5{ending} день") == [day(5)]
    assert read_health(f"аштықтың 5{ending} күні") == [day(5)]


@pytest.mark.parametrize("word", each(DAY_FILLERS))
def test_every_filler_may_stand_between_strike_and_day_count(word: str) -> None:
    assert read_health(f"голодовка {word} 5 дней") == [day(5)]
    assert read_health(f"hunger strike {word} 5 days") == [day(5)]
    assert read_health(f"аштық {word} 5 күн") == [day(5)]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # Weight, with no unit after a weight word, in Latin letters
        ("ves 52", [kg(52)]),
        ("salmak 52", [kg(52)]),
        ("salmagy 52,3 keli", [kg(52.3)]),
        ("салмак 52", [kg(52)]),
        ("poteryala 10 kg, ves 50", [kg(50)]),
        ("салмағы 10 келі арықтады", []),
        ("salmagy 10 keli aryktady", []),
        # Hunger strike start, the bare noun or verb in each language
        ("hunger strike", [START]),
        ("Hunger strike since Monday", [START]),
        ("аштық", [START]),
        ("ashtyk", [START]),
        ("ashtyq", [START]),
        ("аштык", [START]),
        ("голодает", [START]),
        ("golodaet", [START]),
        ("derzhit golodovku", [START]),
        ("ashtyk zhariyalady", [START]),
        ("ashtyq aktsiyasyn bastady", [START]),
        # Day N, wherever it is clearly a day count
        ("голодовка 5 день", [day(5)]),
        ("голодовка 5-й день", [day(5)]),
        ("Голодовка: 5-й день", [day(5)]),
        ("5-й день голодовки", [day(5)]),
        ("голодает 5-й день", [day(5)]),
        ("голодовка уже 5 дней", [day(5)]),
        ("голодовка продолжается 12-й день", [day(12)]),
        ("golodovka day 5", [day(5)]),
        ("golodovka 5 den'", [day(5)]),
        ("5-y den golodovki", [day(5)]),
        ("hunger strike day 5", [day(5)]),
        ("hunger strike 5th day", [day(5)]),
        ("10 days on hunger strike", [day(10)]),
        ("аштықтың 5-күні", [day(5)]),
        ("аштықтың 5-ші күні", [day(5)]),
        ("аштык 5 кун", [day(5)]),
        ("ashtyktyn 5-kuni", [day(5)]),
        ("ashtyqtyñ 5-shi küni", [day(5)]),
        ("аштықта 5 күн", [day(5)]),
        # End, in Latin letters
        ("vyshla iz golodovki", [END]),
        ("golodovka prekrashchena", [END]),
        ("snyala golodovku", [END]),
        ("ashtykty toktatty", [END]),
        ("ashtyqty toqtatty", [END]),
        ("аштық тоқтатылды", [END]),
        ("ashtyk ayaktaldy", [END]),
        # Hospital and discharge, in Latin letters
        ("gospitalizirovany", [HOSPITAL]),
        ("v bolnitse", [HOSPITAL]),
        ("v bol'nice", [HOSPITAL]),
        ("v reanimatsii", [HOSPITAL]),
        ("uvezli v bolnitsu", [HOSPITAL]),
        ("pereveli v reanimatsiyu", [HOSPITAL]),
        ("ауруханаға жатқызды", [HOSPITAL]),
        ("aurukhanaga zhatkyzyldy", [HOSPITAL]),
        ("auruhanaga tusti", [HOSPITAL]),
        ("ауруханада", [HOSPITAL]),
        ("aurukhanada", [HOSPITAL]),
        ("vypisali", [DISCHARGED]),
        ("vypisalas'", [DISCHARGED]),
        ("vyshla iz bolnitsy", [DISCHARGED]),
        ("aurukhanadan shykty", [DISCHARGED]),
        ("auruhanadan shyqty", [DISCHARGED]),
        ("ауруханадан шығарды", [DISCHARGED]),
    ],
)
def test_read_health_in_every_language_and_latin_letters(
    text: str, facts: list[HealthFact]
) -> None:
    assert read_health(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # A weight of 5 kg, or a number with no weight word or unit, is not a weight.
        ("a weight of 5 kg", []),
        ("вес 5", []),
        ("salmak 5", []),
        ("ves 500", []),
        ("52", []),
        ("весна 52", []),
        ("vesna 52", []),
        ("vesyolaya 52", []),
        # A strike with a date, not a day count, is a start.
        ("голодовка с 5 марта", [START]),
        ("голодовка 5 марта", [START]),
        ("golodovka, 48 kg", [START, kg(48)]),
        ("hunger strike, 48 kg", [START, kg(48)]),
        # Days without a strike are not a strike.
        ("5 дней в ШИЗО", []),
        ("5 күн", []),
        ("day 5", []),
        ("день 0 голодовки", []),
        ("day 1000 of hunger strike", [START]),
        ("day 1.5 of hunger strike", [START]),
        # Words that only start like a keyword.
        ("голодовкам", []),
        ("ashtyktar", []),
        ("hunger strikers", []),
        ("аурухана", []),
        ("ves'ma", []),
    ],
)
def test_what_must_not_be_read(text: str, facts: list[HealthFact]) -> None:
    assert read_health(text) == facts


def test_negation_is_not_understood() -> None:
    # Documented limitation: the status line may be wrong, the report text is still shown.
    assert read_health("not hospitalised") == [HOSPITAL]


def test_nothing_reported_sums_to_nothing() -> None:
    assert summarize([], now=utc(3, 1), zone=ALMATY) == HealthSummary(
        latest_weight=None,
        first_weight=None,
        first_weight_at=None,
        hunger_strike_since=None,
        hunger_strike_day=None,
        in_hospital=False,
    )


def test_weight_trend_keeps_the_first_and_the_latest_weight() -> None:
    entries = [
        entry(utc(3, 10, 9), "вес 55 кг"),
        entry(utc(3, 1, 9), "Daniyar Sarsenbayev: weight 62 kg"),  # out of order on purpose
        entry(utc(3, 15, 9), "hunger strike day 15, feels weak"),
        entry(utc(3, 20, 9), "салмағы 45 кг"),
    ]
    summary = summarize(entries, now=utc(3, 21), zone=ALMATY)
    assert summary.first_weight == 62
    assert summary.first_weight_at == utc(3, 1, 9)
    assert summary.latest_weight == 45


def test_ongoing_strike_day_turns_at_almaty_midnight() -> None:
    # "Day 12" reported at 22:30 Almaty on 10 March: the strike began on 27 February.
    entries = [entry(utc(3, 10, 17, 30), "12-й день голодовки")]
    before_midnight = summarize(entries, now=utc(3, 10, 18, 59), zone=ALMATY)  # 23:59 local
    after_midnight = summarize(entries, now=utc(3, 10, 19, 1), zone=ALMATY)  # 00:01 local
    assert before_midnight.hunger_strike_day == 12
    assert after_midnight.hunger_strike_day == 13  # still 10 March in UTC
    assert after_midnight.hunger_strike_since == datetime(2026, 2, 27, tzinfo=ALMATY)
    assert after_midnight.hunger_strike_since.tzinfo is UTC


def test_strike_started_is_day_one_and_a_later_start_changes_nothing() -> None:
    entries = [
        entry(utc(4, 1, 6), "Aigerim Nurlanovna объявила голодовку"),
        entry(utc(4, 3, 6), "голодовка продолжается"),
    ]
    assert summarize(entries[:1], now=utc(4, 1, 7), zone=ALMATY).hunger_strike_day == 1
    summary = summarize(entries, now=utc(4, 5, 6), zone=ALMATY)
    assert summary.hunger_strike_since == utc(4, 1, 6)
    assert summary.hunger_strike_day == 5


def test_a_day_count_corrects_the_start() -> None:
    entries = [
        entry(utc(4, 10, 6), "on hunger strike"),  # the network learnt of it late
        entry(utc(4, 11, 6), "аштықтың 8-күні"),
    ]
    summary = summarize(entries, now=utc(4, 11, 6), zone=ALMATY)
    assert summary.hunger_strike_day == 8
    assert summary.hunger_strike_since == datetime(2026, 4, 4, tzinfo=ALMATY)


def test_ended_strike_is_not_ongoing_and_a_new_one_counts_afresh() -> None:
    entries = [
        entry(utc(5, 1, 6), "began a hunger strike"),
        entry(utc(5, 9, 6), "прекратила голодовку, вес 48 кг"),
    ]
    ended = summarize(entries, now=utc(5, 12), zone=ALMATY)
    assert ended.hunger_strike_since is None
    assert ended.hunger_strike_day is None
    assert ended.latest_weight == 48
    again = [*entries, entry(utc(5, 20, 6), "аштық жариялады")]
    assert summarize(again, now=utc(5, 21, 6), zone=ALMATY).hunger_strike_day == 2


def test_hospital_then_discharge() -> None:
    entries = [entry(utc(6, 1, 6), "taken to hospital"), entry(utc(6, 4, 6), "выписана")]
    assert summarize(entries[:1], now=utc(6, 2), zone=ALMATY).in_hospital is True
    assert summarize(entries, now=utc(6, 5), zone=ALMATY).in_hospital is False
    readmitted = [*entries, entry(utc(6, 6, 6), "ауруханаға жатқызылды")]
    assert summarize(readmitted, now=utc(6, 7), zone=ALMATY).in_hospital is True


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        summarize([], now=datetime(2026, 3, 1), zone=ALMATY)  # noqa: DTZ001
    naive = HealthEntry(at=datetime(2026, 3, 1), facts=())  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        summarize([naive], now=utc(3, 1), zone=ALMATY)
