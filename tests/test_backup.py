"""Backups: a consistent copy under write load, encryption, and a restore that checks first."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import backup as backups
from bot.__main__ import main
from bot.backup import BackupError, ScryptParams
from storage.database import Database, migration_files

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
NEWEST = migration_files()[-1][0]
FAST = ScryptParams(log2_n=10)  # the format records the cost; tests need not pay 128 MiB each
PASSPHRASE = "the steppe remembers every name"


def payload(n: int) -> str:
    """A row big enough that the database spans many pages, and checkable on its own."""
    return hashlib.sha256(str(n).encode()).hexdigest() * 30


async def new_database(path: Path) -> Database:
    db = await Database.open(path)
    await db.migrate()
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE load (n INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        await conn.execute("CREATE TABLE tally (total INTEGER NOT NULL)")
        await conn.execute("INSERT INTO tally VALUES (0)")
    return db


async def write_rows(db: Database, first: int, last: int) -> None:
    for n in range(first, last + 1):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO load VALUES (?, ?)", (n, payload(n)))
            await conn.execute("UPDATE tally SET total = ?", (n,))


def rows(path: Path) -> list[tuple[int, str]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return list(db.execute("SELECT n, payload FROM load ORDER BY n"))


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A migrated database with three rows, closed (as when the bot is stopped)."""
    path = tmp_path / "data" / "dabyl.sqlite3"

    async def build() -> None:
        db = await new_database(path)
        await write_rows(db, 1, 3)
        await db.close()

    asyncio.run(build())
    return path


@pytest.fixture
def cli(tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run ``main([...])`` with settings from the environment, as an operator would."""
    monkeypatch.chdir(tmp_path)  # no .env file here
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_PATH", str(database))
    return database


def passphrase_file(tmp_path: Path, text: str, name: str = "passphrase") -> str:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


async def test_backup_under_write_load_holds_a_complete_prefix_of_the_writes(
    tmp_path: Path,
) -> None:
    db = await new_database(tmp_path / "live.sqlite3")
    written = 0
    progress = asyncio.Event()
    stop = asyncio.Event()

    async def writer() -> None:
        nonlocal written
        while not stop.is_set():
            await write_rows(db, written + 1, written + 1)
            written += 1
            progress.set()
            await asyncio.sleep(0)

    async def written_at_least(count: int) -> None:
        while written < count:
            progress.clear()
            await progress.wait()

    task = asyncio.create_task(writer())
    await written_at_least(300)
    before = written
    target = tmp_path / "offsite" / "copy.sqlite3"
    await asyncio.to_thread(backups.backup, tmp_path / "live.sqlite3", target)
    after_backup = written
    await written_at_least(after_backup + 50)  # the bot went on writing after the backup
    stop.set()
    await task
    await db.close()

    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA user_version").fetchone()[0] == NEWEST
        (total,) = copy.execute("SELECT total FROM tally").fetchone()
    saved = rows(target)
    assert before <= len(saved) <= after_backup
    # A prefix, each row whole, and the tally written in the same transactions agrees.
    assert saved == [(n, payload(n)) for n in range(1, len(saved) + 1)]
    assert total == len(saved)


def test_encrypted_backup_restores_the_same_rows(tmp_path: Path, database: Path) -> None:
    target = tmp_path / "backup.dabyl"
    result = backups.backup(database, target, passphrase=PASSPHRASE, params=FAST)
    assert result.encrypted
    data = target.read_bytes()
    assert data.startswith(backups.MAGIC)
    assert payload(2).encode() not in data

    restored = tmp_path / "elsewhere" / "dabyl.sqlite3"
    done = backups.restore(target, restored, passphrase=lambda: PASSPHRASE)
    assert done.schema_version == NEWEST
    assert done.previous is None
    assert rows(restored) == rows(database)
    # Nothing decrypted is left behind, next to the backup or the database.
    assert sorted(p.name for p in restored.parent.iterdir()) == ["dabyl.sqlite3"]
    assert not list(database.parent.glob(".*"))


def test_wrong_passphrase_is_one_line_and_changes_nothing(
    cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = passphrase_file(tmp_path, PASSPHRASE)
    bad = passphrase_file(tmp_path, "the steppe forgets", "wrong")
    assert main(["backup", "b.dabyl", "--passphrase-file", good]) == 0
    cli.unlink()
    capsys.readouterr()

    assert main(["restore", "b.dabyl", "--passphrase-file", bad]) == 1
    err = capsys.readouterr().err
    assert err == "dabyl: restore: wrong passphrase (or the backup's header is damaged)\n"
    assert not cli.exists()

    assert main(["restore", "b.dabyl", "--passphrase-file", good]) == 0
    assert rows(cli) == [(n, payload(n)) for n in (1, 2, 3)]


@pytest.mark.parametrize(
    "damage",
    ["flip a byte", "cut the last byte", "drop the last chunk", "append a chunk", "cut the header"],
)
def test_damaged_encrypted_backup_is_refused(
    tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    monkeypatch.setattr(backups, "CHUNK_SIZE", 4096)  # many chunks from a small database
    target = tmp_path / "backup.dabyl"
    backups.backup(database, target, passphrase=PASSPHRASE, params=FAST)
    data = bytearray(target.read_bytes())
    block = 4096 + backups.TAG_SIZE
    chunks = (len(data) - backups.HEADER_SIZE + block - 1) // block
    assert chunks > 3
    if damage == "flip a byte":
        data[len(data) // 2] ^= 0x01
    elif damage == "cut the last byte":
        data = data[:-1]
    elif damage == "drop the last chunk":
        data = data[: backups.HEADER_SIZE + (chunks - 1) * block]
    elif damage == "append a chunk":
        data += data[backups.HEADER_SIZE : backups.HEADER_SIZE + block]
    else:
        data = data[:30]
    target.write_bytes(bytes(data))

    restored = tmp_path / "restored.sqlite3"
    with pytest.raises(BackupError, match=r"damaged|not an encrypted"):
        backups.restore(target, restored, passphrase=lambda: PASSPHRASE)
    assert not restored.exists()
    assert list(tmp_path.glob(".restored*")) == []


def test_truncated_plain_backup_is_refused(
    cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "plain.sqlite3"]) == 0
    data = (tmp_path / "plain.sqlite3").read_bytes()
    (tmp_path / "plain.sqlite3").write_bytes(data[: len(data) // 2])
    cli.unlink()
    capsys.readouterr()

    assert main(["restore", "plain.sqlite3"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dabyl: restore: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not cli.exists()


def test_a_file_that_is_no_backup_is_refused(cli: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database", encoding="utf-8")
    cli.unlink()
    assert main(["restore", "notes.txt"]) == 1
    assert not cli.exists()


def test_restore_refuses_a_newer_schema(tmp_path: Path, database: Path) -> None:
    target = tmp_path / "future.sqlite3"
    backups.backup(database, target)
    with contextlib.closing(sqlite3.connect(target)) as db:
        db.execute(f"PRAGMA user_version = {NEWEST + 1}")
    restored = tmp_path / "restored.sqlite3"
    with pytest.raises(BackupError, match=f"schema version {NEWEST + 1}, newer than"):
        backups.restore(target, restored, passphrase=lambda: PASSPHRASE)
    assert not restored.exists()


def test_restore_replaces_only_with_force_and_keeps_the_old_database(
    cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "monday.sqlite3"]) == 0
    asyncio.run(append_rows(cli, 4, 5))  # written after the backup

    assert main(["restore", "monday.sqlite3"]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert len(rows(cli)) == 5

    assert main(["restore", "monday.sqlite3", "--force"]) == 0
    kept = cli.with_name("dabyl.sqlite3.before-restore")
    assert f"the previous one is {kept}" in capsys.readouterr().out
    assert [n for n, _ in rows(cli)] == [1, 2, 3]
    assert [n for n, _ in rows(kept)] == [1, 2, 3, 4, 5]
    assert not Path(f"{cli}-wal").exists()  # no stale WAL to be replayed onto the restored file


async def append_rows(path: Path, first: int, last: int) -> None:
    db = await Database.open(path)
    await write_rows(db, first, last)
    await db.close()


async def test_restore_refuses_while_the_bot_has_the_database_open(
    tmp_path: Path, database: Path
) -> None:
    target = tmp_path / "backup.sqlite3"
    backups.backup(database, target)
    db = await Database.open(database)
    try:
        await write_rows(db, 4, 4)
        with pytest.raises(BackupError, match="in use: stop the bot"):
            await asyncio.to_thread(
                backups.restore, target, database, passphrase=lambda: "", force=True
            )
        assert [row[0] for row in await db.fetch_all("SELECT n FROM load")] == [1, 2, 3, 4]
    finally:
        await db.close()


def test_backup_exit_codes(cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "b.sqlite3"]) == 0
    assert "dabyl: backup written to b.sqlite3" in capsys.readouterr().out
    assert main(["backup", "b.sqlite3"]) == 1
    assert (
        capsys.readouterr().err == "dabyl: backup: b.sqlite3 exists; use --force to overwrite it\n"
    )
    assert main(["backup", "b.sqlite3", "--force"]) == 0

    short = passphrase_file(tmp_path, "short")
    assert main(["backup", "c.dabyl", "--passphrase-file", short]) == 2
    assert "too short" in capsys.readouterr().err
    assert main(["backup", "c.dabyl", "--passphrase-file", str(tmp_path / "missing")]) == 2
    assert not (tmp_path / "c.dabyl").exists()

    cli.unlink()
    assert main(["backup", "d.sqlite3"]) == 1
    assert "no database at" in capsys.readouterr().err

    with pytest.raises(SystemExit) as usage:
        main(["backup"])
    assert usage.value.code == 2


def test_interactive_passphrases_must_match(
    cli: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSPHRASE, PASSPHRASE + "."])
    monkeypatch.setattr(backups.getpass, "getpass", lambda prompt: next(answers))
    assert main(["backup", "b.dabyl", "--encrypt"]) == 2
    assert capsys.readouterr().err == "dabyl: backup: the passphrases do not match\n"
    assert not (tmp_path / "b.dabyl").exists()


def test_backup_and_restore_from_the_command_line(tmp_path: Path, database: Path) -> None:
    """``python -m bot backup`` in a clean process, then a restore into another DATABASE_PATH."""
    secret = passphrase_file(tmp_path, PASSPHRASE)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "BOT_TOKEN": TOKEN}

    def dabyl(*args: str, database_path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp_path,
            env={**env, "DATABASE_PATH": str(database_path)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    made = dabyl("backup", "cron.dabyl", "--passphrase-file", secret, database_path=database)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("dabyl: encrypted backup written to cron.dabyl")

    other = tmp_path / "new-server" / "dabyl.sqlite3"
    put = dabyl("restore", "cron.dabyl", "--passphrase-file", secret, database_path=other)
    assert put.returncode == 0, put.stderr
    assert rows(other) == rows(database)
