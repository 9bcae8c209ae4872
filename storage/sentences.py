"""Sentences handed down, and small facts the bot keeps between runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.database import Database, to_db_time


@dataclass(frozen=True, slots=True)
class NewSentence:
    person_id: int
    years: int
    months: int
    days: int
    start_date: date
    credit_days: int
    release_date: date
    created_by: int


class SentenceRepository:
    """Appends to ``sentences``; the person's expected release lives on ``people``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def insert_in(
        self, conn: aiosqlite.Connection, sentence: NewSentence, now: datetime
    ) -> int:
        cursor = await conn.execute(
            "INSERT INTO sentences (person_id, years, months, days, start_date, credit_days,"
            " release_date, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sentence.person_id,
                sentence.years,
                sentence.months,
                sentence.days,
                sentence.start_date.isoformat(),
                sentence.credit_days,
                sentence.release_date.isoformat(),
                sentence.created_by,
                to_db_time(now),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


class BotStateRepository:
    """A few named values in ``bot_state`` (e.g. the date of the last digest)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetch_one("SELECT value FROM bot_state WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def set_if_changed(self, key: str, value: str) -> bool:
        """Store ``value``; False if it was already stored (so a job runs once per value)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO bot_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                " WHERE bot_state.value != excluded.value",
                (key, value),
            )
        return cursor.rowcount == 1
