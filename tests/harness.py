"""Run the real application against the fake Bot API, the way ``python -m bot`` does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import DabylApplication, build_application
from bot.clock import Clock
from bot.settings import Settings


@asynccontextmanager
async def running_bot(settings: Settings, clock: Clock) -> AsyncIterator[DabylApplication]:
    """Start the application with long polling; stop and close it on exit.

    ``run_polling`` does the same steps, but also owns the event loop and signal handlers, which
    pytest-asyncio owns here.
    """
    application = build_application(settings, clock)
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)
