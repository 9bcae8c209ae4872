"""Dates and times people type, read in the network's zone, and reminder offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.dates import (
    _DAY_WORDS_BY_OFFSET,
    DateError,
    DateProblem,
    When,
    format_offset,
    format_offsets,
    normalize,
    parse_date,
    parse_offset,
    parse_offsets,
    parse_when,
)

ALMATY = ZoneInfo("Asia/Almaty")
# 17:00 on Monday 15 June 2026 in Almaty (UTC+5).
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def when(text: str, now: datetime = NOW, **options: Any) -> When:
    return parse_when(text, now=now, zone=ALMATY, **options)


def problem(text: str, now: datetime = NOW, **options: Any) -> DateProblem:
    with pytest.raises(DateError) as caught:
        when(text, now, **options)
    return caught.value.problem


@pytest.mark.parametrize(
    ("text", "moment", "has_time"),
    [
        ("2026-12-03 10:00", utc(2026, 12, 3, 5, 0), True),
        ("2026-12-03T10:00", utc(2026, 12, 3, 5, 0), True),
        ("2026-12-03", utc(2026, 12, 2, 19, 0), False),
        ("03.12.2026 10:00", utc(2026, 12, 3, 5, 0), True),
        ("03.12.2026", utc(2026, 12, 2, 19, 0), False),
        ("3.12.2026", utc(2026, 12, 2, 19, 0), False),
        ("03.12 10:00", utc(2026, 12, 3, 5, 0), True),
        ("03.12", utc(2026, 12, 2, 19, 0), False),
        ("3.12.2026 9:30", utc(2026, 12, 3, 4, 30), True),
        ("  03.12.2026    10:00 ", utc(2026, 12, 3, 5, 0), True),
        ("03.12.2026 0:00", utc(2026, 12, 2, 19, 0), True),
        ("03.12.2026 23:59", utc(2026, 12, 3, 18, 59), True),
    ],
)
def test_each_format_is_read_in_the_zone_and_returned_in_utc(
    text: str, moment: datetime, has_time: bool
) -> None:
    assert when(text) == When(moment=moment, has_time=has_time, local_date=date(2026, 12, 3))
    assert when(text).moment.tzinfo is UTC


def test_almaty_offset_comes_from_zone_history_not_a_fixed_offset() -> None:
    # Kazakhstan moved Almaty from UTC+6 to UTC+5 on 2024-03-01.
    assert when("2024-02-28 10:00").moment == utc(2024, 2, 28, 4, 0)
    assert when("2024-03-01 10:00").moment == utc(2024, 3, 1, 5, 0)
    assert when("03.12.2026 10:00").moment == utc(2026, 12, 3, 5, 0)


def test_day_without_a_year_that_has_passed_means_next_year() -> None:
    after = utc(2026, 12, 4, 6, 0)
    assert when("03.12 10:00", after).local_date == date(2027, 12, 3)
    assert when("03.12", after).moment == utc(2027, 12, 2, 19, 0)
    assert when("04.12", after).local_date == date(2026, 12, 4)


def test_day_without_a_year_turns_over_by_the_local_calendar() -> None:
    # 20:00 UTC on 3 December is already 01:00 on 4 December in Almaty.
    assert when("03.12", utc(2026, 12, 3, 18, 59)).local_date == date(2026, 12, 3)
    assert when("03.12", utc(2026, 12, 3, 20, 0)).local_date == date(2027, 12, 3)


def test_29_february_without_a_year_finds_the_next_leap_year() -> None:
    assert when("29.02", utc(2027, 3, 1, 0, 0)).local_date == date(2028, 2, 29)
    assert problem("29.02", utc(2026, 1, 10, 0, 0)) is DateProblem.IMPOSSIBLE


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("today 15:00", utc(2026, 6, 15, 10, 0)),
        ("сегодня 15:00", utc(2026, 6, 15, 10, 0)),
        ("segodnya 15:00", utc(2026, 6, 15, 10, 0)),
        ("бүгін 15:00", utc(2026, 6, 15, 10, 0)),
        ("bugin 15:00", utc(2026, 6, 15, 10, 0)),
        ("tomorrow 10:00", utc(2026, 6, 16, 5, 0)),
        ("завтра 10:00", utc(2026, 6, 16, 5, 0)),
        ("ертең 10:00", utc(2026, 6, 16, 5, 0)),
        ("zavtra 10:00", utc(2026, 6, 16, 5, 0)),
        ("erten 10:00", utc(2026, 6, 16, 5, 0)),
        ("послезавтра 10:00", utc(2026, 6, 17, 5, 0)),
        ("poslezavtra 10:00", utc(2026, 6, 17, 5, 0)),
        ("day after tomorrow 10:00", utc(2026, 6, 17, 5, 0)),
        ("бүрсігүні 10:00", utc(2026, 6, 17, 5, 0)),
        ("bursiguni 10:00", utc(2026, 6, 17, 5, 0)),
        # Case, spacing, connectors, and Kazakh typed on a Russian keyboard.
        ("ЗАВТРА   10:00", utc(2026, 6, 16, 5, 0)),
        ("Завтра в 10:00", utc(2026, 6, 16, 5, 0)),
        ("tomorrow at 9:30", utc(2026, 6, 16, 4, 30)),
        ("ертен 10:00", utc(2026, 6, 16, 5, 0)),
        ("бугин 15:00", utc(2026, 6, 15, 10, 0)),
    ],
)
def test_relative_day_words_with_a_time(text: str, moment: datetime) -> None:
    assert when(text).moment == moment
    assert when(text).has_time


# Every relative day word, by language; "Latin" is Russian or Kazakh typed on a phone without a
# Cyrillic keyboard. test_every_day_word_in_the_table_is_tested keeps this complete.
DAY_WORDS_BY_LANGUAGE: dict[int, dict[str, tuple[str, ...]]] = {
    0: {
        "en": ("today",),
        "ru": ("сегодня",),
        "kk": ("бүгін",),
        "Latin": ("segodnya", "segodnia", "segodnja", "sevodnya", "bugin", "bugun"),
    },
    1: {
        "en": ("tomorrow", "tmrw"),
        "ru": ("завтра",),
        "kk": ("ертең",),
        "Latin": ("zavtra", "erten", "erteng"),
    },
    2: {
        "en": ("day after tomorrow", "the day after tomorrow"),
        "ru": ("послезавтра", "после завтра"),
        "kk": ("бүрсігүні", "арғы күні"),
        "Latin": (
            "poslezavtra",
            "posle zavtra",
            "bursiguni",
            "argy kuni",
            "argi kuni",
            "arghy kuni",
        ),
    },
}
DAY_WORD_CASES = [
    pytest.param(word, offset, id=f"{offset}-{language}-{word}")
    for offset, languages in DAY_WORDS_BY_LANGUAGE.items()
    for language, words in languages.items()
    for word in words
]


@pytest.mark.parametrize(("word", "offset"), DAY_WORD_CASES)
def test_every_day_word_in_every_language(word: str, offset: int) -> None:
    expected = date(2026, 6, 15) + timedelta(days=offset)
    assert when(word).local_date == expected
    assert not when(word).has_time
    assert when(f"{word} 10:00").moment == datetime.combine(expected, time(10), tzinfo=ALMATY)
    assert when(word.upper()).local_date == expected
    assert parse_date(word, now=NOW, zone=ALMATY) == expected


def test_every_day_word_in_the_table_is_tested() -> None:
    tested = {
        offset: {word for words in languages.values() for word in words}
        for offset, languages in DAY_WORDS_BY_LANGUAGE.items()
    }
    assert {offset: set(words) for offset, words in _DAY_WORDS_BY_OFFSET.items()} == tested


@pytest.mark.parametrize(
    ("text", "local"),
    [
        # Kazakh without Kazakh letters (a Russian keyboard) and in Kazakh's Latin alphabet.
        ("бугин", date(2026, 6, 15)),
        ("ертен", date(2026, 6, 16)),
        ("бурсигуни", date(2026, 6, 17)),
        ("аргы куни", date(2026, 6, 17)),
        ("bügin", date(2026, 6, 15)),
        ("erteñ", date(2026, 6, 16)),
        ("bürsigüni", date(2026, 6, 17)),
        ("arğy küni", date(2026, 6, 17)),
        ("СЕГОДНЯ", date(2026, 6, 15)),
        ("  арғы   күні ", date(2026, 6, 17)),
    ],
)
def test_day_words_without_kazakh_letters_or_in_kazakh_latin(text: str, local: date) -> None:
    assert when(text).local_date == local


@pytest.mark.parametrize(
    "text",
    [
        "завтра в 10:00",
        "завтра во 10:00",
        "zavtra v 10:00",
        "tomorrow at 10:00",
        "ертең сағат 10:00",
        "ертең сағ. 10:00",
        "erten sagat 10:00",
        "erten saghat 10:00",
        "ертең 10:00-де",
        "ертең 10:00 да",
        "erten 10:00-de",
        "завтра, 10:00",
    ],
)
def test_words_around_the_time_in_each_language(text: str) -> None:
    assert when(text).moment == utc(2026, 6, 16, 5, 0)
    assert when(text).has_time


def test_relative_day_word_alone_is_a_bare_date() -> None:
    assert when("Завтра") == When(
        moment=utc(2026, 6, 15, 19, 0), has_time=False, local_date=date(2026, 6, 16)
    )


def test_today_is_the_local_day() -> None:
    # 20:00 UTC on 15 June is 01:00 on 16 June in Almaty.
    assert when("today", utc(2026, 6, 15, 20, 0)).local_date == date(2026, 6, 16)


@pytest.mark.parametrize(
    "text",
    [
        "31.02.2026",
        "29.02.2026",
        "00.12.2026",
        "32.01",
        "2026-13-01",
        "2026-00-10",
        "2026-12-03 25:00",
        "03.12.2026 24:00",
        "03.12.2026 10:60",
        "завтра 25:00",
    ],
)
def test_impossible_dates_and_times(text: str) -> None:
    assert problem(text) is DateProblem.IMPOSSIBLE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hearing soon",
        "вчера",
        "03/12/2026",
        "10:00",
        "03.12.2026 10.00",
        "03.12.2026 10",
        "завтра10:00",
        "2026-12",
        "12.2026",
        "03.12.26",
        "3 декабря",
        # Words that start like a day word, or a day word with something else.
        "завтрак 10:00",
        "zavtrak",
        "todays 10:00",
        "tomorrows",
        "ертеңгі",
        "бүгінгі 10:00",
        "арғы",
        "күні 10:00",
        "after tomorrow",
        "day after",
        "послезавтрак",
        "сегодня завтра",
        "завтра в",
        "завтра сағат",
        "в 10:00",
        "сағат 10:00",
        "tomorrow 10:00 pm",
        "tomorrow 10:00-ge",
        "yesterday",
        "кеше",
    ],
)
def test_anything_else_is_not_a_date(text: str) -> None:
    assert problem(text) is DateProblem.NOT_A_DATE


def test_log_message_does_not_repeat_what_was_typed() -> None:
    with pytest.raises(DateError) as caught:
        when("hearing of Dana Serikova")
    assert "Serikova" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_normalize_folds_every_keyboard_to_one_spelling() -> None:
    assert normalize("  Ертең  ") == normalize("ЕРТЕН") == "ертен"
    assert normalize("Erteñ") == normalize("erten") == "erten"
    assert normalize("Ashtyq") == "ashtyk"
    assert normalize("şeşe") == "sheshe"
    assert normalize("Бүгін ЁЛКА") == "бугин елка"


def test_an_offset_error_does_not_repeat_what_was_typed() -> None:
    with pytest.raises(ValueError, match="30m, 2h") as caught:
        parse_offset("Serikova")
    assert "Serikova" not in str(caught.value)


def test_a_time_can_be_required() -> None:
    assert problem("03.12.2026", need_time=True) is DateProblem.TIME_NEEDED
    assert problem("завтра", need_time=True, default_time=time(9)) is DateProblem.TIME_NEEDED
    assert when("03.12.2026 10:00", need_time=True).has_time


def test_default_time_fills_a_bare_date() -> None:
    assert when("завтра", default_time=time(9, 0)) == When(
        moment=utc(2026, 6, 16, 4, 0), has_time=False, local_date=date(2026, 6, 16)
    )
    assert when("завтра 10:00", default_time=time(9, 0)).moment == utc(2026, 6, 16, 5, 0)


def test_future_refuses_a_moment_not_after_now() -> None:
    # NOW is 17:00 in Almaty.
    assert problem("15.06.2026 16:59", future=True) is DateProblem.IN_THE_PAST
    assert problem("today 17:00", future=True) is DateProblem.IN_THE_PAST
    assert when("today 17:01", future=True).moment == utc(2026, 6, 15, 12, 1)
    # Without a year a passed day is next year's, so it is never in the past.
    assert when("14.06", future=True).local_date == date(2027, 6, 14)
    assert problem("15.06 16:00", future=True) is DateProblem.IN_THE_PAST


def test_future_accepts_a_bare_date_today() -> None:
    assert when("today", future=True).local_date == date(2026, 6, 15)
    assert when("15.06.2026", future=True, default_time=time(9)).has_time is False
    assert problem("14.06.2026", future=True) is DateProblem.IN_THE_PAST


def test_past_is_accepted_without_future() -> None:
    assert when("14.06.2026 10:00").moment == utc(2026, 6, 14, 5, 0)


def test_impossible_is_reported_before_time_needed_or_past() -> None:
    assert problem("31.02.2020", need_time=True, future=True) is DateProblem.IMPOSSIBLE


def test_naive_now_is_a_programming_error() -> None:
    naive = datetime(2026, 6, 15, 12, 0)  # noqa: DTZ001 - the mistake under test
    with pytest.raises(ValueError, match="timezone-aware") as caught:
        parse_when("завтра", now=naive, zone=ALMATY)
    assert not isinstance(caught.value, DateError)


def test_now_in_another_zone_is_the_same_moment() -> None:
    now_in_almaty = NOW.astimezone(ALMATY)
    assert when("завтра 10:00", now_in_almaty).moment == utc(2026, 6, 16, 5, 0)


def test_clock_changes_read_with_fold_zero() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 02:30 did not exist on 29 March 2026 (clocks went 02:00 → 03:00): read at the old +01:00.
    skipped = parse_when("2026-03-29 02:30", now=NOW, zone=berlin)
    assert skipped.moment == utc(2026, 3, 29, 1, 30)
    # 02:30 happened twice on 25 October 2026: the first one, still +02:00.
    repeated = parse_when("2026-10-25 02:30", now=NOW, zone=berlin)
    assert repeated.moment == utc(2026, 10, 25, 0, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03.12.2026", date(2026, 12, 3)),
        ("2026-12-03", date(2026, 12, 3)),
        ("03.12", date(2026, 12, 3)),
        ("14.06", date(2027, 6, 14)),
        ("завтра", date(2026, 6, 16)),
        ("ертең", date(2026, 6, 16)),
        ("today", date(2026, 6, 15)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, now=NOW, zone=ALMATY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03.12.2026 10:00", DateProblem.NOT_A_DATE),
        ("завтра 10:00", DateProblem.NOT_A_DATE),
        ("someday", DateProblem.NOT_A_DATE),
        ("31.02.2026", DateProblem.IMPOSSIBLE),
    ],
)
def test_parse_date_refuses(text: str, expected: DateProblem) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text, now=NOW, zone=ALMATY)
    assert caught.value.problem is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h,1h", (timedelta(hours=24), timedelta(hours=1))),
        ("7d,1d,3h", (timedelta(days=7), timedelta(days=1), timedelta(hours=3))),
        ("1h, 24h", (timedelta(hours=24), timedelta(hours=1))),
        ("24h,1d,1h,1h", (timedelta(days=1), timedelta(hours=1))),
        ("1m", (timedelta(minutes=1),)),
        ("90s", (timedelta(seconds=90),)),
        ("2w", (timedelta(weeks=2),)),
        (" 30 m ", (timedelta(minutes=30),)),
    ],
)
def test_offsets_are_sorted_longest_first_and_deduplicated(
    text: str, expected: tuple[timedelta, ...]
) -> None:
    assert parse_offsets(text) == expected


def test_m_means_minutes_in_an_offset() -> None:
    assert parse_offset("1m") == timedelta(minutes=1)


@pytest.mark.parametrize(
    "text", ["", " ", "24h,", ",1h", "24h 1h", "0h", "-1h", "1.5h", "h", "24", "1M", "1mo", "1y"]
)
def test_bad_offsets_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="30m, 2h, 48h or 7d"):
        parse_offsets(text)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=1), "1d"),
        (timedelta(hours=24), "1d"),
        (timedelta(hours=36), "36h"),
        (timedelta(hours=3), "3h"),
        (timedelta(minutes=90), "90m"),
        (timedelta(seconds=45), "45s"),
        (timedelta(days=7), "1w"),
        (timedelta(days=10), "10d"),
    ],
)
def test_format_offset_uses_the_largest_whole_unit(delta: timedelta, text: str) -> None:
    assert format_offset(delta) == text
    assert parse_offset(text) == delta


def test_offsets_round_trip_through_settings_text() -> None:
    offsets = parse_offsets("7d,1d,3h,90m")
    assert format_offsets(offsets) == "1w,1d,3h,90m"
    assert parse_offsets(format_offsets(offsets)) == offsets


@pytest.mark.parametrize(
    "delta", [timedelta(0), timedelta(hours=-1), timedelta(seconds=1, milliseconds=500)]
)
def test_format_offset_refuses_what_cannot_be_written(delta: timedelta) -> None:
    with pytest.raises(ValueError, match="reminder offset"):
        format_offset(delta)


def test_a_start_date_without_a_year_means_the_latest_such_day() -> None:
    june = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    almaty = ZoneInfo("Asia/Almaty")
    assert parse_date("01.03", now=june, zone=almaty, past=True) == date(2026, 3, 1)
    assert parse_date("01.07", now=june, zone=almaty, past=True) == date(2025, 7, 1)
    assert parse_date("01.07", now=june, zone=almaty) == date(2026, 7, 1)
    assert parse_date("01.07.2026", now=june, zone=almaty, past=True) == date(2026, 7, 1)
    assert parse_date("10.06", now=june, zone=almaty, past=True) == date(2026, 6, 10)
