"""Hearings and who said they will attend (only until the hearing is over)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import Database, from_db_time, to_db_time


class HearingState(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    OVER = "over"


@dataclass(frozen=True, slots=True)
class Hearing:
    id: int
    person_id: int
    person_name: str
    starts_at: datetime
    place: str
    notes: str
    closed: bool
    state: HearingState
    attendee_count: int


_SELECT = (
    "SELECT hearings.*, people.name AS person_name FROM hearings"
    " JOIN people ON people.id = hearings.person_id"
)


def _hearing(row: aiosqlite.Row) -> Hearing:
    return Hearing(
        id=row["id"],
        person_id=row["person_id"],
        person_name=row["person_name"],
        starts_at=from_db_time(row["starts_at"]),
        place=row["place"],
        notes=row["notes"],
        closed=bool(row["closed"]),
        state=HearingState(row["state"]),
        attendee_count=row["attendee_count"],
    )


class HearingRepository:
    """Reads and writes ``hearings`` and ``hearing_attendees``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, hearing_id: int) -> Hearing | None:
        row = await self._db.fetch_one(f"{_SELECT} WHERE hearings.id = ?", (hearing_id,))
        return _hearing(row) if row else None

    async def insert_in(
        self,
        conn: aiosqlite.Connection,
        *,
        person_id: int,
        starts_at: datetime,
        place: str,
        notes: str,
        closed: bool,
        created_by: int,
        now: datetime,
    ) -> int:
        cursor = await conn.execute(
            "INSERT INTO hearings (person_id, starts_at, place, notes, closed, created_by,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                person_id,
                to_db_time(starts_at),
                place,
                notes,
                int(closed),
                created_by,
                to_db_time(now),
                to_db_time(now),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def move_in(
        self, conn: aiosqlite.Connection, hearing_id: int, starts_at: datetime, now: datetime
    ) -> bool:
        cursor = await conn.execute(
            "UPDATE hearings SET starts_at = ?, updated_at = ?"
            " WHERE id = ? AND state = 'scheduled'",
            (to_db_time(starts_at), to_db_time(now), hearing_id),
        )
        return cursor.rowcount == 1

    async def cancel_in(self, conn: aiosqlite.Connection, hearing_id: int, now: datetime) -> bool:
        cursor = await conn.execute(
            "UPDATE hearings SET state = 'cancelled', updated_at = ?"
            " WHERE id = ? AND state = 'scheduled'",
            (to_db_time(now), hearing_id),
        )
        if cursor.rowcount == 1:
            await conn.execute("DELETE FROM hearing_attendees WHERE hearing_id = ?", (hearing_id,))
        return cursor.rowcount == 1

    async def upcoming(
        self,
        now: datetime,
        until: datetime | None = None,
        person_id: int | None = None,
        limit: int = -1,
    ) -> list[Hearing]:
        """Scheduled hearings from ``now`` (to ``until``), soonest first."""
        sql = f"{_SELECT} WHERE hearings.state = 'scheduled' AND hearings.starts_at >= ?"
        params: list[object] = [to_db_time(now)]
        if until is not None:
            sql += " AND hearings.starts_at <= ?"
            params.append(to_db_time(until))
        if person_id is not None:
            sql += " AND hearings.person_id = ?"
            params.append(person_id)
        sql += " ORDER BY hearings.starts_at, hearings.id LIMIT ?"  # -1: no limit
        rows = await self._db.fetch_all(sql, (*params, limit))
        return [_hearing(row) for row in rows]

    async def ahead_including_cancelled(self, now: datetime) -> list[Hearing]:
        """Hearings from ``now`` on, cancelled ones too (a calendar must mark them cancelled)."""
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE hearings.state IN ('scheduled', 'cancelled')"
            " AND hearings.starts_at >= ? ORDER BY hearings.starts_at, hearings.id",
            (to_db_time(now),),
        )
        return [_hearing(row) for row in rows]

    async def attend(self, hearing_id: int, user_id: int) -> bool:
        """Count ``user_id`` in; False if they were already."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO hearing_attendees (hearing_id, user_id) VALUES (?, ?)",
                (hearing_id, user_id),
            )
            if cursor.rowcount == 1:
                await conn.execute(
                    "UPDATE hearings SET attendee_count = attendee_count + 1 WHERE id = ?",
                    (hearing_id,),
                )
        return cursor.rowcount == 1

    async def unattend(self, hearing_id: int, user_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM hearing_attendees WHERE hearing_id = ? AND user_id = ?",
                (hearing_id, user_id),
            )
            if cursor.rowcount == 1:
                await conn.execute(
                    "UPDATE hearings SET attendee_count = attendee_count - 1 WHERE id = ?",
                    (hearing_id,),
                )
        return cursor.rowcount == 1

    async def forget_attendee_in(self, conn: aiosqlite.Connection, user_id: int) -> int:
        """Take ``user_id`` off every hearing's attendees, inside the caller's transaction
        (``/burn``: attendee reminders must not reach a seized phone); the counts follow.

        Returns:
            How many hearings they were attending.
        """
        await conn.execute(
            "UPDATE hearings SET attendee_count = attendee_count - 1 WHERE id IN"
            " (SELECT hearing_id FROM hearing_attendees WHERE user_id = ?)",
            (user_id,),
        )
        cursor = await conn.execute("DELETE FROM hearing_attendees WHERE user_id = ?", (user_id,))
        return cursor.rowcount

    async def attendees(self, hearing_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT user_id FROM hearing_attendees WHERE hearing_id = ? ORDER BY user_id",
            (hearing_id,),
        )
        return [row["user_id"] for row in rows]

    async def close_past(self, before: datetime) -> int:
        """Hearings that started before ``before`` are over: forget who attended, keep the count."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM hearing_attendees WHERE hearing_id IN (SELECT id FROM hearings"
                " WHERE state = 'scheduled' AND starts_at < ?)",
                (to_db_time(before),),
            )
            # The attendee reminders' deliveries name the same people: they go too.
            await conn.execute(
                "DELETE FROM deliveries WHERE alert_id IN (SELECT alert_id FROM reminders"
                " WHERE kind = 'attendee' AND alert_id IS NOT NULL AND hearing_id IN"
                " (SELECT id FROM hearings WHERE state = 'scheduled' AND starts_at < ?))",
                (to_db_time(before),),
            )
            cursor = await conn.execute(
                "UPDATE hearings SET state = 'over' WHERE state = 'scheduled' AND starts_at < ?",
                (to_db_time(before),),
            )
        return cursor.rowcount
