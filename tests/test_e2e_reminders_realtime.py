"""End to end in real time: reminders fire from the scheduler, once, about when they should.

The only test here that waits on the wall clock (well under two minutes); the others inject one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import SystemClock
from bot.roles import Role
from fakebotapi import FakeBotAPI
from tests.conftest import make_settings
from tests.harness import running_bot
from tests.scenario import join, message_containing, services_of


async def test_one_reminder_a_minute_before_moved_and_cancelled_hearings(
    telegram: FakeBotAPI, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, telegram_api_url=telegram.base_url, hearing_reminders="1m")
    zone = settings.timezone
    async with running_bot(settings, SystemClock()) as application:
        daniyar = await join(telegram, application, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
        asel = await join(telegram, application, 6003, "Asel Nurpeis")
        # The next whole minute at least 65 s ahead (people type minutes, not seconds).
        soon = datetime.now(UTC) + timedelta(seconds=65)
        start = soon.replace(second=0, microsecond=0) + timedelta(minutes=1)
        at = f"{start.astimezone(zone):%d.%m.%Y %H:%M}"
        later = f"{(start + timedelta(minutes=1)).astimezone(zone):%d.%m.%Y %H:%M}"
        await daniyar.send(f"/hearing Saule Bekova; {at}; Medeu district court")
        await daniyar.send(f"/hearing Yerlan Abenov; {later}; Almaly district court")
        await daniyar.send(f"/hearing Dana Serik; {at}; City court")
        await message_containing(daniyar, "Hearing #3 recorded", within=15)
        await daniyar.send(f"/move_hearing 2; {at}")
        await message_containing(daniyar, "Hearing #2 moved", within=15)
        moved = [r for r in await services_of(application).reminders.pending() if r.hearing_id == 2]
        assert [r.due_at for r in moved] == [start - timedelta(minutes=1)]  # not the old time
        await daniyar.send("/cancel_hearing 3")
        await message_containing(daniyar, "Hearing #3 cancelled", within=15)

        wait = (start - datetime.now(UTC)).total_seconds()
        first = await message_containing(asel, "Hearing in 1 minute", within=wait + 5)
        arrived = datetime.now(UTC)
        second = await message_containing(asel, "Hearing in 1 minute", within=10)
        assert 50 <= (start - arrived).total_seconds() <= 70
        both = first.text + second.text  # the moved hearing is reminded at its new time
        assert "Saule Bekova" in both
        assert "Yerlan Abenov" in both
        await message_containing(daniyar, "Hearing in 1 minute", within=10)
        await message_containing(daniyar, "Hearing in 1 minute", within=10)
        await asel.expect_no_reply(within=3)
        reminders = [m for m in asel.messages if "Hearing in 1 minute" in (m.text or "")]
        assert len(reminders) == 2
        assert not any("Dana Serik" in (m.text or "") for m in reminders)
        sent = await services_of(application).reminders.pending()
        assert all(r.due_at > datetime.now(UTC) for r in sent)
