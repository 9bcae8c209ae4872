"""Exports: the network's own record as CSV and JSON, without reporters unless an admin asks."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.roles import Role
from bot.settings import Settings
from storage.audit import AuditRepository
from storage.timeline import EventLog, ExportEvent
from storage.users import User

COLUMNS = (
    "type", "id", "person", "kind", "time_utc", "time_local", "place", "details", "state",
)  # fmt: skip
REPORTER_COLUMN = "reporter"
BEGINNING = datetime(2000, 1, 1, tzinfo=UTC)


def rows(events: Sequence[ExportEvent], zone: ZoneInfo, *, reporters: bool) -> list[dict[str, str]]:
    """One flat row per event; times in UTC and in the network's zone."""
    result = []
    for event in events:
        row = {
            "type": event.source,
            "id": str(event.id),
            "person": event.person,
            "kind": event.kind,
            "time_utc": event.at.astimezone(UTC).isoformat(timespec="seconds"),
            "time_local": event.at.astimezone(zone).isoformat(timespec="seconds"),
            "place": event.place,
            "details": event.details,
            "state": event.state,
        }
        if reporters:
            row[REPORTER_COLUMN] = event.reporter or ""
        result.append(row)
    return result


def to_csv(table: list[dict[str, str]], *, reporters: bool) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs keep Cyrillic intact."""
    buffer = io.StringIO()
    columns = [*COLUMNS, REPORTER_COLUMN] if reporters else list(COLUMNS)
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue().encode("utf-8-sig")


def to_json(table: list[dict[str, str]], *, practice: bool = False) -> bytes:
    """``{"events": [...]}``; a practice export says so first: ``{"practice": true, ...}``."""
    document: dict[str, object] = {"practice": True} if practice else {}
    document["events"] = table
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Export:
    csv: bytes
    json: bytes
    count: int
    start: date | None
    end: date | None
    practice: bool = False  # made in practice mode: its file names say so


class ExportService:
    """Builds exports; each one is audited."""

    def __init__(
        self, events: EventLog, audit: AuditRepository, settings: Settings, clock: Clock
    ) -> None:
        self._events = events
        self._audit = audit
        self._settings = settings
        self._clock = clock

    @staticmethod
    def may_include_reporters(actor: User) -> bool:
        return actor.role >= Role.ADMIN

    async def export(
        self, actor: User, start: date | None, end: date | None, *, reporters: bool
    ) -> Export | None:
        """Events from ``start`` to ``end`` (local dates, inclusive); None if not allowed."""
        now = self._clock.now()
        if reporters and not self.may_include_reporters(actor):
            await self._audit.record(
                at=now, actor=actor.pseudonym, action="denied:/export reporters"
            )
            return None
        zone = self._settings.timezone
        begin = datetime.combine(start, time(0), tzinfo=zone) if start else BEGINNING
        finish = (
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
            if end
            else now + timedelta(days=3660)
        )
        table = rows(await self._events.between(begin, finish), zone, reporters=reporters)
        await self._audit.record(
            at=now,
            actor=actor.pseudonym,
            action="export",
            detail=f"{start or '…'}..{end or '…'} rows={len(table)} reporters={reporters}",
        )
        practice = self._settings.practice
        return Export(
            to_csv(table, reporters=reporters),
            to_json(table, practice=practice),
            len(table),
            start,
            end,
            practice,
        )
