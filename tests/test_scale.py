"""Behaviour kept while making large databases fast (bench/memory.py, bench/queries.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FrozenClock
from bot.people import match_key
from bot.roles import Role
from bot.scheduler import HORIZON, PREFIX, ReminderScheduler
from bot.services import Services
from fakebotapi import FakeBotAPI
from tests.conftest import make_settings
from tests.harness import running_bot
from tests.scenario import join, message_containing, services_of


async def _add(services: Services, name: str) -> int:
    async with services.db.transaction() as conn:
        return await services.people.create_in(
            conn, name=name, key=match_key(name), now=services.clock.now()
        )


async def test_find_sees_names_and_aliases_changed_after_it_last_looked(
    services: Services,
) -> None:
    directory = services.directory
    saule = await _add(services, "Saule Bekova")
    assert [m.person_id for m in await directory.search("Saule Bekova", Role.COORDINATOR)] == [
        saule
    ]
    # A new person, an alias and a rename, each made after the names were last read.
    yerlan = await _add(services, "Yerlan Abenov")
    assert yerlan in [m.person_id for m in await directory.search("Yerlan", Role.COORDINATOR)]
    await services.people.add_alias(saule, "Saule Nurpeisova", match_key("Saule Nurpeisova"))
    found = await directory.search("Nurpeisova", Role.COORDINATOR)
    assert found[0].person_id == saule and found[0].name == "Saule Nurpeisova"
    async with services.db.transaction() as conn:
        await conn.execute("UPDATE people SET name = 'Saule Toregozhina' WHERE id = ?", (saule,))
    assert (await directory.search("Toregozhina", Role.COORDINATOR))[0].person_id == saule
    async with services.db.transaction() as conn:
        await conn.execute("DELETE FROM person_aliases WHERE person_id = ?", (saule,))
        await conn.execute("DELETE FROM people WHERE id = ?", (saule,))
    assert await directory.search("Toregozhina", Role.COORDINATOR) == []


async def test_only_the_soonest_reminders_get_jobs_and_the_horizon_schedules_the_rest(
    telegram: FakeBotAPI, tmp_path: Path
) -> None:
    future = FrozenClock(datetime.now(UTC) + timedelta(days=30))  # jobs stay queued
    settings = make_settings(tmp_path, telegram_api_url=telegram.base_url)
    async with running_bot(settings, future) as application:
        daniyar = await join(telegram, application, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
        for day, name in enumerate(["Saule Bekova", "Yerlan Abenov", "Aigerim Omarova"], 3):
            when = (future.now() + timedelta(days=day)).astimezone(settings.timezone)
            await daniyar.send(f"/hearing {name}; {when:%d.%m.%Y %H:%M}; Medeu district court")
            await message_containing(daniyar, f"Hearing #{day - 2} recorded")
        services = services_of(application)
        pending = await services.reminders.pending()
        assert len(pending) == 9  # 24 h, 1 h and the attendees' 2 h, for three hearings
        queue = application.job_queue
        assert queue is not None
        scheduler = ReminderScheduler(queue, services.reminders, max_jobs=4)
        services.reminders.on_change(scheduler.rebuild)
        assert await scheduler.rebuild() == 4

        def jobs() -> dict[str, datetime]:
            return {
                job.name: job.next_t
                for job in queue.jobs()
                if job.name
                and (job.name.startswith(PREFIX) or job.name == HORIZON)
                and job.next_t is not None
            }

        assert jobs() == {
            **{f"{PREFIX}{r.id}": r.due_at for r in pending[:4]},
            HORIZON: pending[4].due_at,
        }
        # The first hearing is cancelled: its reminders go, the next ones get their jobs.
        await daniyar.send("/cancel_hearing 1")
        await message_containing(daniyar, "Hearing #1 cancelled")
        pending = await services.reminders.pending()
        assert len(pending) == 6
        assert jobs() == {
            **{f"{PREFIX}{r.id}": r.due_at for r in pending[:4]},
            HORIZON: pending[4].due_at,
        }
        # The horizon job's run sends what is due (nothing yet) and schedules again.
        horizon = next(job for job in queue.jobs() if job.name == HORIZON)
        await horizon.run(application)
        assert set(jobs()) == {f"{PREFIX}{r.id}" for r in pending[:4]} | {HORIZON}
