"""Run the real application against the fake Bot API, the way ``python -m bot`` does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bot.app import DabylApplication, build_application
from bot.clock import Clock
from bot.settings import Settings


@asynccontextmanager
async def running_bot(
    settings: Settings,
    clock: Clock,
    *,
    stop: Callable[[DabylApplication], None] | None = None,
) -> AsyncIterator[DabylApplication]:
    """Start the application with long polling; stop and close it on exit.

    ``run_polling`` does the same steps, but also owns the event loop and signal handlers, which
    pytest-asyncio owns here. ``stop`` is what ``/panic`` calls (see ``build_application``): the
    default, ``stop_running``, would stop pytest's event loop.
    """
    application = build_application(settings, clock, stop=stop)
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
