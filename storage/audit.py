"""The audit trail: who did what, naming people by pseudonym only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail."""

    id: int
    at: datetime
    actor: str | None
    action: str
    target: str | None
    detail: str


class AuditRepository:
    """Appends to and reads the ``audit_log`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        *,
        at: datetime,
        actor: str | None,
        action: str,
        target: str | None = None,
        detail: str = "",
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                (to_db_time(at), actor, action, target, detail),
            )

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        """The newest entries first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [
            AuditEntry(
                id=row["id"],
                at=from_db_time(row["at"]),
                actor=row["actor"],
                action=row["action"],
                target=row["target"],
                detail=row["detail"],
            )
            for row in rows
        ]
