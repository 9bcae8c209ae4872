"""The one SQLite connection: pragmas, migrations and write transactions."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import aiosqlite

logger = logging.getLogger(__name__)

REBUILD_MARK = "-- rebuilds tables"
Params = Sequence[object] | Mapping[str, object]  # "?" marks, or ":name" placeholders
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


# The database file and the ones SQLite keeps beside it.
SUFFIXES = ("", "-wal", "-shm", "-journal")


def database_files(path: Path) -> list[Path]:
    """The database at ``path`` and its ``-wal``, ``-shm`` and ``-journal`` files (whether or
    not they exist)."""
    return [path.with_name(path.name + suffix) for suffix in SUFFIXES]


def migration_files() -> list[tuple[int, str, str]]:
    """Return the schema migrations as ``(version, name, sql)``, in order.

    Raises:
        RuntimeError: the numbering has a gap or a duplicate.
    """
    found = []
    for entry in resources.files("storage").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    expected = list(range(1, len(found) + 1))
    if [version for version, _, _ in found] != expected:
        raise RuntimeError(f"migrations must be numbered 0001, 0002, ... without gaps: {found}")
    return found


class Database:
    """One connection for the whole bot; every write goes through :meth:`transaction`.

    SQLite allows one writer at a time; a single connection with a lock keeps writes ordered and
    avoids ``database is locked`` errors, and WAL lets readers proceed meanwhile.
    """

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._conn = connection
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating the folder if needed) and configure the database at ``path``."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        # FULL: a report the bot has acknowledged must survive a power cut or a killed container;
        # the write volume is tiny, so the extra fsync per commit costs nothing that matters.
        await conn.execute("PRAGMA synchronous = FULL")
        await conn.execute("PRAGMA busy_timeout = 5000")
        # Deleted rows are overwritten with zeros instead of lingering in free pages and the WAL,
        # where someone with the file (a seized disk) could read what /forget and retention removed.
        await conn.execute("PRAGMA secure_delete = ON")
        return cls(conn)

    async def close(self) -> None:
        await self._conn.close()

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply pending migrations in order, each in its own transaction.

        Returns:
            The schema version after migrating.
        """
        current = await self.schema_version()
        for version, name, sql in migration_files():
            if version <= current:
                continue
            # A migration that rebuilds a table (SQLite cannot change a CHECK constraint in
            # place) says so in its first line; foreign keys are then off while it runs, as
            # SQLite's documented procedure requires, and checked before it commits.
            rebuilds = sql.startswith(REBUILD_MARK)
            if rebuilds:
                await self._conn.execute("PRAGMA foreign_keys = OFF")
            try:
                async with self.transaction() as conn:
                    # executescript would commit on its own; run the statements one by one so
                    # the migration and its version number commit together or not at all.
                    for statement in _split_sql(sql):
                        await conn.execute(statement)
                    if rebuilds:
                        async with conn.execute("PRAGMA foreign_key_check") as cursor:
                            if await cursor.fetchone() is not None:
                                raise RuntimeError(f"{name} broke a foreign key")
                    await conn.execute(f"PRAGMA user_version = {version:d}")
            finally:
                if rebuilds:
                    await self._conn.execute("PRAGMA foreign_keys = ON")
            logger.info("Applied migration %s", name)
            current = version
        return current

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a block of writes atomically (``BEGIN IMMEDIATE`` ... ``COMMIT``)."""
        async with self._write_lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
            except BaseException:
                # Also when cancelled during BEGIN itself: the statement may have run in
                # aiosqlite's thread all the same, so ask the connection, not our own flag.
                if self._conn.in_transaction:
                    await asyncio.shield(self._conn.execute("ROLLBACK"))
                raise
            await asyncio.shield(self._conn.execute("COMMIT"))

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, using sqlite3's own notion of a complete statement."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"incomplete SQL statement in migration: {buffer.strip()[:80]}")
    return statements


def to_db_time(moment: datetime) -> str:
    """Store an aware datetime as ISO-8601 text in UTC."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db_time(text: str) -> datetime:
    """Read a time stored by :func:`to_db_time`."""
    return datetime.fromisoformat(text)
