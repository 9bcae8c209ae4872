"""The composition root: build the Application from the settings; start nothing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot import jobs
from bot.broadcaster import SharedRateLimiter, make_sender_bot
from bot.clock import Clock, SystemClock
from bot.context import SERVICES_KEY, DabylContext
from bot.scheduler import CheckinScheduler, ReminderScheduler
from bot.services import Services
from bot.settings import Settings
from handlers import (
    agenda,
    attachments,
    audit,
    burn,
    casefile,
    checkins,
    errors,
    export,
    fallback,
    following,
    forget,
    gate,
    guide,
    hearings,
    invites,
    language,
    members,
    menu,
    names,
    report_wizard,
    reports,
    sentences,
    start,
    stats,
    subscriptions,
    verification,
)
from storage.database import Database

logger = logging.getLogger(__name__)

# Handler groups run in order. The gate (group -1) drops updates from groups and channels and
# edited messages, and refuses commands above the sender's role before any feature sees them.
# Within group 0 the first matching handler wins, so the fallback, added last, only answers
# what no feature handler took.
GATE_GROUP, FEATURE_GROUP = -1, 0
# The guided report comes before the attachment handler: inside the conversation a location or
# photo belongs to the draft, not to an earlier report.
FEATURES = (
    start,
    forget,
    names,
    stats,
    guide,
    export,
    casefile,
    audit,
    agenda,
    hearings,
    sentences,
    subscriptions,
    language,
    invites,
    members,
    burn,
    following,
    checkins,
    report_wizard,
    reports,
    verification,
    attachments,
)

DabylApplication = Application[Any, DabylContext, Any, Any, Any, Any]


def build_application(
    settings: Settings,
    clock: Clock | None = None,
    *,
    stop: Callable[[DabylApplication], None] | None = None,
) -> DabylApplication:
    """Wire the bot: Telegram client, services (opened in post_init), handlers, error handler.

    ``stop`` ends the bot after ``/panic``: by default ``Application.stop_running``, which makes
    ``run_polling``/``run_webhook`` shut down and return; tests, which own the event loop, pass
    their own.
    """
    clock = clock or SystemClock()
    stop_running = stop or (lambda application: application.stop_running())

    async def post_init(application: DabylApplication) -> None:
        db = await Database.open(settings.database_path)
        version = await db.migrate()
        services = Services.build(
            settings,
            clock,
            db,
            make_sender_bot(settings),
            application.bot,
            stop_application=lambda: stop_running(application),
        )
        application.bot_data[SERVICES_KEY] = services
        limiter.share(services.broadcaster)  # replies take their turn with the alerts
        # After migrations: carries on with deliveries a previous run left pending.
        await services.broadcaster.start()
        if await services.accounts.lift_unlisted_burns():
            logger.warning("Burned admin(s) no longer in ADMIN_IDS are burned no longer")
        demoted = await services.accounts.demote_unlisted_admins()
        if demoted:
            logger.warning("%d admin(s) no longer in ADMIN_IDS became subscribers", demoted)
        assert application.job_queue is not None
        jobs.schedule(application.job_queue, settings)
        # Reminders due while the bot was down go out now (marked late) or are reported missed;
        # then every pending reminder row gets its wake-up call.
        scheduler = ReminderScheduler(application.job_queue, services.reminders)
        services.reminders.on_change(scheduler.rebuild)
        await services.reminders.fire_due()
        await scheduler.rebuild()
        # Check-ins the same way: one that ran out while the bot was down alerts now, once.
        checkin_jobs = CheckinScheduler(application.job_queue, services.checkins)
        services.checkins.on_change(checkin_jobs.rebuild)
        await services.checkins.fire_due()
        await checkin_jobs.rebuild()
        if jobs.digest_overdue(settings, clock.now()):
            await services.agenda.send_digest()  # once per day: a restart does not repeat it
        await menu.set_default_menu(application.bot, settings.default_language)
        logger.info("Dabyl is ready as @%s (schema version %d)", application.bot.username, version)

    async def post_shutdown(application: DabylApplication) -> None:
        services: Services | None = application.bot_data.pop(SERVICES_KEY, None)
        limiter.share(None)
        if services is not None:
            # Before closing the database: the last outcomes of sends in flight are recorded.
            await services.broadcaster.stop()
            await services.db.close()

    limiter = SharedRateLimiter(max_retries=3)
    application = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(_file_url(settings.telegram_api_url))
        .context_types(ContextTypes(context=DabylContext))
        .defaults(Defaults(tzinfo=settings.timezone))
        .rate_limiter(limiter)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.add_handlers(gate.handlers(), group=GATE_GROUP)
    for feature in FEATURES:
        application.add_handlers(feature.handlers(), group=FEATURE_GROUP)
    application.add_handlers(fallback.handlers(), group=FEATURE_GROUP)
    application.add_error_handler(errors.on_error)
    return application


@asynccontextmanager
async def polling(application: DabylApplication, *, poll_timeout: int) -> AsyncIterator[None]:
    """Run ``application`` with long polling inside an event loop someone else owns.

    ``run_polling`` does the same steps but owns the loop and the signal handlers; the tests,
    the benchmarks and practice mode own theirs. On the way out it stops whatever got started,
    in ``run_polling``'s order, even when starting failed half-way.
    """
    await application.initialize()
    try:
        assert application.post_init is not None
        await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        yield
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)


def _file_url(api_url: str) -> str:
    """``https://api.telegram.org/bot`` -> ``https://api.telegram.org/file/bot``."""
    head, _, tail = api_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"
