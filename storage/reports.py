"""Reports, their media, and the Confirm / Reject messages sent to coordinators."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import Database, from_db_time, to_db_time
from storage.people import Person


class ReportKind(enum.StrEnum):
    DETENTION = "detention"
    RELEASE = "release"
    HEALTH = "health"
    OTHER = "other"
    BROADCAST = "broadcast"  # free text from a coordinator, about nobody in particular


class ReportState(enum.StrEnum):
    PENDING = "pending"  # waiting for a coordinator
    CONFIRMED = "confirmed"  # sent to subscribers, verified
    UNVERIFIED = "unverified"  # sent to subscribers before anyone verified it (VERIFICATION=off)
    REJECTED = "rejected"
    RETRACTED = "retracted"  # sent, then withdrawn with a correction
    DUPLICATE = "duplicate"  # corroborates an earlier report; no alert of its own


LIVE_STATES = (ReportState.PENDING, ReportState.CONFIRMED, ReportState.UNVERIFIED)


@dataclass(frozen=True, slots=True)
class Media:
    kind: str  # photo, voice or video
    file_id: str


@dataclass(frozen=True, slots=True)
class NewReport:
    kind: ReportKind
    person_id: int | None
    reporter_id: int
    place: str
    details: str
    latitude: float | None
    longitude: float | None
    state: ReportState
    reported_at: datetime
    duplicate_of: int | None = None


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    kind: ReportKind
    person_id: int | None
    reporter_id: int | None
    place: str
    latitude: float | None
    longitude: float | None
    details: str
    state: ReportState
    duplicate_of: int | None
    corroborations: int
    reported_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    decision_note: str
    escalated_at: datetime | None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _time(value: str | None) -> datetime | None:
    return from_db_time(value) if value else None


def _report(row: aiosqlite.Row) -> Report:
    return Report(
        id=row["id"],
        kind=ReportKind(row["kind"]),
        person_id=row["person_id"],
        reporter_id=row["reporter_id"],
        place=row["place"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        details=row["details"],
        state=ReportState(row["state"]),
        duplicate_of=row["duplicate_of"],
        corroborations=row["corroborations"],
        reported_at=from_db_time(row["reported_at"]),
        decided_by=row["decided_by"],
        decided_at=_time(row["decided_at"]),
        decision_note=row["decision_note"],
        escalated_at=_time(row["escalated_at"]),
    )


class ReportRepository:
    """Reads and writes ``reports``, ``report_media`` and ``verification_messages``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, report_id: int) -> Report | None:
        row = await self._db.fetch_one("SELECT * FROM reports WHERE id = ?", (report_id,))
        return _report(row) if row else None

    async def insert_in(self, conn: aiosqlite.Connection, report: NewReport) -> int:
        cursor = await conn.execute(
            "INSERT INTO reports (kind, person_id, reporter_id, place, latitude, longitude,"
            " details, state, duplicate_of, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report.kind.value,
                report.person_id,
                report.reporter_id,
                report.place,
                report.latitude,
                report.longitude,
                report.details,
                report.state.value,
                report.duplicate_of,
                to_db_time(report.reported_at),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def earlier_live(
        self, person_id: int, kind: ReportKind, since: datetime
    ) -> Report | None:
        """The first live report of ``kind`` about the person since ``since`` (for duplicates)."""
        row = await self._db.fetch_one(
            "SELECT * FROM reports WHERE person_id = ? AND kind = ? AND reported_at >= ?"
            " AND state IN ('pending', 'confirmed', 'unverified') ORDER BY id LIMIT 1",
            (person_id, kind.value, to_db_time(since)),
        )
        return _report(row) if row else None

    async def corroborate_in(self, conn: aiosqlite.Connection, report_id: int) -> None:
        await conn.execute(
            "UPDATE reports SET corroborations = corroborations + 1 WHERE id = ?", (report_id,)
        )

    async def decide_in(
        self,
        conn: aiosqlite.Connection,
        report_id: int,
        *,
        from_states: tuple[ReportState, ...],
        to_state: ReportState,
        by: int,
        at: datetime,
        note: str = "",
    ) -> bool:
        """Move a report to ``to_state`` if it is in one of ``from_states``; first caller wins."""
        marks = ", ".join("?" for _ in from_states)
        cursor = await conn.execute(
            "UPDATE reports SET state = ?, decided_by = ?, decided_at = ?, decision_note = ?"
            f" WHERE id = ? AND state IN ({marks})",  # only "?" marks are interpolated
            (to_state.value, by, to_db_time(at), note, report_id, *[s.value for s in from_states]),
        )
        return cursor.rowcount == 1

    async def latest_live_by(self, reporter_id: int, since: datetime) -> Report | None:
        """The reporter's newest live or duplicate report since ``since``."""
        row = await self._db.fetch_one(
            "SELECT * FROM reports WHERE reporter_id = ? AND reported_at >= ?"
            " AND state IN ('pending', 'confirmed', 'unverified', 'duplicate')"
            " ORDER BY id DESC LIMIT 1",
            (reporter_id, to_db_time(since)),
        )
        return _report(row) if row else None

    async def add_media_in(
        self, conn: aiosqlite.Connection, report_id: int, media: Media, now: datetime
    ) -> None:
        await conn.execute(
            "INSERT INTO report_media (report_id, kind, file_id, added_at) VALUES (?, ?, ?, ?)",
            (report_id, media.kind, media.file_id, to_db_time(now)),
        )

    async def set_location_in(
        self, conn: aiosqlite.Connection, report_id: int, latitude: float, longitude: float
    ) -> None:
        await conn.execute(
            "UPDATE reports SET latitude = ?, longitude = ? WHERE id = ?",
            (latitude, longitude, report_id),
        )

    async def media(self, report_id: int) -> list[Media]:
        rows = await self._db.fetch_all(
            "SELECT kind, file_id FROM report_media WHERE report_id = ? ORDER BY id", (report_id,)
        )
        return [Media(row["kind"], row["file_id"]) for row in rows]

    async def waiting_since(self, before: datetime) -> list[Report]:
        """Pending reports older than ``before`` that were not escalated yet."""
        rows = await self._db.fetch_all(
            "SELECT * FROM reports WHERE state = 'pending' AND escalated_at IS NULL"
            " AND reported_at <= ? ORDER BY id",
            (to_db_time(before),),
        )
        return [_report(row) for row in rows]

    async def mark_escalated(self, report_id: int, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE reports SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL",
                (to_db_time(now), report_id),
            )
        return cursor.rowcount == 1

    async def add_verification_message(self, report_id: int, chat_id: int, message_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO verification_messages (report_id, chat_id, message_id)"
                " VALUES (?, ?, ?)",
                (report_id, chat_id, message_id),
            )

    async def verification_messages(self, report_id: int) -> list[tuple[int, int]]:
        rows = await self._db.fetch_all(
            "SELECT chat_id, message_id FROM verification_messages WHERE report_id = ?",
            (report_id,),
        )
        return [(row["chat_id"], row["message_id"]) for row in rows]

    async def alerts_of(self, report_id: int) -> list[int]:
        """Ids of every alert about this report (the alert, its follow-ups), oldest first."""
        rows = await self._db.fetch_all(
            "SELECT id FROM alerts WHERE report_id = ? ORDER BY id", (report_id,)
        )
        return [int(row["id"]) for row in rows]

    async def alert_of(self, report_id: int) -> int | None:
        """The id of the alert that carried this report to subscribers, if it went out."""
        row = await self._db.fetch_one(
            "SELECT id FROM alerts WHERE report_id = ? AND kind IN ('report', 'broadcast')"
            " ORDER BY id LIMIT 1",
            (report_id,),
        )
        return int(row["id"]) if row else None

    async def pending(self) -> list[Report]:
        """Reports waiting for a coordinator, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM reports WHERE state = 'pending' ORDER BY reported_at, id"
        )
        return [_report(row) for row in rows]

    async def count_pending(self) -> int:
        row = await self._db.fetch_one("SELECT count(*) FROM reports WHERE state = 'pending'")
        return int(row[0]) if row else 0

    async def remember_status_in(
        self, conn: aiosqlite.Connection, report_id: int, person: Person
    ) -> None:
        """Keep the person's status as it was before this report changed it."""
        await conn.execute(
            "UPDATE reports SET status_before = ?, since_before = ?, held_before = ? WHERE id = ?",
            (
                person.status.value,
                to_db_time(person.status_since) if person.status_since else None,
                person.held_at,
                report_id,
            ),
        )

    async def status_before(self, report_id: int) -> tuple[str, datetime | None, str] | None:
        """(status, since, held at) before the report changed them, if it did."""
        row = await self._db.fetch_one(
            "SELECT status_before, since_before, held_before FROM reports WHERE id = ?",
            (report_id,),
        )
        if row is None or row["status_before"] is None:
            return None
        since = from_db_time(row["since_before"]) if row["since_before"] else None
        return row["status_before"], since, row["held_before"] or ""
