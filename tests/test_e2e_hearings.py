"""End to end: hearings, sentences, release dates, reminders, calendar and digest."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.people import Status
from bot.roles import Role
from bot.settings import Settings
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID, make_settings
from tests.harness import running_bot
from tests.scenario import join, message_containing, services_of

# The shared clock starts at 2026-03-01 09:00 UTC, 14:00 in Almaty (UTC+5).


async def test_hearing_is_announced_listed_and_attended_anonymously(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    bolat = await join(telegram, bot, 6005, "Bolat Abenov")
    await daniyar.send("/hearing Saule Bekova; 03.03.2026 10:00; Medeu district court <2>; closed")
    await message_containing(daniyar, "Hearing #1 recorded")
    announcement = await message_containing(asel, "Hearing: Saule Bekova")
    assert "When: 3 Mar 2026, 10:00" in announcement.text
    assert "Where: Medeu district court <2>" in announcement.text
    assert "Closed-door hearing" in announcement.text

    await asel.send("/attend 1")
    await message_containing(asel, "Nobody sees who attends")
    await bolat.send("/attend #1")
    await message_containing(bolat, "Nobody sees who attends")
    await bolat.send("/attend 99")
    await message_containing(bolat, "There is no upcoming hearing #99")
    await daniyar.send("/hearings")
    listing = (await message_containing(daniyar, "Hearings ahead")).text
    assert (
        "#1 · 3 Mar 2026, 10:00 · Saule Bekova · Medeu district court <2> (closed-door)" in listing
    )
    assert "2 will attend" in listing
    assert "Asel" not in listing

    services = services_of(bot)
    clock.advance(timedelta(days=1, hours=18))  # 2026-03-03 08:00 Almaty: 2 hours before
    await services.reminders.fire_due()
    await message_containing(asel, "You said you will attend")
    await message_containing(bolat, "You said you will attend")
    # Late, because the clock jumped: it says how long is actually left.
    await message_containing(daniyar, "Hearing in 2 hours: Saule Bekova")
    await asyncio.sleep(0.5)
    assert not any("You said you will attend" in (m.text or "") for m in daniyar.messages)

    clock.advance(timedelta(hours=9))  # 6 hours after it began
    assert await services.hearings.close_past() == 1
    assert await services.db.fetch_all("SELECT * FROM hearing_attendees") == []
    attendee_alerts = await services.db.fetch_all(
        "SELECT alert_id FROM reminders WHERE kind = 'attendee' AND alert_id IS NOT NULL"
    )
    assert len(attendee_alerts) == 1
    left = await services.db.fetch_all(
        "SELECT chat_id FROM deliveries WHERE alert_id = ?", (attendee_alerts[0]["alert_id"],)
    )
    assert left == []  # who attended is gone from the outbox too
    hearing = await services.hearings.get(1)
    assert hearing is not None
    assert (hearing.state.value, hearing.attendee_count) == ("over", 2)


async def test_moving_and_cancelling_reschedule_reminders(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    services = services_of(bot)
    await daniyar.send("/hearing Saule Bekova; 05.03.2026 10:00; Medeu district court")
    await daniyar.send("/hearing Yerlan Abenov; 05.03.2026 11:00; Almaly district court")
    await message_containing(asel, "Yerlan Abenov")
    await daniyar.send("/move_hearing 1; 06.03.2026 15:00")
    assert "Hearing #1 moved" in (await message_containing(daniyar, "Hearing #1 moved")).text
    moved = await message_containing(asel, "Hearing moved: Saule Bekova")
    assert "When: 6 Mar 2026, 15:00" in moved.text
    await daniyar.send("/cancel_hearing 2")
    await message_containing(asel, "Hearing cancelled: Yerlan Abenov")
    assert {r.hearing_id for r in await services.reminders.pending()} == {1}
    actions = [(e.action, e.target) for e in await services.audit.recent()]
    for expected in (("hearing", "hearing:1"), ("move_hearing", "hearing:1")):
        assert expected in actions
    assert ("cancel_hearing", "hearing:2") in actions

    clock.advance(timedelta(days=3, hours=1))  # 2026-03-04 20:00 Almaty: old 24h reminder due
    await services.reminders.fire_due()
    await asel.expect_no_reply(within=0.5)
    clock.advance(timedelta(days=1))  # 2026-03-05 20:00 Almaty: 19 hours before the new time
    await services.reminders.fire_due()
    reminder = await message_containing(asel, "Hearing in 1 day: Saule Bekova")
    assert "When: 6 Mar 2026, 15:00" in reminder.text
    assert "Sent late" not in reminder.text
    await services.reminders.fire_due()
    await asel.expect_no_reply(within=0.5)


async def test_sentence_sets_status_release_date_and_reminders(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Saule Bekova; Abay square")
    await message_containing(asel, "Detained: Saule Bekova")
    await daniyar.send("/sentence Saule Bekova; 15 суток")
    reply = await message_containing(daniyar, "Sentence recorded")
    assert "15 days from 1 Mar 2026. Expected release: 16 Mar 2026." in reply.text
    announcement = await message_containing(asel, "Sentenced: Saule Bekova")
    assert "Expected release: 16 Mar 2026" in announcement.text
    services = services_of(bot)
    saule = await services.sentences.person("Saule Bekova")
    assert saule is not None
    assert saule.status == Status.ARRESTED
    assert saule.release_at == datetime(2026, 3, 16, 4, 0, tzinfo=UTC)  # 09:00 Almaty
    leads = sorted(r.lead for r in await services.reminders.pending())
    assert leads == [timedelta(0), timedelta(hours=3), timedelta(days=1), timedelta(days=7)]

    await daniyar.send("/sentence Yerlan Abenov; 2y 6m; 31.08.2025; credit 45 days")
    reply = await message_containing(daniyar, "Sentence recorded for Yerlan Abenov")
    assert "2 years 6 months from 31 Aug 2025. Expected release: 15 Jan 2028." in reply.text
    yerlan = await services.sentences.person("Yerlan Abenov")
    assert yerlan is not None
    assert yerlan.status == Status.IMPRISONED

    for bad, answer in (
        ("/sentence Saule Bekova", "Format: /sentence"),
        ("/sentence Saule Bekova; forever", "I cannot read that term"),
        ("/sentence Saule Bekova; 10 days; 31.02.2026", "That date does not exist."),
        ("/release_date Saule Bekova; soon", "Write a date like 03.12.2026"),
        ("/release_date Nobody Known; 01.04.2026", "Nobody called Nobody Known"),
    ):
        await daniyar.send(bad)
        assert answer in (await message_containing(daniyar, answer)).text


async def test_release_day_asks_coordinators_until_released(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Saule Bekova; Abay square")
    await daniyar.send("/release_date Saule Bekova; 03.03.2026")
    await message_containing(daniyar, "Release date of Saule Bekova set to 3 Mar 2026.")
    services = services_of(bot)
    clock.advance(timedelta(days=1, hours=19, minutes=1))  # 2026-03-03 09:01 Almaty
    await services.reminders.fire_due()
    question = await message_containing(daniyar, "Was Saule Bekova released today?")
    await daniyar.press(question, "Not yet")
    assert (
        "I will ask again at 4 Mar 2026, 09:00."
        in (await message_containing(daniyar, "ask again")).text
    )
    clock.advance(timedelta(days=1))
    await services.reminders.fire_due()
    again = await message_containing(daniyar, "Was Saule Bekova released today?")
    await daniyar.press(again, "🕊 Released")
    await message_containing(asel, "Released: Saule Bekova")
    saule = await services.sentences.person("Saule Bekova")
    assert saule is not None
    assert (saule.status, saule.release_at) == (Status.FREE, None)
    assert await services.reminders.pending() == []


async def test_restart_sends_late_reminders_once_and_reports_missed_ones(
    telegram: FakeBotAPI, bot_settings: Settings, clock: FrozenClock
) -> None:
    daniyar = telegram.user(6001, "Daniyar", username="daniyar_s")
    asel = telegram.user(6003, "Asel", username="asel_n")
    async with running_bot(bot_settings, clock) as application:
        for person in (daniyar, asel):
            await person.send("/start")
            await person.expect_reply()
        await services_of(application).users.set_role(6001, Role.COORDINATOR)
        await daniyar.send("/hearing Saule Bekova; 02.03.2026 10:00; Medeu district court")
        await daniyar.send("/hearing Yerlan Abenov; 01.03.2026 18:00; Almaly district court")
        await message_containing(asel, "Hearing: Saule Bekova")
        await message_containing(asel, "Hearing: Yerlan Abenov")
    # Down from 14:00 to 2026-03-02 09:30 Almaty: Saule's 24h and 1h reminders fell due, her
    # hearing is still ahead; Yerlan's hearing passed entirely.
    clock.advance(timedelta(hours=19, minutes=30))
    async with running_bot(bot_settings, clock) as application:
        # Only the latest of the overdue reminders, saying how long is actually left.
        late = await message_containing(asel, "Hearing in 30 minutes: Saule Bekova")
        assert "Sent late: the bot was offline" in late.text
        assert not any("Hearing in 1 day" in (m.text or "") for m in asel.messages)
        missed = await message_containing(daniyar, "were not sent because the bot was offline")
        assert "hearing of Yerlan Abenov, 1 Mar 2026, 18:00" in missed.text
        states = [r.state for r in await services_of(application).reminders.pending()]
        assert states == []
    async with running_bot(bot_settings, clock):
        await asel.expect_no_reply(within=1.0)  # nothing twice


async def test_calendar_upcoming_and_digest(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await aigerim.send("/hearing Saule Bekova; 03.03.2026 10:00; Medeu district court")
    await aigerim.send("/detained Yerlan Abenov; Republic square")
    await aigerim.send("/release_date Yerlan Abenov; 02.03.2026")
    await aigerim.send("/hearing Dana Serik; 20.03.2026 10:00; City court")
    await message_containing(aigerim, "Release date of Yerlan Abenov")

    await asel.send("/upcoming")
    upcoming = (await message_containing(asel, "The next 14 days")).text
    first, second = upcoming.splitlines()[1:3]
    assert first.startswith("🕊 2 Mar 2026, 09:00 (in 1 day) · expected release of Yerlan Abenov")
    assert second.startswith("⚖️ 3 Mar 2026, 10:00 (in 2 days) · hearing of Saule Bekova")
    assert "Dana Serik" not in upcoming
    await asel.send("/upcoming 30")
    assert "Dana Serik" in (await message_containing(asel, "The next 30 days")).text
    await asel.send("/upcoming soon")
    assert "Example: /upcoming 30" in (await message_containing(asel, "Format")).text

    await asel.send("/calendar")
    document = await message_containing(asel, "")
    while document.file is None:
        document = await asel.expect_reply()
    calendar = icalendar.Calendar.from_ical(document.file.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert events["hearing-1@dabyl"].decoded("DTSTART").astimezone(UTC) == datetime(
        2026, 3, 3, 5, 0, tzinfo=UTC
    )
    assert set(events) == {"hearing-1@dabyl", "hearing-2@dabyl", "release-2@dabyl"}
    await aigerim.send("/cancel_hearing 2")
    await message_containing(aigerim, "Hearing #2 cancelled")
    await asel.send("/calendar")
    document = await asel.expect_reply()
    while document.file is None:
        document = await asel.expect_reply()
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(document.file.content).walk("VEVENT")
    }
    assert str(events["hearing-2@dabyl"]["STATUS"]) == "CANCELLED"  # imported copies update

    await marat.send("/detained Gulnara Bekova; Abay square")  # waits for verification
    await aigerim.send("/health Yerlan Abenov; day 3 of hunger strike")
    await message_containing(aigerim, "Report #3 received")
    await asel.send("/digest on")
    await message_containing(asel, "You will get the daily digest")
    clock.advance(timedelta(hours=18))  # 2026-03-02 08:00 Almaty
    services = services_of(bot)
    assert await services.agenda.send_digest() is True
    assert await services.agenda.send_digest() is False  # once a day
    full = await message_containing(aigerim, "Daily digest")
    public = await message_containing(asel, "Daily digest")
    assert "Yerlan Abenov" in full.text
    assert "Gulnara Bekova" in full.text  # the pending report, for coordinators only
    assert "Gulnara" not in public.text
    assert "Yerlan Abenov" in public.text
    assert "Hunger strikes\nYerlan Abenov · day 4" in full.text  # the next morning
    assert "Hunger strikes" not in public.text  # health is not public


async def test_bad_hearing_dates_are_refused_and_nothing_is_stored(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    cases: dict[str, str] = {
        "/hearing Saule Bekova; 28.02.2026 10:00; Court": "That time has already passed.",
        "/hearing Saule Bekova; 31.04.2026 10:00; Court": "That date does not exist.",
        "/hearing Saule Bekova; soon; Court": "That is not a date I can read.",
        "/hearing Saule Bekova; 05.03.2026; Court": "The time is missing.",
        "/hearing Saule Bekova; 05.03.2026 10:00": "Format: /hearing",
    }
    for command, answer in cases.items():
        await daniyar.send(command)
        reply = (await daniyar.expect_reply()).text
        assert reply.startswith(answer), reply
    await daniyar.send("/hearing Saule Bekova; завтра 10:00; Medeu court")
    await message_containing(daniyar, "Hearing #1 recorded: Saule Bekova, 2 Mar 2026, 10:00.")
    assert len(await services_of(bot).db.fetch_all("SELECT id FROM hearings")) == 1


async def test_scheduler_mirrors_pending_reminder_rows(
    telegram: FakeBotAPI, tmp_path: Path
) -> None:
    # A clock ahead of the real one, so the wake-up calls stay queued instead of running at once.
    future = FrozenClock(datetime.now(UTC) + timedelta(days=30))
    settings = make_settings(tmp_path, telegram_api_url=telegram.base_url)
    async with running_bot(settings, future) as application:
        daniyar = await join(telegram, application, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
        when = (future.now() + timedelta(days=3)).astimezone(settings.timezone)
        await daniyar.send(f"/hearing Saule Bekova; {when:%d.%m.%Y %H:%M}; Medeu district court")
        await daniyar.send(f"/hearing Yerlan Abenov; {when:%d.%m.%Y %H:%M}; Almaly court")
        await message_containing(daniyar, "Hearing #2 recorded")
        await daniyar.send("/cancel_hearing 2")
        await message_containing(daniyar, "Hearing #2 cancelled")
        pending = await services_of(application).reminders.pending()
        assert {r.hearing_id for r in pending} == {1}
        jobs = application.job_queue.jobs()
        names = {job.name for job in jobs if job.name and job.name.startswith("reminder:")}
        assert names == {f"reminder:{r.id}" for r in pending}
        due = {job.name: job.next_t for job in jobs if job.name in names}
        assert due == {f"reminder:{r.id}": r.due_at for r in pending}
