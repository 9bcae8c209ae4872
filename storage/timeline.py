"""A person's timeline: reports, hearings and sentences in one list, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.database import Database, from_db_time, to_db_time

# Reports that were never sent (pending, rejected) are visible to coordinators only;
# duplicates are folded into the report they corroborate.
_SQL = """
SELECT 'report' AS source, id, kind, state, reported_at AS at, place, details, reporter_id
  FROM reports
 WHERE person_id = :person AND state != 'duplicate'
   AND (:all OR state IN ('confirmed', 'unverified', 'retracted'))
   AND (:health OR kind != 'health')
UNION ALL
SELECT 'hearing', id, CASE closed WHEN 1 THEN 'closed' ELSE 'open' END, state, starts_at, place,
       notes, NULL
  FROM hearings WHERE person_id = :person
UNION ALL
SELECT 'sentence', id, '', '', created_at, '',
       years || ' ' || months || ' ' || days || ' ' || release_date, NULL
  FROM sentences WHERE person_id = :person
ORDER BY at DESC, source, id DESC
LIMIT :limit OFFSET :offset
"""


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    source: str  # report, hearing or sentence
    id: int
    kind: str  # the report kind, "closed"/"open" for hearings, "" for sentences
    state: str
    at: datetime
    place: str
    details: str  # for a sentence: "<years> <months> <days> <release date>", see sentence_parts
    reporter_id: int | None

    def sentence_parts(self) -> tuple[int, int, int, date]:
        """A sentence event's term (years, months, days) and expected release date."""
        years, months, days, release = self.details.split()
        return int(years), int(months), int(days), date.fromisoformat(release)


class TimelineRepository:
    """Reads a person's events across tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def events(
        self,
        person_id: int,
        *,
        include_unsent: bool,
        include_health: bool,
        limit: int,
        offset: int = 0,
    ) -> list[TimelineEvent]:
        """Newest first; unsent reports and health reports only when the reader may see them."""
        rows = await self._db.fetch_all(
            _SQL,
            {
                "person": person_id,
                "all": int(include_unsent),
                "health": int(include_health),
                "limit": limit,
                "offset": offset,
            },
        )
        return [
            TimelineEvent(
                source=row["source"],
                id=row["id"],
                kind=row["kind"],
                state=row["state"],
                at=from_db_time(row["at"]),
                place=row["place"],
                details=row["details"],
                reporter_id=row["reporter_id"],
            )
            for row in rows
        ]

    async def health_reports(self, person_id: int) -> list[tuple[datetime, str]]:
        """Sent health reports about a person, oldest first: (when, details)."""
        rows = await self._db.fetch_all(
            "SELECT reported_at, details FROM reports WHERE person_id = ? AND kind = 'health'"
            " AND state IN ('confirmed', 'unverified') ORDER BY reported_at, id",
            (person_id,),
        )
        return [(from_db_time(row["reported_at"]), row["details"]) for row in rows]


_ALL_SQL = """
SELECT 'report' AS source, reports.id, reports.kind, reports.state, reports.reported_at AS at,
       people.name AS person, reports.place, reports.details, users.pseudonym AS reporter
  FROM reports
  LEFT JOIN people ON people.id = reports.person_id
  LEFT JOIN users ON users.telegram_id = reports.reporter_id
 WHERE reports.state != 'duplicate' AND reports.reported_at >= :start AND reports.reported_at < :end
UNION ALL
SELECT 'hearing', hearings.id, CASE closed WHEN 1 THEN 'closed' ELSE 'open' END, hearings.state,
       hearings.starts_at, people.name, hearings.place, hearings.notes, NULL
  FROM hearings JOIN people ON people.id = hearings.person_id
 WHERE hearings.starts_at >= :start AND hearings.starts_at < :end
UNION ALL
SELECT 'sentence', sentences.id, '', '', sentences.created_at, people.name, '',
       sentences.years || 'y ' || sentences.months || 'm ' || sentences.days || 'd, release '
       || sentences.release_date, NULL
  FROM sentences JOIN people ON people.id = sentences.person_id
 WHERE sentences.created_at >= :start AND sentences.created_at < :end
ORDER BY at, source, 2
"""


@dataclass(frozen=True, slots=True)
class ExportEvent:
    source: str
    id: int
    kind: str
    state: str
    at: datetime
    person: str
    place: str
    details: str
    reporter: str | None  # pseudonym


class EventLog:
    """Every event of the network, for exports."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def between(self, start: datetime, end: datetime) -> list[ExportEvent]:
        """Every report, hearing and sentence in [start, end), oldest first."""
        rows = await self._db.fetch_all(
            _ALL_SQL, {"start": to_db_time(start), "end": to_db_time(end)}
        )
        return [
            ExportEvent(
                source=row["source"],
                id=row["id"],
                kind=row["kind"],
                state=row["state"],
                at=from_db_time(row["at"]),
                person=row["person"] or "",
                place=row["place"],
                details=row["details"],
                reporter=row["reporter"],
            )
            for row in rows
        ]
