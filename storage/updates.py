"""Telegram update ids already applied, so a re-delivered update creates nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.database import Database, to_db_time


class UpdateLog:
    """Remembers update ids for a week (Telegram keeps unconfirmed updates for 24 hours)."""

    KEEP = timedelta(days=7)

    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_time(self, update_id: int, now: datetime) -> bool:
        """Record ``update_id``; False if it was recorded before."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO processed_updates (update_id, at) VALUES (?, ?)",
                (update_id, to_db_time(now)),
            )
        return cursor.rowcount == 1

    async def forget_before(self, now: datetime) -> int:
        """Drop ids older than :attr:`KEEP`; returns how many."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM processed_updates WHERE at < ?", (to_db_time(now - self.KEEP),)
            )
        return cursor.rowcount
