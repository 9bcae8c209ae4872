"""/stats: events counted per local week in Almaty (UTC+5: local midnight is 19:00 UTC)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib.image
import pytest

from bot.i18n import translator
from bot.stats import (
    CAPTION_LIMIT,
    MAX_MONTHS,
    WeekCount,
    caption,
    chart_png,
    period,
    period_bounds,
    weekly_counts,
)
from storage.database import Database, to_db_time
from storage.stats import StatsRepository

ALMATY = ZoneInfo("Asia/Almaty")
MONDAY = date(2026, 2, 2)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ = translator("en")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def week(start: date, detentions: int = 0, releases: int = 0, hearings: int = 0) -> WeekCount:
    return WeekCount(start, detentions, releases, hearings)


def test_sunday_evening_in_utc_counts_in_the_almaty_monday_week() -> None:
    times = {
        # Sunday 8 February 18:59 UTC is 23:59 Sunday in Almaty: still the first week.
        "detentions": [utc(2026, 2, 8, 18, 59)],
        # Sunday 8 February 19:30 UTC is 00:30 on Monday 9 February in Almaty: the second week.
        "releases": [utc(2026, 2, 8, 19, 30)],
        "hearings": [],
    }

    counts = weekly_counts(times, start=MONDAY, weeks=2, zone=ALMATY)

    assert counts == [week(MONDAY, detentions=1), week(date(2026, 2, 9), releases=1)]


def test_every_week_is_present_oldest_first_with_empty_weeks_as_zeros() -> None:
    times = {
        "detentions": [utc(2026, 2, 3, 6), utc(2026, 2, 4, 6), utc(2026, 2, 25, 6)],
        "hearings": [utc(2026, 2, 24, 4)],
        # No "releases" key at all: counted as none.
    }

    counts = weekly_counts(times, start=MONDAY, weeks=4, zone=ALMATY)

    assert counts == [
        week(date(2026, 2, 2), detentions=2),
        week(date(2026, 2, 9)),
        week(date(2026, 2, 16)),
        week(date(2026, 2, 23), detentions=1, hearings=1),
    ]


def test_events_outside_the_weeks_are_left_out() -> None:
    before = utc(2026, 2, 1, 18, 59)  # 23:59 Sunday in Almaty, the day before the period
    after = utc(2026, 2, 15, 19, 0)  # Monday 00:00 in Almaty, when the period has ended
    inside = utc(2026, 2, 1, 19, 0)  # Monday 00:00 in Almaty: the first moment of the period

    counts = weekly_counts(
        {"detentions": [before, inside, after]}, start=MONDAY, weeks=2, zone=ALMATY
    )

    assert [w.detentions for w in counts] == [1, 0]


def test_weeks_must_start_on_monday_and_times_must_be_aware() -> None:
    with pytest.raises(ValueError, match="Monday"):
        weekly_counts({}, start=date(2026, 2, 3), weeks=1, zone=ALMATY)
    with pytest.raises(ValueError, match="naive"):
        weekly_counts(
            {"hearings": [datetime(2026, 2, 3, 10)]},  # noqa: DTZ001 - the case under test
            start=MONDAY,
            weeks=1,
            zone=ALMATY,
        )


def test_period_runs_from_the_monday_months_ago_to_this_week() -> None:
    # 19:30 UTC on Sunday 1 March is already Monday 2 March in Almaty.
    start, weeks = period(3, utc(2026, 3, 1, 19, 30), ALMATY)

    # 2 December 2025 is a Tuesday; its week starts on 1 December. Monday 2 March is week 14.
    assert (start, weeks) == (date(2025, 12, 1), 14)
    begin, end = period_bounds(start, weeks, ALMATY)
    assert begin == utc(2025, 11, 30, 19)
    assert end == utc(2026, 3, 8, 19)  # local midnight after Sunday 8 March


def test_period_is_one_to_twenty_four_months() -> None:
    now = utc(2026, 3, 4, 12)
    assert period(1, now, ALMATY) == (date(2026, 2, 2), 5)
    start, weeks = period(MAX_MONTHS, now, ALMATY)
    assert start == date(2024, 3, 4)
    assert start + timedelta(weeks=weeks - 1) == date(2026, 3, 2)
    for months in (0, MAX_MONTHS + 1):
        with pytest.raises(ValueError, match="months"):
            period(months, now, ALMATY)


def test_caption_gives_totals_and_the_busiest_week() -> None:
    counts = [
        week(date(2026, 2, 2), detentions=3, releases=1),
        week(date(2026, 2, 9)),
        week(date(2026, 2, 16), detentions=1, releases=2, hearings=1),
        week(date(2026, 2, 23), hearings=2),
    ]

    assert caption(counts, _) == (
        "4 weeks, 2 Feb 2026 – 1 Mar 2026:\n"
        "Detentions: 4\n"
        "Releases: 3\n"
        "Hearings: 3\n"
        # Four events in the first week too: of equally busy weeks the latest is named.
        "Busiest week: 16 Feb 2026 (1 detention, 2 releases, 1 hearing)"
    )


def test_caption_of_a_quiet_period_says_so() -> None:
    text = caption([week(MONDAY), week(date(2026, 2, 9))], _)

    assert "Detentions: 0" in text
    assert text.endswith("No detentions, releases or hearings in this period.")
    assert "Busiest" not in text


def test_caption_of_the_longest_busy_period_fits_a_telegram_caption() -> None:
    start, weeks = period(MAX_MONTHS, utc(2026, 3, 4, 12), ALMATY)
    counts = [week(start + timedelta(weeks=i), 9999, 9999, 9999 + (i == 50)) for i in range(weeks)]

    text = caption(counts, _)

    assert len(text) < CAPTION_LIMIT
    assert f"Busiest week: {_.date(start + timedelta(weeks=50))}" in text
    assert "Detentions: 1,049,895" in text


@pytest.mark.parametrize("weeks", [1, 14, 106], ids=["one week", "bars", "lines"])
def test_chart_is_a_1000_by_500_png(weeks: int) -> None:
    counts = [week(MONDAY + timedelta(weeks=i), i % 5, i % 3, i % 2) for i in range(weeks)]

    png = chart_png(counts, _)

    assert png.startswith(PNG_SIGNATURE)
    pixels = matplotlib.image.imread(BytesIO(png), format="png")
    assert pixels.shape[:2] == (500, 1000)  # rows, columns
    assert pixels.std() > 0  # something was drawn


def test_chart_of_a_quiet_period_still_renders() -> None:
    png = chart_png([week(MONDAY)] * 3, _)

    assert matplotlib.image.imread(BytesIO(png), format="png").shape[:2] == (500, 1000)


def test_nothing_to_draw_or_describe_is_an_error() -> None:
    with pytest.raises(ValueError, match="no weeks"):
        chart_png([], _)
    with pytest.raises(ValueError, match="no weeks"):
        caption([], _)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "dabyl.sqlite3")
    await database.migrate()
    yield database
    await database.close()


async def test_repository_returns_sent_reports_and_hearings_not_cancelled(db: Database) -> None:
    created = to_db_time(utc(2026, 1, 1))
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO people (id, name, match_key, created_at) VALUES"
            " (1, 'Saule Bekova', 'saule bekova', ?), (2, 'Marat Ospanov', 'marat ospanov', ?)",
            (created, created),
        )
        reports = [
            ("detention", 1, "confirmed", utc(2026, 2, 3, 6)),
            ("detention", 2, "unverified", utc(2026, 2, 8, 19, 30)),
            ("release", 1, "confirmed", utc(2026, 2, 10, 12)),
            # Not counted: never sent, withdrawn, or the same event reported twice.
            ("detention", 2, "pending", utc(2026, 2, 4, 6)),
            ("detention", 2, "rejected", utc(2026, 2, 4, 7)),
            ("detention", 1, "retracted", utc(2026, 2, 4, 8)),
            ("detention", 1, "duplicate", utc(2026, 2, 3, 6, 5)),
            ("release", 2, "retracted", utc(2026, 2, 11, 9)),
            # Not counted: other kinds.
            ("health", 1, "confirmed", utc(2026, 2, 5, 6)),
            # Not counted: outside the period.
            ("detention", 1, "confirmed", utc(2026, 2, 1, 18, 59)),
            ("release", 2, "confirmed", utc(2026, 2, 15, 19)),
        ]
        await conn.executemany(
            "INSERT INTO reports (kind, person_id, state, reported_at) VALUES (?, ?, ?, ?)",
            [(kind, person, state, to_db_time(at)) for kind, person, state, at in reports],
        )
        hearings = [
            (1, "over", utc(2026, 2, 5, 4)),
            (2, "scheduled", utc(2026, 2, 12, 5)),
            (2, "cancelled", utc(2026, 2, 13, 5)),
            (1, "scheduled", utc(2026, 2, 16, 4)),  # after the period
        ]
        await conn.executemany(
            "INSERT INTO hearings (person_id, state, starts_at, place, created_at, updated_at)"
            " VALUES (?, ?, ?, 'Almaty City Court', ?, ?)",
            [(person, state, to_db_time(at), created, created) for person, state, at in hearings],
        )
    begin, end = period_bounds(MONDAY, 2, ALMATY)

    times = await StatsRepository(db).event_times(begin, end)

    assert times == {
        "detentions": [utc(2026, 2, 3, 6), utc(2026, 2, 8, 19, 30)],
        "releases": [utc(2026, 2, 10, 12)],
        "hearings": [utc(2026, 2, 5, 4), utc(2026, 2, 12, 5)],
    }
    assert weekly_counts(times, start=MONDAY, weeks=2, zone=ALMATY) == [
        week(date(2026, 2, 2), detentions=1, hearings=1),
        week(date(2026, 2, 9), detentions=1, releases=1, hearings=1),
    ]
