"""``/panic`` (admins): stop sending, delete the database, exit. Restored from a backup kept
elsewhere (``dabyl restore``, see README).

``/panic`` arms it for :data:`CONFIRM_WITHIN`; ``/panic confirm`` in time, by the same admin,
runs it. The arming lives in memory only: it lasts a minute, and losing it in a restart only
means the admin sends ``/panic`` again, which fails safe (nothing is deleted); storing it would
also leave a trace of the intent in the very file about to be deleted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from bot.broadcaster import Broadcaster
from bot.clock import Clock
from storage.database import Database
from storage.panic import erase_and_close, shred
from storage.users import User

logger = logging.getLogger(__name__)

CONFIRM_WITHIN = timedelta(seconds=60)


class PanicService:
    """Arms and runs ``/panic``."""

    def __init__(
        self,
        db: Database,
        broadcaster: Broadcaster,
        database_path: Path | str,
        clock: Clock,
        stop_application: Callable[[], None],
    ) -> None:
        """Args:
        stop_application: ends the bot cleanly once the files are gone
            (``Application.stop_running`` in production; see ``bot/app.py``).
        """
        self._db = db
        self._broadcaster = broadcaster
        self._path = Path(database_path)
        self._clock = clock
        self._stop_application = stop_application
        self._armed: dict[int, datetime] = {}  # admin id -> confirm before

    def arm(self, actor: User) -> datetime:
        """Note that ``actor`` asked for ``/panic``; returns when ``/panic confirm`` is due by."""
        deadline = self._clock.now() + CONFIRM_WITHIN
        self._armed[actor.telegram_id] = deadline
        return deadline

    def confirm(self, actor: User) -> bool:
        """True if ``actor`` armed ``/panic`` at most :data:`CONFIRM_WITHIN` ago; the arming is
        used up either way, so a late confirm needs a new ``/panic``."""
        deadline = self._armed.pop(actor.telegram_id, None)
        return deadline is not None and self._clock.now() <= deadline

    async def wipe(self) -> None:
        """Stop every send, empty and close the database, overwrite and delete its files."""
        await self._broadcaster.stop()
        await erase_and_close(self._db)
        if str(self._path) != ":memory:":
            await asyncio.to_thread(shred, self._path)
        logger.warning("panic: database deleted")

    def stop(self) -> None:
        """End the bot (after :meth:`wipe` and the last reply)."""
        self._stop_application()
