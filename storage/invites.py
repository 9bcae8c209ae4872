"""Invites: single-use codes that grant a role; only a hash of each code is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.roles import Role
from storage.database import Database, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class Invite:
    """An invite as stored (without its code)."""

    id: int
    role: Role
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_by: str | None
    used_at: datetime | None


def _invite(row: aiosqlite.Row) -> Invite:
    return Invite(
        id=row["id"],
        role=Role[row["role"].upper()],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
        expires_at=from_db_time(row["expires_at"]),
        used_by=row["used_by"],
        used_at=from_db_time(row["used_at"]) if row["used_at"] else None,
    )


class InviteRepository:
    """Reads and writes the ``invites`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, code_hash: str, *, role: Role, created_by: str, now: datetime, expires_at: datetime
    ) -> Invite:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO invites (code_hash, role, created_by, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (code_hash, role.label, created_by, to_db_time(now), to_db_time(expires_at)),
            )
            invite_id = cursor.lastrowid
        row = await self._db.fetch_one("SELECT * FROM invites WHERE id = ?", (invite_id,))
        assert row is not None
        return _invite(row)

    async def get_by_hash(self, code_hash: str) -> Invite | None:
        row = await self._db.fetch_one("SELECT * FROM invites WHERE code_hash = ?", (code_hash,))
        return _invite(row) if row else None

    async def void_pending_in(
        self, conn: aiosqlite.Connection, created_by: str, now: datetime
    ) -> int:
        """Let every unused, unexpired invite created by ``created_by`` expire at ``now``.

        Inside the caller's transaction (``/burn``). A voided code then fails as an expired one.

        Returns:
            How many invites were voided.
        """
        cursor = await conn.execute(
            "UPDATE invites SET expires_at = ?"
            " WHERE created_by = ? AND used_at IS NULL AND expires_at > ?",
            (to_db_time(now), created_by, to_db_time(now)),
        )
        return cursor.rowcount

    async def redeem(
        self, invite_id: int, *, telegram_id: int, pseudonym: str, role: Role, now: datetime
    ) -> bool:
        """Mark the invite used and give the person ``role``, atomically.

        Returns:
            False (and changes nothing) if the invite was used or expired in the meantime.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE invites SET used_by = ?, used_at = ?"
                " WHERE id = ? AND used_at IS NULL AND expires_at > ?",
                (pseudonym, to_db_time(now), invite_id, to_db_time(now)),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "UPDATE users SET role = ? WHERE telegram_id = ?", (role.label, telegram_id)
            )
        return True
