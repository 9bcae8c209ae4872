"""Forgetting people: deleting a user with every row that names them, and ageing out identities.

The audit trail is left alone (it is append-only): it names people by pseudonym, and the
pseudonym's only link to a person is their ``users`` row, which is what goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import Database, to_db_time


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """What one retention run changed."""

    reports_anonymised: int
    users_deleted: int


# Rows that name a person by Telegram id without a foreign key that would clean them up.
# follows and hearing_attendees cascade; reports.reporter_id is set NULL by its foreign key.
_UNLINK_USER = (
    "DELETE FROM deliveries WHERE chat_id = :id",
    "DELETE FROM verification_messages WHERE chat_id = :id",
    "UPDATE reports SET reporter_id = NULL WHERE reporter_id = :id",
    "UPDATE reports SET decided_by = NULL WHERE decided_by = :id",
    "UPDATE hearings SET created_by = NULL WHERE created_by = :id",
    "UPDATE sentences SET created_by = NULL WHERE created_by = :id",
    "UPDATE alerts SET summary_chat_id = NULL WHERE summary_chat_id = :id",
)


async def delete_user_in(conn: aiosqlite.Connection, telegram_id: int) -> bool:
    """Delete a user and every row that names them by id, inside the caller's transaction.

    Args:
        conn: a connection inside :meth:`Database.transaction`.
        telegram_id: whom to delete.

    Returns:
        False if there was no such user.
    """
    for statement in _UNLINK_USER:
        await conn.execute(statement, {"id": telegram_id})
    cursor = await conn.execute("DELETE FROM users WHERE telegram_id = ?", (telegram_id,))
    return cursor.rowcount == 1


class RetentionRepository:
    """Deletes users and removes identities from old rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def delete_user(self, telegram_id: int) -> bool:
        """Delete one user (see :func:`delete_user_in`) in its own transaction."""
        async with self._db.transaction() as conn:
            return await delete_user_in(conn, telegram_id)

    async def apply(self, cutoff: datetime, keep: frozenset[int]) -> RetentionResult:
        """Age out identities older than ``cutoff``; running it twice changes nothing more.

        Args:
            cutoff: reports before this lose their reporter, decider and the coordinators'
                copies of the verification request; hearings and sentences before it lose who
                recorded them; people who left and were last seen before it are deleted.
            keep: Telegram ids never deleted (``ADMIN_IDS``).

        Returns:
            How many reports lost their reporter and how many users were deleted.
        """
        at = to_db_time(cutoff)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE reports SET reporter_id = NULL WHERE reported_at < ?"
                " AND reporter_id IS NOT NULL",
                (at,),
            )
            anonymised = cursor.rowcount
            await conn.execute(
                "UPDATE reports SET decided_by = NULL WHERE reported_at < ?"
                " AND decided_by IS NOT NULL",
                (at,),
            )
            await conn.execute(
                "DELETE FROM verification_messages WHERE report_id IN"
                " (SELECT id FROM reports WHERE reported_at < ?)",
                (at,),
            )
            for table in ("hearings", "sentences"):
                await conn.execute(
                    f"UPDATE {table} SET created_by = NULL"  # a fixed table name, not input
                    " WHERE created_at < ? AND created_by IS NOT NULL",
                    (at,),
                )
            # Where a member was going and why is needed while the check-in runs, not after.
            await conn.execute(
                "UPDATE checkins SET place = '', note = '' WHERE set_at < ?"
                " AND state != 'running' AND (place != '' OR note != '')",
                (at,),
            )
            # Subscribers who turned alerts off or blocked the bot (the sender unsubscribes
            # them), and people without a role; members and up stay whatever they chose. A
            # burned person stays: the row is what keeps a seized phone locked out.
            rows = await conn.execute_fetchall(
                "SELECT telegram_id FROM users WHERE subscribed = 0 AND burned_at IS NULL"
                " AND role IN ('subscriber', 'none') AND last_seen_at < ? ORDER BY telegram_id",
                (at,),
            )
            deleted = 0
            for row in rows:
                if row[0] not in keep and await delete_user_in(conn, row[0]):
                    deleted += 1
        return RetentionResult(reports_anonymised=anonymised, users_deleted=deleted)
