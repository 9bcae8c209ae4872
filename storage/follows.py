"""Who follows whom among the people under watch."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database, to_db_time
from storage.people import Person, person_from_row


class FollowRepository:
    """Reads and writes ``follows``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def follow(self, user_id: int, person_id: int, now: datetime) -> bool:
        """Returns False if the user already followed the person."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO follows (user_id, person_id, created_at) VALUES (?, ?, ?)",
                (user_id, person_id, to_db_time(now)),
            )
        return cursor.rowcount == 1

    async def unfollow(self, user_id: int, person_id: int) -> bool:
        """Returns False if the user did not follow the person."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM follows WHERE user_id = ? AND person_id = ?", (user_id, person_id)
            )
        return cursor.rowcount == 1

    async def followed_by(self, user_id: int) -> list[Person]:
        rows = await self._db.fetch_all(
            "SELECT people.* FROM people JOIN follows ON follows.person_id = people.id"
            " WHERE follows.user_id = ? ORDER BY people.name COLLATE NOCASE",
            (user_id,),
        )
        return [person_from_row(row) for row in rows]
