"""Periodic jobs. Their state lives in the database, so each run just looks at what is due.

Exceptions are not caught here: PTB's JobQueue hands them to the application's error handler.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from telegram.ext import JobQueue

from bot.context import DabylContext
from bot.scheduler import LATE_OK
from bot.settings import Settings

logger = logging.getLogger(__name__)

ESCALATION_CHECK = timedelta(minutes=1)
UPDATE_LOG_CLEANUP = timedelta(hours=6)
HEARING_CHECK = timedelta(minutes=30)
REMINDER_SWEEP = timedelta(minutes=1)  # a safety net under the per-reminder wake-up calls
CHECKIN_SWEEP = timedelta(minutes=1)  # the same under the check-in wake-up calls
# Retention runs at night in TIMEZONE, when nobody is waiting on the database, and once soon
# after every start, so a bot that is never up at night still forgets on time. Both are safe:
# a run changes only what is older than RETENTION_DAYS, so a second run changes nothing.
RETENTION_AT = time(3, 30)
RETENTION_AFTER_START = timedelta(minutes=2)


async def escalate_reports(context: DabylContext) -> None:
    """Send reports that waited too long for a coordinator again, marked as waiting."""
    escalated = await context.services.reports.escalate()
    if escalated:
        logger.info("Escalated %d report(s) waiting for verification", len(escalated))


async def sweep_reminders(context: DabylContext) -> None:
    """Send whatever reminder is due, in case a wake-up call was lost."""
    await context.services.reminders.fire_due()


async def sweep_checkins(context: DabylContext) -> None:
    """Ask and alert on whatever check-in is due, in case a wake-up call was lost."""
    await context.services.checkins.fire_due()


async def close_past_hearings(context: DabylContext) -> None:
    """Hearings long past are over: who attended is forgotten, the count is kept."""
    await context.services.hearings.close_past()


async def send_digest(context: DabylContext) -> None:
    """The daily digest (once per local day, even across restarts)."""
    await context.services.agenda.send_digest()


async def apply_retention(context: DabylContext) -> None:
    """Old reports lose their reporter; people who left long ago are deleted."""
    result = await context.services.retention.run()
    if result.reports_anonymised or result.users_deleted:
        logger.info(
            "Retention: %d report(s) lost their reporter, %d user(s) deleted",
            result.reports_anonymised,
            result.users_deleted,
        )


async def forget_old_updates(context: DabylContext) -> None:
    """Drop remembered update ids Telegram can no longer re-deliver."""
    services = context.services
    await services.updates.forget_before(services.clock.now())


def schedule(job_queue: JobQueue[DabylContext], settings: Settings) -> None:
    """Register the periodic jobs under stable names (idempotent)."""
    for name, callback, every in (
        ("escalate-reports", escalate_reports, ESCALATION_CHECK),
        ("reminder-sweep", sweep_reminders, REMINDER_SWEEP),
        ("checkin-sweep", sweep_checkins, CHECKIN_SWEEP),
        ("close-past-hearings", close_past_hearings, HEARING_CHECK),
        ("forget-old-updates", forget_old_updates, UPDATE_LOG_CLEANUP),
    ):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()
        job_queue.run_repeating(
            callback, interval=every, first=every, name=name, job_kwargs=LATE_OK
        )
    for name in ("daily-digest", "retention", "retention-at-start"):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    night = RETENTION_AT.replace(tzinfo=settings.timezone)
    job_queue.run_daily(apply_retention, time=night, name="retention", job_kwargs=LATE_OK)
    job_queue.run_once(
        apply_retention, RETENTION_AFTER_START, name="retention-at-start", job_kwargs=LATE_OK
    )
    if settings.digest_time is not None:
        at = settings.digest_time.replace(tzinfo=settings.timezone)
        job_queue.run_daily(send_digest, time=at, name="daily-digest", job_kwargs=LATE_OK)


def digest_overdue(settings: Settings, now: datetime) -> bool:
    """Whether today's digest time has passed (so a bot started later sends it at once)."""
    if settings.digest_time is None:
        return False
    return now.astimezone(settings.timezone).time() >= settings.digest_time
