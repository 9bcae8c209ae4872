"""People under watch."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.people import Status
from storage.database import Database, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class Person:
    """A person the network watches over."""

    id: int
    name: str
    city: str
    status: Status
    status_since: datetime | None
    held_at: str
    notes: str
    created_at: datetime
    last_reported_at: datetime | None
    release_at: datetime | None = None  # expected release (the date at 09:00 local by default)
    postal_address: str = ""
    birthday: str = ""  # YYYY-MM-DD or empty
    lawyer_contact: str = ""
    public_notes: str = ""
    internal_notes: str = ""
    health_public: bool = False

    @property
    def in_custody(self) -> bool:
        return self.status != Status.FREE


def person_from_row(row: aiosqlite.Row) -> Person:
    return Person(
        id=row["id"],
        name=row["name"],
        city=row["city"],
        status=Status(row["status"]),
        status_since=from_db_time(row["status_since"]) if row["status_since"] else None,
        held_at=row["held_at"],
        notes=row["notes"],
        created_at=from_db_time(row["created_at"]),
        last_reported_at=from_db_time(row["last_reported_at"]) if row["last_reported_at"] else None,
        release_at=from_db_time(row["release_at"]) if row["release_at"] else None,
        postal_address=row["postal_address"],
        birthday=row["birthday"],
        lawyer_contact=row["lawyer_contact"],
        public_notes=row["public_notes"],
        internal_notes=row["internal_notes"],
        health_public=bool(row["health_public"]),
    )


class PeopleRepository:
    """Reads and writes ``people`` and ``person_aliases``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, person_id: int) -> Person | None:
        row = await self._db.fetch_one("SELECT * FROM people WHERE id = ?", (person_id,))
        return person_from_row(row) if row else None

    async def find_by_key(self, key: str) -> list[Person]:
        """Everyone whose name or one of whose aliases has ``key`` as match key, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM people WHERE match_key = ? OR id IN"
            " (SELECT person_id FROM person_aliases WHERE match_key = ?) ORDER BY id",
            (key, key),
        )
        return [person_from_row(row) for row in rows]

    async def create_in(
        self, conn: aiosqlite.Connection, *, name: str, key: str, now: datetime
    ) -> int:
        cursor = await conn.execute(
            "INSERT INTO people (name, match_key, created_at) VALUES (?, ?, ?)",
            (name, key, to_db_time(now)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def add_alias(self, person_id: int, alias: str, key: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO person_aliases (person_id, alias, match_key)"
                " VALUES (?, ?, ?)",
                (person_id, alias, key),
            )

    async def recently_reported(self, limit: int) -> list[Person]:
        rows = await self._db.fetch_all(
            "SELECT * FROM people WHERE last_reported_at IS NOT NULL"
            " ORDER BY last_reported_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [person_from_row(row) for row in rows]

    async def touch_reported_in(
        self, conn: aiosqlite.Connection, person_id: int, now: datetime
    ) -> None:
        await conn.execute(
            "UPDATE people SET last_reported_at = ? WHERE id = ?", (to_db_time(now), person_id)
        )

    async def set_status_in(
        self,
        conn: aiosqlite.Connection,
        person_id: int,
        *,
        status: Status,
        since: datetime,
        held_at: str | None = None,
    ) -> None:
        """Change the status; ``held_at`` None keeps the place, "" clears it."""
        await conn.execute(
            "UPDATE people SET status = ?, status_since = ?, held_at = COALESCE(?, held_at)"
            " WHERE id = ?",
            (status.value, to_db_time(since), held_at, person_id),
        )

    async def set_release_in(
        self, conn: aiosqlite.Connection, person_id: int, release_at: datetime | None
    ) -> None:
        await conn.execute(
            "UPDATE people SET release_at = ? WHERE id = ?",
            (to_db_time(release_at) if release_at else None, person_id),
        )

    async def releases_between(self, start: datetime, end: datetime) -> list[Person]:
        """People in custody whose expected release falls in [start, end], soonest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM people WHERE status != 'free' AND release_at >= ? AND release_at <= ?"
            " ORDER BY release_at, id",
            (to_db_time(start), to_db_time(end)),
        )
        return [person_from_row(row) for row in rows]

    async def in_custody(self) -> list[Person]:
        """Everyone detained, arrested or imprisoned, by expected release (unknown last)."""
        rows = await self._db.fetch_all(
            "SELECT * FROM people WHERE status != 'free'"
            " ORDER BY release_at IS NULL, release_at, status_since, id"
        )
        return [person_from_row(row) for row in rows]

    # The case-file columns /set may change; anything else is refused before it reaches SQL.
    EDITABLE = frozenset(
        {
            "city",
            "held_at",
            "postal_address",
            "birthday",
            "lawyer_contact",
            "public_notes",
            "internal_notes",
            "health_public",
        }
    )

    async def set_field(self, person_id: int, column: str, value: str | int) -> None:
        if column not in self.EDITABLE:
            raise ValueError(f"not an editable column: {column}")
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE people SET {column} = ? WHERE id = ?",  # column from EDITABLE only
                (value, person_id),
            )

    async def names(self) -> list[tuple[int, tuple[str, ...]]]:
        """Every person's id with their name and aliases, for name matching."""
        rows = await self._db.fetch_all(
            "SELECT people.id, people.name, group_concat(person_aliases.alias, char(31)) AS aliases"
            " FROM people LEFT JOIN person_aliases ON person_aliases.person_id = people.id"
            " GROUP BY people.id ORDER BY people.id"
        )
        return [
            (row["id"], (row["name"], *(row["aliases"].split("\x1f") if row["aliases"] else ())))
            for row in rows
        ]

    async def names_version(self) -> int:
        """A number that changes whenever a name or alias is added, changed or removed (kept by
        triggers, see migration 0011): :meth:`names` need not be read again while it stays."""
        row = await self._db.fetch_one("SELECT version FROM names_version")
        return int(row[0]) if row else 0

    async def count_in_custody(self) -> int:
        row = await self._db.fetch_one("SELECT count(*) FROM people WHERE status != 'free'")
        return int(row[0]) if row else 0

    async def known_publicly(self, person_ids: Collection[int]) -> set[int]:
        """Those of ``person_ids`` the network has spoken about: a sent report, a hearing or a
        sentence. Someone named only in a pending or rejected report stays unknown to readers
        below coordinator, so a false alarm cannot be found by searching for the name.
        """
        ids = sorted(set(person_ids))
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)  # only "?" marks are interpolated
        rows = await self._db.fetch_all(
            f"SELECT id FROM people WHERE id IN ({marks}) AND ("
            " EXISTS (SELECT 1 FROM reports WHERE reports.person_id = people.id"
            "  AND state IN ('confirmed', 'unverified', 'retracted'))"
            " OR EXISTS (SELECT 1 FROM hearings WHERE hearings.person_id = people.id)"
            " OR EXISTS (SELECT 1 FROM sentences WHERE sentences.person_id = people.id))",
            ids,
        )
        return {row["id"] for row in rows}

    async def restore_status_in(
        self,
        conn: aiosqlite.Connection,
        person_id: int,
        *,
        status: str,
        since: datetime | None,
        held_at: str,
    ) -> None:
        """Put back a status recorded before a retracted report changed it."""
        await conn.execute(
            "UPDATE people SET status = ?, status_since = ?, held_at = ? WHERE id = ?",
            (status, to_db_time(since) if since else None, held_at, person_id),
        )
