"""Schema migrations: built from zero, versioned, idempotent, one transaction each."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.database import Database, migration_files


async def test_schema_builds_from_zero_and_records_its_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new" / "dabyl.sqlite3")
    try:
        assert await db.schema_version() == 0
        version = await db.migrate()
        assert version == len(migration_files())
        assert await db.schema_version() == version
        tables = {
            row["name"]
            for row in await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert {"users", "invites", "audit_log"} <= tables
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("PRAGMA synchronous"))[0] == 2  # FULL
    finally:
        await db.close()


async def test_migrating_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "dabyl.sqlite3"
    db = await Database.open(path)
    first = await db.migrate()
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.migrate() == first
    finally:
        await db.close()


async def test_a_failing_migration_rolls_back_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = migration_files()
    broken = (len(good) + 1, "9999_broken.sql", "CREATE TABLE half (id INTEGER);\nNOT SQL;\n")
    monkeypatch.setattr("storage.database.migration_files", lambda: [*good, broken])
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    try:
        with pytest.raises(Exception, match="syntax error"):
            await db.migrate()
        assert await db.schema_version() == len(good)
        assert await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'half'") is None
    finally:
        await db.close()


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [version for version, _, _ in migration_files()]
    assert versions == list(range(1, len(versions) + 1))


async def test_a_failed_transaction_leaves_the_connection_usable(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    await db.migrate()
    try:

        async def fails_half_way() -> None:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'a')")
                raise RuntimeError("half way")

        with pytest.raises(RuntimeError, match="half way"):
            await fails_half_way()
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'b')")
        rows = await db.fetch_all("SELECT action FROM audit_log")
        assert [row["action"] for row in rows] == ["b"]
    finally:
        await db.close()


async def test_rebuilding_alerts_keeps_alerts_and_their_deliveries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = migration_files()
    monkeypatch.setattr("storage.database.migration_files", lambda: every[:2])
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    try:
        assert await db.migrate() == 2
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alerts (id, kind, priority, text, created_at)"
                " VALUES (7, 'report', 0, 'x', '2026-03-01T09:00:00+00:00')"
            )
            await conn.execute(
                "INSERT INTO deliveries (alert_id, chat_id, priority, next_attempt_at)"
                " VALUES (7, 6001, 0, '2026-03-01T09:00:00+00:00')"
            )
        monkeypatch.setattr("storage.database.migration_files", lambda: every)
        assert await db.migrate() == len(every)
        rows = await db.fetch_all("SELECT alert_id, chat_id FROM deliveries")
        assert [tuple(row) for row in rows] == [(7, 6001)]
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert await db.fetch_all("PRAGMA foreign_key_check") == []
        async with db.transaction() as conn:  # the new kinds are allowed
            await conn.execute(
                "INSERT INTO alerts (kind, priority, text, created_at)"
                " VALUES ('reminder', 2, 'y', '2026-03-01T09:00:00+00:00')"
            )
    finally:
        await db.close()


async def test_audit_rows_cannot_be_changed_or_deleted(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    await db.migrate()
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'revoke')")
        for statement in (
            "UPDATE audit_log SET action = 'nothing'",
            "DELETE FROM audit_log",
        ):

            async def tamper(sql: str = statement) -> None:
                async with db.transaction() as conn:
                    await conn.execute(sql)

            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                await tamper()
        rows = await db.fetch_all("SELECT action FROM audit_log")
        assert [row["action"] for row in rows] == ["revoke"]
    finally:
        await db.close()
