"""Run the real application against the fake Bot API, the way ``python -m bot`` does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bot.app import DabylApplication, build_application, polling
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
    async with polling(application, poll_timeout=1):
        yield application
