"""The wake-up calls for reminders, mirrored from the database into PTB's JobQueue.

Each pending reminder row gets a job named ``reminder:{id}`` at its due time. A job carries only
that id, and its run just asks the reminder service to send whatever is due, so a job that runs
early, late or twice does no harm. The jobs are rebuilt from the rows at start and after every
change.
"""

from __future__ import annotations

import logging

from telegram.ext import JobQueue

from bot.checkins import CheckinService
from bot.context import DabylContext
from bot.reminders import ReminderService

logger = logging.getLogger(__name__)

PREFIX = "reminder:"
# APScheduler skips a job more than a second late by default; a late wake-up must still run.
LATE_OK = {"misfire_grace_time": None, "coalesce": True}


async def _wake(context: DabylContext) -> None:
    await context.services.reminders.fire_due()


class ReminderScheduler:
    """Keeps one job per pending reminder."""

    def __init__(self, job_queue: JobQueue[DabylContext], reminders: ReminderService) -> None:
        self._jobs = job_queue
        self._reminders = reminders

    async def rebuild(self) -> int:
        """Replace the reminder jobs with one per pending row; returns how many."""
        for job in self._jobs.jobs():
            if job.name and job.name.startswith(PREFIX):
                job.schedule_removal()
        pending = await self._reminders.pending()
        for reminder in pending:
            self._jobs.run_once(
                _wake, when=reminder.due_at, name=f"{PREFIX}{reminder.id}", job_kwargs=LATE_OK
            )
        logger.debug("Scheduled %d reminder(s)", len(pending))
        return len(pending)


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
