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
