"""Check-ins: reading what people type, and the service's warn-once, alert-once rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.checkins import (
    CheckinError,
    CheckinProblem,
    Firing,
    parse_deadline,
    parse_duration,
    plan,
)
from bot.clock import FrozenClock
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from storage.checkins import CheckinState
from storage.database import Database
from storage.outbox import Button
from tests.conftest import person

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # 14:00 in Almaty

# -- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        # English
        ("30m", 30),
        ("2h", 120),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("2 hours", 120),
        ("45 min", 45),
        ("1H30M", 90),
        # Russian, and Russian typed in Latin letters
        ("2ч", 120),
        ("30мин", 30),
        ("90 мин.", 90),
        ("1 час 30 минут", 90),
        ("1ч30", 90),
        ("3 часа", 180),
        ("2 chasa", 120),
        # Kazakh, with and without Kazakh letters, and in Latin letters
        ("2 сағ", 120),
        ("2 саг", 120),
        ("1 сағат 15 минөт", 75),
        ("2 sagat", 120),
        ("2 sağ", 120),
    ],
)
def test_durations_in_three_languages(typed: str, minutes: int) -> None:
    assert parse_duration(typed) == timedelta(minutes=minutes)


@pytest.mark.parametrize("typed", ["2", "soon", "30m 1h", "2h 3h", "2h30m5", "1,5ч", "18:30", ""])
def test_what_is_not_a_duration(typed: str) -> None:
    assert parse_duration(typed) is None


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("18:30", datetime(2026, 3, 1, 13, 30, tzinfo=UTC)),  # later today
        ("в 18.30", datetime(2026, 3, 1, 13, 30, tzinfo=UTC)),
        ("13:00", datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),  # already past: tomorrow
        ("14:00", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),  # right now: tomorrow (24 h)
        ("2h", NOW + timedelta(hours=2)),
    ],
)
def test_deadlines(typed: str, due: datetime) -> None:
    assert parse_deadline(typed, now=NOW, zone=ALMATY) == due


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("4m", CheckinProblem.TOO_SHORT),
        ("14:03", CheckinProblem.TOO_SHORT),
        ("25h", CheckinProblem.TOO_LONG),
        ("24h 1m", CheckinProblem.TOO_LONG),
        ("soon", CheckinProblem.NOT_A_TIME),
        ("25:00", CheckinProblem.NOT_A_TIME),
        ("tomorrow 18:30", CheckinProblem.NOT_A_TIME),
    ],
)
def test_refused_deadlines(typed: str, problem: CheckinProblem) -> None:
    with pytest.raises(CheckinError) as error:
        parse_deadline(typed, now=NOW, zone=ALMATY)
    assert error.value.problem == problem


def test_limits_of_where_and_note() -> None:
    assert plan("5m", "x" * 200, "y" * 2000, now=NOW, zone=ALMATY).due_at == NOW + timedelta(
        minutes=5
    )
    assert plan("24h", "", "", now=NOW, zone=ALMATY).due_at == NOW + timedelta(hours=24)
    for where, note, problem in (
        ("x" * 201, "", CheckinProblem.WHERE_TOO_LONG),
        ("", "y" * 2001, CheckinProblem.NOTE_TOO_LONG),
    ):
        with pytest.raises(CheckinError) as error:
            plan("2h", where, note, now=NOW, zone=ALMATY)
        assert error.value.problem == problem


# -- the service -----------------------------------------------------------------------------


async def _sent(services: Services, chat_id: int) -> list[str]:
    """The texts (English) of every alert queued for ``chat_id``."""
    rows = await services.db.fetch_all(
        "SELECT alert_id FROM deliveries WHERE chat_id = ? ORDER BY id", (chat_id,)
    )
    alerts = await services.outbox.get_many([row["alert_id"] for row in rows])
    return [alerts[row["alert_id"]].text_for("en") for row in rows]


async def test_warns_once_then_alerts_every_coordinator_once(
    services: Services, clock: FrozenClock
) -> None:
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await person(services, 5001, "Aigerim Nurlanovna", Role.ADMIN)
    await person(services, 6003, "Asel Nurpeis", Role.SUBSCRIBER)
    checkins = services.checkins
    started = await checkins.start(
        marat, plan("1h", "Republic Square", "going to the rally", now=clock.now(), zone=ALMATY)
    )
    assert started.replaced is None
    assert started.checkin.warn_at == clock.now() + timedelta(minutes=50)
    assert [name for name, _ in await checkins.wake_times()] == ["1:warn", "1"]

    clock.advance(timedelta(minutes=49))
    assert await checkins.fire_due() == Firing([], [])
    clock.advance(timedelta(minutes=1))
    assert (await checkins.fire_due()).warned == [1]
    assert (await checkins.fire_due()).warned == []  # once
    question = await _sent(services, 6002)
    assert len(question) == 1
    assert "Still OK? Your check-in runs out at 15:00" in question[0]
    warning = (await services.outbox.get(1)) or pytest.fail("no warning")
    assert warning.keyboard_for("en") == ((Button("✅ I'm safe", "checkin:safe:1"),),)
    assert warning.protect_content is False

    clock.advance(timedelta(minutes=10))
    assert (await checkins.fire_due()).alerted == [1]
    assert (await checkins.fire_due()).alerted == []  # once
    for coordinator in (6001, 5001):
        (text,) = await _sent(services, coordinator)
        assert "Missed check-in: Marat Ospanov (@marat)" in text
        assert "Where: Republic Square" in text
        assert "Note: going to the rally" in text
        assert "Set at 1 Mar 2026, 14:00; ran out at 1 Mar 2026, 15:00" in text
    assert await _sent(services, 6003) == []
    assert len(await _sent(services, 6002)) == 1  # the member only got the question
    alert = (await services.outbox.get(2)) or pytest.fail("no alert")
    assert (alert.priority, alert.protect_content) == (0, True)
    assert alert.keyboard_for("ru") is not None
    assert alert.keyboard_for("en") == ((Button("Report as detained", "checkin:report:1"),),)
    row = await services.db.fetch_one("SELECT state, alert_id FROM checkins WHERE id = 1")
    assert row is not None
    assert (row["state"], row["alert_id"]) == ("alerted", 2)
    assert await checkins.wake_times() == []


async def test_safe_ends_it_and_nobody_is_alerted(services: Services, clock: FrozenClock) -> None:
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    started = await services.checkins.start(
        marat, plan("30m", "", "", now=clock.now(), zone=ALMATY)
    )
    assert await services.checkins.end(6001) is None  # not theirs
    assert await services.checkins.end(6002, checkin_id=99) is None
    ended = await services.checkins.end(6002)
    assert ended is not None
    assert ended.id == started.checkin.id
    assert await services.checkins.end(6002) is None  # already over
    clock.advance(timedelta(hours=1))
    assert await services.checkins.fire_due() == Firing([], [])
    assert await _sent(services, 6001) == []
    assert await services.checkins.wake_times() == []


async def test_short_checkin_is_not_asked_and_a_new_one_replaces_it(
    services: Services, clock: FrozenClock
) -> None:
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    first = await services.checkins.start(marat, plan("15m", "", "", now=clock.now(), zone=ALMATY))
    assert first.checkin.warn_at is None
    second = await services.checkins.start(
        marat, plan("2h", "Abay square", "", now=clock.now(), zone=ALMATY)
    )
    assert second.replaced is not None
    assert second.replaced.id == first.checkin.id
    old = await services.db.fetch_one(
        "SELECT state FROM checkins WHERE id = ?", (first.checkin.id,)
    )
    assert old is not None
    assert old["state"] == CheckinState.REPLACED
    clock.advance(timedelta(minutes=20))  # the replaced one would have run out
    await services.checkins.fire_due()
    assert await _sent(services, 6001) == []
    running = await services.checkins.running(6002)
    assert running is not None
    assert running.where == "Abay square"


async def test_a_restart_rebuilds_from_the_rows_and_alerts_once(
    settings: Settings, services: Services, clock: FrozenClock
) -> None:
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await services.checkins.start(marat, plan("1h", "", "", now=clock.now(), zone=ALMATY))
    clock.advance(timedelta(hours=3))  # down while both the question and the deadline passed
    db = await Database.open(settings.database_path)
    try:
        again = Services.build(settings, clock, db)
        assert [name for name, _ in await again.checkins.wake_times()] == ["1:warn", "1"]
        firing = await again.checkins.fire_due()
        assert (firing.warned, firing.alerted) == ([], [1])  # no question after the deadline
        assert (await services.checkins.fire_due()).alerted == []  # the other "process" too
    finally:
        await db.close()
    (text,) = await _sent(services, 6001)
    assert "Sent late: the bot was offline when it ran out." in text
    assert await _sent(services, 6002) == []


async def test_detention_draft_names_the_member_and_the_place(
    services: Services, clock: FrozenClock
) -> None:
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    started = await services.checkins.start(
        marat, plan("1h", "Republic Square", "", now=clock.now(), zone=ALMATY)
    )
    draft = await services.checkins.detention_draft(started.checkin.id)
    assert draft is not None
    assert (draft.kind.value, draft.name, draft.place) == (
        "detention",
        "Marat Ospanov",
        "Republic Square",
    )
    assert await services.checkins.detention_draft(99) is None


async def test_a_burned_member_is_not_asked_but_the_coordinators_are_alerted(
    services: Services, clock: FrozenClock
) -> None:
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    daniyar = await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await services.checkins.start(
        marat, plan("1h", "Republic Square", "", now=clock.now(), zone=ALMATY)
    )
    await services.burns.burn(daniyar, "@marat")  # his phone was taken at the rally

    clock.advance(timedelta(minutes=50))
    assert (await services.checkins.fire_due()).warned == [1]  # claimed, so never asked later
    assert await _sent(services, 6002) == []  # no "I'm safe" button for whoever holds the phone
    clock.advance(timedelta(minutes=10))
    assert (await services.checkins.fire_due()).alerted == [1]
    alerts = await _sent(services, 6001)
    assert any("Missed check-in: Marat Ospanov" in text for text in alerts)


@pytest.mark.parametrize(("typed", "asked"), [("20m", True), ("19m", False)])
async def test_a_20_minute_checkin_is_asked_though_time_passed_since_it_was_typed(
    services: Services, clock: FrozenClock, typed: str, asked: bool
) -> None:
    """The due time is counted from when the command was read; starting it comes a moment
    later (the drill's 20-minute check-in was not asked before this)."""
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    typed_plan = plan(typed, "Republic Square", "", now=clock.now(), zone=ALMATY)
    clock.advance(timedelta(milliseconds=250))
    started = await services.checkins.start(marat, typed_plan)
    assert (started.checkin.warn_at is not None) is asked
