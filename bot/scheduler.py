"""The wake-up calls for reminders, mirrored from the database into PTB's JobQueue.

Each of the soonest pending reminder rows gets a job named ``reminder:{id}`` at its due time. A
job carries only that id, and its run just asks the reminder service to send whatever is due, so
a job that runs early, late or twice does no harm. The jobs are rebuilt from the rows at start
and after every change.

Only the soonest :data:`MAX_JOBS` rows get a job, plus one ``reminders:horizon`` job at the due
time of the first row left without one, which sends what is due and rebuilds: adding a job costs
APScheduler about 0.1 ms, so 10,000 pending reminders took over a second at start-up
(bench/memory.py), while the bot only ever needs the next few.
"""

from __future__ import annotations

import logging

from telegram.ext import JobQueue

from bot.checkins import CheckinService
from bot.context import DabylContext
from bot.reminders import ReminderService

logger = logging.getLogger(__name__)

PREFIX = "reminder:"
HORIZON = "reminders:horizon"
MAX_JOBS = 500  # reminders with a job of their own; the rest wait for the horizon job
# APScheduler skips a job more than a second late by default; a late wake-up must still run.
LATE_OK = {"misfire_grace_time": None, "coalesce": True}


async def _wake(context: DabylContext) -> None:
    await context.services.reminders.fire_due()


class ReminderScheduler:
    """Keeps one job per pending reminder, for the soonest :data:`MAX_JOBS` of them."""

    def __init__(
        self,
        job_queue: JobQueue[DabylContext],
        reminders: ReminderService,
        max_jobs: int = MAX_JOBS,
    ) -> None:
        self._jobs = job_queue
        self._reminders = reminders
        self._max_jobs = max_jobs

    async def rebuild(self) -> int:
        """Replace the reminder jobs with one per pending row (the soonest ``max_jobs``) and,
        if rows are left over, the horizon job; returns how many reminder jobs."""
        for job in self._jobs.jobs():
            if job.name and (job.name.startswith(PREFIX) or job.name == HORIZON):
                job.schedule_removal()
        pending = await self._reminders.pending(limit=self._max_jobs + 1)
        soon, later = pending[: self._max_jobs], pending[self._max_jobs :]
        for reminder in soon:
            self._jobs.run_once(
                _wake, when=reminder.due_at, name=f"{PREFIX}{reminder.id}", job_kwargs=LATE_OK
            )
        if later:
            self._jobs.run_once(
                self._horizon, when=later[0].due_at, name=HORIZON, job_kwargs=LATE_OK
            )
        logger.debug("Scheduled %d reminder(s)%s", len(soon), ", more later" if later else "")
        return len(soon)

    async def _horizon(self, context: DabylContext) -> None:
        """The first reminder without a job of its own is due: send it, schedule the next."""
        await context.services.reminders.fire_due()
        await self.rebuild()


CHECKIN_PREFIX = "checkin:"


async def _wake_checkins(context: DabylContext) -> None:
    await context.services.checkins.fire_due()


class CheckinScheduler:
    """Keeps a job per running check-in's "still OK?" question and one per its deadline.

    Like reminders, a job only says "look now": the rows decide what is due.
    """

    def __init__(self, job_queue: JobQueue[DabylContext], checkins: CheckinService) -> None:
        self._jobs = job_queue
        self._checkins = checkins

    async def rebuild(self) -> int:
        """Replace the check-in jobs with the wake-up times of the running rows; how many."""
        for job in self._jobs.jobs():
            if job.name and job.name.startswith(CHECKIN_PREFIX):
                job.schedule_removal()
        times = await self._checkins.wake_times()
        for name, when in times:
            self._jobs.run_once(
                _wake_checkins, when=when, name=f"{CHECKIN_PREFIX}{name}", job_kwargs=LATE_OK
            )
        logger.debug("Scheduled %d check-in wake-up(s)", len(times))
        return len(times)
