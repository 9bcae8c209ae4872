"""Reminders are rows: the scheduler only ever mirrors what is stored here."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.database import Database, from_db_time, to_db_time


class ReminderKind(enum.StrEnum):
    HEARING = "hearing"  # to subscribers, before a hearing
    ATTENDEE = "attendee"  # to those who said they will attend, 2 hours before
    RELEASE = "release"  # to subscribers, before a release date
    RELEASE_CHECK = "release_check"  # to coordinators at the release time: was it?


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    MISSED = "missed"  # its event passed while the bot was down
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    kind: ReminderKind
    hearing_id: int | None
    person_id: int | None
    event_at: datetime
    due_at: datetime
    lead: timedelta
    state: ReminderState


def _reminder(row: aiosqlite.Row) -> Reminder:
    return Reminder(
        id=row["id"],
        kind=ReminderKind(row["kind"]),
        hearing_id=row["hearing_id"],
        person_id=row["person_id"],
        event_at=from_db_time(row["event_at"]),
        due_at=from_db_time(row["due_at"]),
        lead=timedelta(seconds=row["lead"]),
        state=ReminderState(row["state"]),
    )


@dataclass(frozen=True, slots=True)
class NewReminder:
    kind: ReminderKind
    event_at: datetime
    lead: timedelta
    hearing_id: int | None = None
    person_id: int | None = None

    @property
    def due_at(self) -> datetime:
        return self.event_at - self.lead


class ReminderRepository:
    """Reads and writes ``reminders``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def replace_in(
        self,
        conn: aiosqlite.Connection,
        *,
        kinds: Sequence[ReminderKind],
        hearing_id: int | None = None,
        person_id: int | None = None,
        new: Sequence[NewReminder] = (),
    ) -> None:
        """Cancel the pending reminders of these kinds for the hearing or person; add ``new``."""
        marks = ", ".join("?" for _ in kinds)
        column, target = (
            ("hearing_id", hearing_id)
            if hearing_id is not None
            else (
                "person_id",
                person_id,
            )
        )
        await conn.execute(
            f"UPDATE reminders SET state = 'cancelled' WHERE {column} = ?"  # only "?" marks
            f" AND state = 'pending' AND kind IN ({marks})",
            (target, *[k.value for k in kinds]),
        )
        for item in new:
            await conn.execute(
                "INSERT INTO reminders (kind, hearing_id, person_id, event_at, due_at, lead)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    item.kind.value,
                    item.hearing_id,
                    item.person_id,
                    to_db_time(item.event_at),
                    to_db_time(item.due_at),
                    int(item.lead.total_seconds()),
                ),
            )

    async def pending(self, limit: int | None = None) -> list[Reminder]:
        """Pending reminders, soonest first; at most ``limit`` of them (None: all)."""
        rows = await self._db.fetch_all(
            "SELECT * FROM reminders WHERE state = 'pending' ORDER BY due_at, id LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [_reminder(row) for row in rows]

    async def due(self, now: datetime) -> list[Reminder]:
        rows = await self._db.fetch_all(
            "SELECT * FROM reminders WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id",
            (to_db_time(now),),
        )
        return [_reminder(row) for row in rows]

    async def claim_in(
        self, conn: aiosqlite.Connection, reminder_id: int, state: ReminderState, now: datetime
    ) -> bool:
        """Move a pending reminder to ``state``; only the first caller gets True."""
        cursor = await conn.execute(
            "UPDATE reminders SET state = ?, sent_at = ? WHERE id = ? AND state = 'pending'",
            (state.value, to_db_time(now), reminder_id),
        )
        return cursor.rowcount == 1

    async def of_hearing(self, hearing_id: int) -> list[Reminder]:
        rows = await self._db.fetch_all(
            "SELECT * FROM reminders WHERE hearing_id = ? ORDER BY due_at, id", (hearing_id,)
        )
        return [_reminder(row) for row in rows]

    async def of_person(self, person_id: int) -> list[Reminder]:
        rows = await self._db.fetch_all(
            "SELECT * FROM reminders WHERE person_id = ? ORDER BY due_at, id", (person_id,)
        )
        return [_reminder(row) for row in rows]

    async def set_alert_in(
        self, conn: aiosqlite.Connection, reminder_id: int, alert_id: int
    ) -> None:
        """Remember which outbox alert carried the reminder."""
        await conn.execute(
            "UPDATE reminders SET alert_id = ? WHERE id = ?", (alert_id, reminder_id)
        )
