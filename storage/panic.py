"""``/panic``: empty the database, close it, then overwrite and delete its files."""

from __future__ import annotations

import os
from pathlib import Path

from storage.database import Database, database_files

_CHUNK = 1 << 20


async def erase_and_close(db: Database) -> None:
    """Drop every table with ``secure_delete`` on (freed pages are zeroed), fold the WAL back
    into the file and truncate it (``wal_checkpoint(TRUNCATE)``), then close the connection.

    Dropping, not ``DELETE``: a drop fires no triggers, so the append-only audit log goes too.
    """
    # Pragmas outside a transaction: SQLite ignores foreign_keys inside one, and a checkpoint
    # cannot run in one.
    await db.fetch_one("PRAGMA secure_delete = ON")
    await db.fetch_one("PRAGMA foreign_keys = OFF")
    rows = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    async with db.transaction() as conn:
        for row in rows:
            await conn.execute(f'DROP TABLE "{row["name"]}"')  # names from the schema itself
    await db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)")
    await db.close()


def shred(path: Path) -> list[Path]:
    """Overwrite the database at ``path`` and its ``-wal``/``-shm``/``-journal`` files with
    zeros, flush them to disk, and delete them (blocking: run it in a thread).

    Returns:
        The files that were deleted.
    """
    removed = []
    for file in database_files(path):
        if not file.exists():
            continue
        size = file.stat().st_size
        with file.open("r+b") as handle:
            for _ in range(0, size, _CHUNK):
                handle.write(bytes(min(_CHUNK, size - handle.tell())))
            handle.flush()
            os.fsync(handle.fileno())
        file.unlink()
        removed.append(file)
    return removed
