"""Periodic jobs. Their state lives in the database, so each run just looks at what is due.

Exceptions are not caught here: PTB's JobQueue hands them to the application's error handler.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import JobQueue

from bot.context import DabylContext

logger = logging.getLogger(__name__)

ESCALATION_CHECK = timedelta(minutes=1)
UPDATE_LOG_CLEANUP = timedelta(hours=6)


async def escalate_reports(context: DabylContext) -> None:
    """Send reports that waited too long for a coordinator again, marked as waiting."""
    escalated = await context.services.reports.escalate()
    if escalated:
        logger.info("Escalated %d report(s) waiting for verification", len(escalated))


async def forget_old_updates(context: DabylContext) -> None:
    """Drop remembered update ids Telegram can no longer re-deliver."""
    services = context.services
    await services.updates.forget_before(services.clock.now())


def schedule(job_queue: JobQueue[DabylContext]) -> None:
    """Register the periodic jobs under stable names (idempotent)."""
    for name, callback, every in (
        ("escalate-reports", escalate_reports, ESCALATION_CHECK),
        ("forget-old-updates", forget_old_updates, UPDATE_LOG_CLEANUP),
    ):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()
        job_queue.run_repeating(callback, interval=every, first=every, name=name)
