"""When detentions, releases and hearings happened, for the /stats chart."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database, from_db_time, to_db_time
from storage.hearings import HearingState
from storage.reports import ReportKind, ReportState

DETENTIONS = "detentions"
RELEASES = "releases"
HEARINGS = "hearings"
SERIES = (DETENTIONS, RELEASES, HEARINGS)

# Reports that went out to subscribers and still stand: not pending, rejected, retracted (withdrawn
# as wrong) or duplicate (a second report of the same event, already counted in the first).
_COUNTED_STATES = (ReportState.CONFIRMED, ReportState.UNVERIFIED)


class StatsRepository:
    """Reads event times from ``reports`` and ``hearings``; the bot buckets them by local week."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def event_times(self, start: datetime, end: datetime) -> dict[str, list[datetime]]:
        """The times of the events counted by /stats, from ``start`` (included) to ``end``.

        Times are returned rather than counts because weeks start at local midnight, which the
        bot layer knows and SQL on UTC text does not.

        Args:
            start: aware start of the period (included).
            end: aware end of the period (excluded).

        Returns:
            ``{"detentions": [...], "releases": [...], "hearings": [...]}``, each list of aware
            UTC times in ascending order: sent, standing detention and release reports by
            ``reported_at``, and hearings that were not cancelled by ``starts_at``.
        """
        params = {
            "start": to_db_time(start),
            "end": to_db_time(end),
            "detention": ReportKind.DETENTION.value,
            "release": ReportKind.RELEASE.value,
            "state_a": _COUNTED_STATES[0].value,
            "state_b": _COUNTED_STATES[1].value,
            "cancelled": HearingState.CANCELLED.value,
        }
        times: dict[str, list[datetime]] = {name: [] for name in SERIES}
        reports = await self._db.fetch_all(
            "SELECT kind, reported_at FROM reports"
            " WHERE kind IN (:detention, :release) AND state IN (:state_a, :state_b)"
            " AND reported_at >= :start AND reported_at < :end ORDER BY reported_at",
            params,
        )
        for row in reports:
            series = DETENTIONS if row["kind"] == ReportKind.DETENTION else RELEASES
            times[series].append(from_db_time(row["reported_at"]))
        hearings = await self._db.fetch_all(
            "SELECT starts_at FROM hearings WHERE state != :cancelled"
            " AND starts_at >= :start AND starts_at < :end ORDER BY starts_at",
            params,
        )
        times[HEARINGS] = [from_db_time(row["starts_at"]) for row in hearings]
        return times
