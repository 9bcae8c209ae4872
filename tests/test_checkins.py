"""Check-ins: reading what people type, and the service's warn-once, alert-once rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.checkins import (
    CheckinError,
    CheckinProblem,
    Firing,
    Question,
    SafeOutcome,
    listing,
    parse_deadline,
    parse_duration,
    plan,
)
from bot.clock import FrozenClock
from bot.commands import BY_NAME, commands_for
from bot.i18n import translator
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from handlers.checkins import listed_text
from storage.checkins import Checkin, CheckinState
from storage.database import Database
from storage.outbox import Button
from storage.users import User
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


# -- /checkins: what the coordinators see ---------------------------------------------------


def _member(telegram_id: int, name: str, username: str, *, burned: bool = False) -> User:
    return User(
        telegram_id=telegram_id,
        username=username,
        first_name=name,
        role=Role.MEMBER,
        language="en",
        subscribed=True,
        pseudonym=f"m{telegram_id}",
        created_at=NOW - timedelta(days=30),
        last_seen_at=NOW,
        burned_at=NOW if burned else None,
    )


def _checkin(
    checkin_id: int,
    member_id: int,
    *,
    set_ago: timedelta,
    due_in: timedelta,
    state: CheckinState = CheckinState.RUNNING,
    warned: bool = False,
    short: bool = False,
    alerted_ago: timedelta | None = None,
    answered: bool = False,
    where: str = "",
) -> Checkin:
    due = NOW + due_in
    return Checkin(
        id=checkin_id,
        member_id=member_id,
        set_at=NOW - set_ago,
        due_at=due,
        warn_at=None if short else due - timedelta(minutes=10),
        where=where,
        note="",
        state=state,
        warned_at=due - timedelta(minutes=10) if warned else None,
        alerted_at=NOW - alerted_ago if alerted_ago is not None else None,
        ended_at=NOW if answered else None,
    )


MARAT = _member(6002, "Marat", "marat_o")
BOLAT = _member(6004, "Bolat", "bolat_a")
ASEL = _member(6003, "Asel", "asel_n", burned=True)


def test_the_listing_puts_unanswered_alerts_first_then_the_soonest_due() -> None:
    checkins = [
        _checkin(1, 6002, set_ago=timedelta(minutes=30), due_in=timedelta(hours=1)),
        _checkin(2, 6004, set_ago=timedelta(minutes=48), due_in=timedelta(minutes=12)),
        _checkin(  # alerted 2 hours ago, nobody answered: listed, first (due earliest)
            3,
            6003,
            set_ago=timedelta(hours=4),
            due_in=-timedelta(hours=2),
            state=CheckinState.ALERTED,
            alerted_ago=timedelta(hours=2),
        ),
        _checkin(  # alerted, then "I'm safe": not listed
            4,
            6005,
            set_ago=timedelta(hours=3),
            due_in=-timedelta(hours=1),
            state=CheckinState.ALERTED,
            alerted_ago=timedelta(hours=1),
            answered=True,
        ),
        _checkin(  # alerted more than a day ago: not listed
            5,
            6006,
            set_ago=timedelta(hours=26),
            due_in=-timedelta(hours=25),
            state=CheckinState.ALERTED,
            alerted_ago=timedelta(hours=25),
        ),
        *(
            _checkin(
                n, 6000 + n, set_ago=timedelta(hours=1), due_in=timedelta(hours=1), state=state
            )
            for n, state in ((6, CheckinState.SAFE), (7, CheckinState.REPLACED))
        ),
    ]
    members = {6002: MARAT, 6004: BOLAT, 6003: ASEL}
    listed = listing(reversed(checkins), members, NOW)
    assert [entry.checkin.id for entry in listed] == [3, 2, 1]
    assert [entry.alerted for entry in listed] == [True, False, False]
    assert [entry.member for entry in listed] == [ASEL, BOLAT, MARAT]
    assert listing([], members, NOW) == []


def test_the_listing_says_whether_still_ok_was_asked() -> None:
    checkins = [
        _checkin(1, 6002, set_ago=timedelta(hours=1), due_in=timedelta(minutes=5), warned=True),
        _checkin(2, 6004, set_ago=timedelta(minutes=5), due_in=timedelta(hours=2)),
        _checkin(3, 6009, set_ago=timedelta(minutes=5), due_in=timedelta(minutes=10), short=True),
        _checkin(4, 6003, set_ago=timedelta(hours=1), due_in=timedelta(minutes=8), warned=True),
    ]
    members = {6002: MARAT, 6004: BOLAT, 6003: ASEL}
    by_id = {entry.checkin.id: entry for entry in listing(checkins, members, NOW)}
    assert by_id[1].question == Question.ASKED
    assert by_id[2].question == Question.LATER
    assert by_id[3].question == Question.NEVER
    assert by_id[3].member is None  # no longer known to the bot
    assert by_id[4].question == Question.WITHHELD  # burned: claimed, but never sent


def test_listed_check_ins_show_local_and_relative_times(clock: FrozenClock) -> None:
    assert clock.now() == NOW  # 14:00 in Almaty
    _ = translator("en")
    running = _checkin(
        1, 6002, set_ago=timedelta(minutes=48), due_in=timedelta(minutes=12), where="Abay square"
    )
    (entry,) = listing([running], {6002: MARAT}, clock.now())
    assert listed_text(_, entry, ALMATY, clock.now()).splitlines() == [
        "⏳ <b>Marat (@marat_o)</b>",
        "Runs out at 14:12 (in 12 minutes); set at 13:12.",
        "“Still OK?” will be asked at 14:02.",
        "Where: Abay square",
    ]

    clock.advance(timedelta(minutes=5))
    asked = replace(running, warned_at=running.warn_at)
    (entry,) = listing([asked], {6002: MARAT}, clock.now())
    text = listed_text(_, entry, ALMATY, clock.now())
    assert "Runs out at 14:12 (in 7 minutes); set at 13:12." in text
    assert "“Still OK?” asked at 14:02." in text

    alerted = replace(asked, state=CheckinState.ALERTED, alerted_at=asked.due_at)
    clock.advance(timedelta(hours=1, minutes=30))  # 15:35
    (entry,) = listing([alerted], {6002: MARAT}, clock.now())
    assert listed_text(_, entry, ALMATY, clock.now()).splitlines()[:3] == [
        "🆘 <b>ALERTED: Marat (@marat_o)</b>",
        "Ran out at 14:12 (1 hour 23 minutes ago); set at 13:12.",
        "The coordinators were alerted at 14:12; no “I'm safe” since.",
    ]
    russian = listed_text(translator("ru"), entry, ALMATY, clock.now())
    assert "Marat (@marat_o)" in russian
    assert "14:12" in russian
    assert "1 час 23 минуты" in russian

    clock.advance(timedelta(days=1))  # a day after the alert: no longer listed, over 2 days
    assert listing([alerted], {6002: MARAT}, clock.now()) == []
    tomorrow = replace(running, due_at=NOW + timedelta(days=1, hours=1))
    (entry,) = listing([tomorrow], {6002: MARAT}, NOW)
    assert "Runs out at 2 Mar 2026, 15:00 (in 25 hours); set at 13:12." in listed_text(
        _, entry, ALMATY, NOW
    )


async def test_a_demoted_member_ends_the_check_in_and_a_burned_one_cannot(
    services: Services, clock: FrozenClock
) -> None:
    marat = await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    bolat = await person(services, 6004, "Bolat Abenov", Role.MEMBER)
    daniyar = await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await person(services, 6003, "Asel Nurpeis", Role.SUBSCRIBER)
    for member in (marat, bolat):
        await services.checkins.start(member, plan("1h", "", "", now=clock.now(), zone=ALMATY))
    await services.users.set_role(6002, Role.SUBSCRIBER)
    await services.burns.burn(daniyar, "@bolat")
    demoted = await services.users.get(6002)
    burned = await services.users.get(6004)
    assert await services.checkins.safe(demoted) == SafeOutcome.ENDED
    assert await services.checkins.safe(burned) == SafeOutcome.NOT_RUNNING
    assert await services.checkins.safe(asel) == SafeOutcome.NOT_RUNNING
    assert await services.checkins.safe(None) == SafeOutcome.NOT_RUNNING
    listed = await services.checkins.listing()
    assert [(entry.checkin.member_id, entry.question) for entry in listed] == [
        (6004, Question.WITHHELD)
    ]
    clock.advance(timedelta(hours=1))
    assert len((await services.checkins.fire_due()).alerted) == 1
    assert [entry.alerted for entry in await services.checkins.listing()] == [True]


def test_safe_is_open_to_every_role_but_listed_only_where_checkin_is() -> None:
    assert BY_NAME["safe"].role == Role.NONE  # a demoted member can still end their check-in
    listed = {role: {c.name for c in commands_for(role)} for role in Role}
    assert [role for role in Role if "safe" in listed[role]] == [
        Role.MEMBER,
        Role.COORDINATOR,
        Role.ADMIN,
    ]
    assert [role for role in Role if "checkins" in listed[role]] == [Role.COORDINATOR, Role.ADMIN]
