"""Check-ins are rows: the scheduler only ever mirrors the running ones stored here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import Database, from_db_time, to_db_time


class CheckinState(enum.StrEnum):
    RUNNING = "running"
    SAFE = "safe"  # the member checked in
    ALERTED = "alerted"  # it ran out; the coordinators were alerted
    REPLACED = "replaced"  # a newer /checkin took its place


@dataclass(frozen=True, slots=True)
class Checkin:
    id: int
    member_id: int
    set_at: datetime
    due_at: datetime
    warn_at: datetime | None
    where: str
    note: str
    state: CheckinState
    warned_at: datetime | None
    alerted_at: datetime | None
    ended_at: datetime | None


def _time(value: str | None) -> datetime | None:
    return from_db_time(value) if value else None


def _checkin(row: aiosqlite.Row) -> Checkin:
    return Checkin(
        id=row["id"],
        member_id=row["member_id"],
        set_at=from_db_time(row["set_at"]),
        due_at=from_db_time(row["due_at"]),
        warn_at=_time(row["warn_at"]),
        where=row["place"],
        note=row["note"],
        state=CheckinState(row["state"]),
        warned_at=_time(row["warned_at"]),
        alerted_at=_time(row["alerted_at"]),
        ended_at=_time(row["ended_at"]),
    )


class CheckinRepository:
    """Reads and writes ``checkins``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def start_in(
        self,
        conn: aiosqlite.Connection,
        *,
        member_id: int,
        set_at: datetime,
        due_at: datetime,
        warn_at: datetime | None,
        where: str,
        note: str,
    ) -> tuple[int, Checkin | None]:
        """In the caller's transaction: replace the member's running check-in with a new one.

        Returns:
            The new check-in's id, and the one it replaced (None if none was running).
        """
        cursor = await conn.execute(
            "SELECT * FROM checkins WHERE member_id = ? AND state = 'running'", (member_id,)
        )
        row = await cursor.fetchone()
        replaced = _checkin(row) if row else None
        if replaced is not None:
            await conn.execute(
                "UPDATE checkins SET state = 'replaced', ended_at = ? WHERE id = ?",
                (to_db_time(set_at), replaced.id),
            )
        cursor = await conn.execute(
            "INSERT INTO checkins (member_id, set_at, due_at, warn_at, place, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                member_id,
                to_db_time(set_at),
                to_db_time(due_at),
                to_db_time(warn_at) if warn_at else None,
                where,
                note,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid, replaced

    async def get(self, checkin_id: int) -> Checkin | None:
        row = await self._db.fetch_one("SELECT * FROM checkins WHERE id = ?", (checkin_id,))
        return _checkin(row) if row else None

    async def running_of(self, member_id: int) -> Checkin | None:
        """The member's running check-in, if any."""
        row = await self._db.fetch_one(
            "SELECT * FROM checkins WHERE member_id = ? AND state = 'running'", (member_id,)
        )
        return _checkin(row) if row else None

    async def running(self) -> list[Checkin]:
        """Every running check-in, soonest due first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM checkins WHERE state = 'running' ORDER BY due_at, id"
        )
        return [_checkin(row) for row in rows]

    async def running_or_alerted_since(self, since: datetime) -> list[Checkin]:
        """Every running check-in, and every one that alerted the coordinators after ``since``.

        Returns:
            The check-ins, soonest due first.
        """
        rows = await self._db.fetch_all(
            "SELECT * FROM checkins WHERE state = 'running'"
            " OR (state = 'alerted' AND alerted_at >= ?) ORDER BY due_at, id",
            (to_db_time(since),),
        )
        return [_checkin(row) for row in rows]

    async def end_in(
        self, conn: aiosqlite.Connection, checkin_id: int, member_id: int, now: datetime
    ) -> bool:
        """Mark the member's check-in safe if it is still running; True only for the first."""
        cursor = await conn.execute(
            "UPDATE checkins SET state = 'safe', ended_at = ?"
            " WHERE id = ? AND member_id = ? AND state = 'running'",
            (to_db_time(now), checkin_id, member_id),
        )
        return cursor.rowcount == 1

    async def latest_alerted_of(self, member_id: int, since: datetime) -> Checkin | None:
        """The member's latest check-in that alerted the coordinators after ``since``."""
        row = await self._db.fetch_one(
            "SELECT * FROM checkins WHERE member_id = ? AND state = 'alerted' AND alerted_at >= ?"
            " ORDER BY alerted_at DESC, id DESC LIMIT 1",
            (member_id, to_db_time(since)),
        )
        return _checkin(row) if row else None

    async def claim_safe_after_alert_in(
        self, conn: aiosqlite.Connection, checkin_id: int, now: datetime
    ) -> bool:
        """Record that the member checked in after the alert (``ended_at``); first caller only."""
        cursor = await conn.execute(
            "UPDATE checkins SET ended_at = ?"
            " WHERE id = ? AND state = 'alerted' AND ended_at IS NULL",
            (to_db_time(now), checkin_id),
        )
        return cursor.rowcount == 1

    async def claim_warning_in(
        self, conn: aiosqlite.Connection, checkin_id: int, now: datetime
    ) -> bool:
        """Record that "still OK?" is being sent; only the first caller gets True."""
        cursor = await conn.execute(
            "UPDATE checkins SET warned_at = ?"
            " WHERE id = ? AND state = 'running' AND warned_at IS NULL",
            (to_db_time(now), checkin_id),
        )
        return cursor.rowcount == 1

    async def claim_alert_in(
        self, conn: aiosqlite.Connection, checkin_id: int, now: datetime
    ) -> bool:
        """Move a running check-in to 'alerted'; only the first caller gets True."""
        cursor = await conn.execute(
            "UPDATE checkins SET state = 'alerted', alerted_at = ?"
            " WHERE id = ? AND state = 'running'",
            (to_db_time(now), checkin_id),
        )
        return cursor.rowcount == 1

    async def set_alert_in(
        self, conn: aiosqlite.Connection, checkin_id: int, alert_id: int
    ) -> None:
        """Remember which outbox alert told the coordinators."""
        await conn.execute("UPDATE checkins SET alert_id = ? WHERE id = ?", (alert_id, checkin_id))
