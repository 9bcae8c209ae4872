"""Backups of the database: ``dabyl backup <path>`` and ``dabyl restore <path>``.

A backup is taken with SQLite's online backup API, so it is a consistent snapshot even while the
bot runs and writes. It is either a plain SQLite file or, with a passphrase, an encrypted file:

    header (56 bytes)
        magic     8  b"DABYLBAK"
        version   1  1
        kdf       1  1 = scrypt
        log2(n)   1  scrypt cost; r 1 byte, p 1 byte
        salt     16  random, so every backup has its own key
        nonce     7  random prefix of every chunk's nonce
        chunk     4  plaintext bytes per chunk, big-endian
        check    16  AES-GCM tag of nothing: tells a wrong passphrase from a damaged file
    chunks
        AES-256-GCM(chunk), 16-byte tag each, nonce = prefix + counter (4) + last (1),
        the whole header as associated data.

The file is encrypted in chunks (1 MiB), so a backup of any size needs little memory. The
counter stops chunks from being reordered, the last-chunk flag stops truncation, and the
associated data authenticates the header, so any change is refused. The plaintext snapshot that
is encrypted is written next to the database (where the same data already lies), never next to
the backup.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import shutil
import sqlite3
import struct
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from bot.settings import Settings
from storage.database import database_files, migration_files

MAGIC = b"DABYLBAK"
FORMAT_VERSION = 1
KDF_SCRYPT = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
_HEAD = struct.Struct(">8sBBBBB16s7sI")  # everything before the key check
HEADER_SIZE = _HEAD.size + TAG_SIZE
MIN_PASSPHRASE = 8

# Exit codes: 0 done; 1 refused or failed (nothing was changed); 2 called wrongly (arguments,
# settings, passphrase input).
REFUSED = 1
USAGE = 2


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the operator."""

    def __init__(self, message: str, exit_code: int = REFUSED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost. The default, n=2^17 and r=8, takes 128 MiB and about half a second."""

    log2_n: int = 17
    r: int = 8
    p: int = 1

    def check(self) -> None:
        # Bounds for what a restore accepts, so a forged header cannot ask for gigabytes.
        if not (10 <= self.log2_n <= 20 and 1 <= self.r <= 16 and 1 <= self.p <= 4):
            raise BackupError("not a backup this version can read (unknown key parameters)")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    encrypted: bool


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    schema_version: int
    previous: Path | None  # where the replaced database was kept


# --- Taking a snapshot ---------------------------------------------------------------------


def snapshot(database: Path, destination: Path) -> None:
    """Copy ``database`` to the new file ``destination`` with SQLite's online backup API.

    The copy is a consistent snapshot even while the bot writes (WAL: the backup reads while
    writers go on). The result is a single self-contained file (rollback journal, not WAL).

    Raises:
        BackupError: the database does not exist or is not SQLite.
    """
    if not database.is_file():
        raise BackupError(f"no database at {database} (DATABASE_PATH)")
    try:
        source = sqlite3.connect(database.resolve().as_uri() + "?mode=rw", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"cannot open {database}: {error}") from None
    try:
        with contextlib.closing(sqlite3.connect(destination)) as target:
            # pages=-1: the whole database in one step, under one read transaction.
            source.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode = DELETE")
            _check_database(target, destination)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"cannot back up {database}: {error}") from None
    finally:
        source.close()


def _check_database(connection: sqlite3.Connection, path: Path) -> int:
    """Run ``PRAGMA integrity_check``; return the schema version (``PRAGMA user_version``)."""
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
    if rows != ["ok"]:
        raise BackupError(f"{path} fails the integrity check: {rows[0]}")
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def check_backup_database(path: Path) -> int:
    """Check a plain database file before it replaces the bot's.

    Returns:
        Its schema version.

    Raises:
        BackupError: not SQLite, damaged, not Dabyl's, or newer than this code.
    """
    try:
        with contextlib.closing(
            sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        ) as db:
            version = _check_database(db, path)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the backup is not a usable database ({error})") from None
    newest = migration_files()[-1][0]
    if version == 0:
        raise BackupError("the backup is not a Dabyl database (no schema version)")
    if version > newest:
        raise BackupError(
            f"the backup has schema version {version}, newer than this code knows ({newest}): "
            "restore it with the Dabyl version that made it"
        )
    return version


# --- Encryption ----------------------------------------------------------------------------


def _derive(passphrase: str, salt: bytes, params: ScryptParams) -> AESGCM:
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Scrypt(salt=salt, length=32, n=1 << params.log2_n, r=params.r, p=params.p)
    return AESGCM(kdf.derive(secret))


def _nonce(prefix: bytes, counter: int, flag: int) -> bytes:
    return prefix + struct.pack(">IB", counter, flag)


def encrypt_stream(
    source: BinaryIO, target: BinaryIO, passphrase: str, params: ScryptParams | None = None
) -> None:
    """Encrypt ``source`` into ``target`` in the format described in this module's docstring."""
    params = params or ScryptParams()
    salt, prefix = os.urandom(16), os.urandom(7)
    head = _HEAD.pack(
        MAGIC, FORMAT_VERSION, KDF_SCRYPT, params.log2_n, params.r, params.p, salt, prefix,
        CHUNK_SIZE,
    )  # fmt: skip
    aead = _derive(passphrase, salt, params)
    header = head + aead.encrypt(_nonce(prefix, 0, 2), b"", head)
    target.write(header)
    counter, chunk = 0, source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        last = not following
        target.write(aead.encrypt(_nonce(prefix, counter, int(last)), chunk, header))
        if last:
            return
        counter, chunk = counter + 1, following


def decrypt_stream(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    """Decrypt what :func:`encrypt_stream` wrote.

    Raises:
        BackupError: wrong passphrase, or the file was changed, truncated or extended.
    """
    header = source.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
        raise BackupError("not an encrypted Dabyl backup")
    _, version, kdf, log2_n, r, p, salt, prefix, chunk_size = _HEAD.unpack(header[: _HEAD.size])
    if version != FORMAT_VERSION or kdf != KDF_SCRYPT or not 1 <= chunk_size <= 1 << 26:
        raise BackupError(f"not a backup this version can read (format {version})")
    params = ScryptParams(log2_n, r, p)
    params.check()
    aead = _derive(passphrase, salt, params)
    try:
        aead.decrypt(_nonce(prefix, 0, 2), header[_HEAD.size :], header[: _HEAD.size])
    except InvalidTag:
        raise BackupError("wrong passphrase (or the backup's header is damaged)") from None
    counter, block = 0, source.read(chunk_size + TAG_SIZE)
    while True:
        following = source.read(chunk_size + TAG_SIZE)
        last = not following
        try:
            target.write(aead.decrypt(_nonce(prefix, counter, int(last)), block, header))
        except InvalidTag:
            raise BackupError(
                "the backup is damaged or truncated (authentication failed)"
            ) from None
        if last:
            return
        counter, block = counter + 1, following


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is an encrypted backup (else it should be a plain SQLite file)."""
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start.startswith(MAGIC):
        return True
    if start == SQLITE_MAGIC:
        return False
    raise BackupError(f"{path} is neither a Dabyl backup nor an SQLite database")


# --- Files ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _temporary_next_to(path: Path, purpose: str) -> Iterator[Path]:
    """A new empty file in ``path``'s folder (so a rename is atomic), removed unless renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=purpose)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        for file in database_files(temporary):
            file.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())


def _publish(temporary: Path, path: Path, *, force: bool) -> None:
    """Rename ``temporary`` to ``path`` once it is on disk; refuse to overwrite unless forced."""
    _sync(temporary)
    if path.exists() and not force:
        raise BackupError(f"{path} exists; use --force to overwrite it")
    os.replace(temporary, path)
    with contextlib.suppress(OSError):  # not every platform lets a folder be opened
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- Backup and restore --------------------------------------------------------------------


def backup(
    database: Path,
    destination: Path,
    *,
    passphrase: str | None = None,
    force: bool = False,
    params: ScryptParams | None = None,
) -> BackupResult:
    """Write a consistent copy of ``database`` to ``destination``, encrypted with a passphrase.

    Raises:
        BackupError: ``destination`` exists (without ``force``), or the database cannot be read.
    """
    if destination.exists() and not force:
        raise BackupError(f"{destination} exists; use --force to overwrite it")
    if destination.resolve() == database.resolve():
        raise BackupError("the backup cannot be the database itself")
    with _temporary_next_to(destination, ".tmp") as temporary:
        if passphrase is None:
            temporary.unlink()  # SQLite's backup wants to create the file
            snapshot(database, temporary)
        else:
            # The plaintext snapshot lies next to the database, which holds the same data.
            with _temporary_next_to(database, ".backup") as plain:
                plain.unlink()
                snapshot(database, plain)
                with plain.open("rb") as source, temporary.open("wb") as target:
                    encrypt_stream(source, target, passphrase, params)
        _publish(temporary, destination, force=force)
    return BackupResult(destination, destination.stat().st_size, passphrase is not None)


def restore(
    source: Path,
    database: Path,
    *,
    passphrase: Callable[[], str],
    force: bool = False,
) -> RestoreResult:
    """Put the backup ``source`` in place of ``database`` after checking it.

    Args:
        source: a backup written by :func:`backup`, plain or encrypted.
        database: the bot's database (DATABASE_PATH).
        passphrase: asked only if the backup is encrypted.
        force: replace an existing database, keeping it as ``<database>.before-restore``.

    Raises:
        BackupError: the backup is unreadable, damaged, encrypted with another passphrase or
            newer than this code; or the database exists (without ``force``) or is in use.
    """
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    if database.exists() and not force:
        raise BackupError(f"{database} exists; use --force to replace it (it is kept)")
    if not database.exists() and Path(f"{database}-wal").exists():
        raise BackupError(f"{database}-wal is left without its database; move it away first")
    encrypted = is_encrypted(source)
    with _temporary_next_to(database, ".restore") as temporary:
        if encrypted:
            secret = passphrase()
            with source.open("rb") as encrypted_file, temporary.open("wb") as target:
                decrypt_stream(encrypted_file, target, secret)
        else:
            shutil.copyfile(source, temporary)
        version = check_backup_database(temporary)
        previous = _set_aside(database) if database.exists() else None
        _publish(temporary, database, force=True)
    return RestoreResult(database, version, previous)


def _set_aside(database: Path) -> Path:
    """Copy the current database to ``<database>.before-restore``; refuse if the bot uses it.

    Leaving WAL mode needs the only connection to the file: if the bot runs, this fails. It also
    folds the WAL into the file, so the copy is complete and no stale WAL is left to be applied
    to the restored database. A damaged database is kept as it is, with its WAL beside it.
    """
    try:
        with contextlib.closing(sqlite3.connect(database, timeout=1)) as db:
            mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorname in ("SQLITE_BUSY", "SQLITE_LOCKED"):  # type: ignore[attr-defined]
            raise BackupError(f"{database} is in use: stop the bot before restoring") from None
        mode = "damaged"
    if mode not in ("delete", "damaged"):
        raise BackupError(f"{database} is in use: stop the bot before restoring")
    kept = Path(f"{database}.before-restore")
    with _temporary_next_to(kept, ".tmp") as temporary:
        shutil.copyfile(database, temporary)
        _publish(temporary, kept, force=True)
    for suffix in ("-wal", "-shm"):
        if Path(f"{database}{suffix}").exists():
            os.replace(f"{database}{suffix}", f"{kept}{suffix}")
    return kept


# --- Command line --------------------------------------------------------------------------


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup`` and ``restore`` to the ``dabyl`` command line."""
    backup_cmd = commands.add_parser("backup", help="write a consistent copy of the database")
    backup_cmd.add_argument("path", type=Path, help="the backup file to write")
    backup_cmd.add_argument("--force", action="store_true", help="overwrite an existing file")
    backup_cmd.add_argument(
        "--encrypt", action="store_true", help="encrypt with a passphrase (asked twice)"
    )
    backup_cmd.add_argument(
        "--passphrase-file",
        type=Path,
        help="read the passphrase from this file (implies --encrypt)",
    )
    restore_cmd = commands.add_parser("restore", help="put a backup in place of the database")
    restore_cmd.add_argument("path", type=Path, help="the backup file to restore")
    restore_cmd.add_argument(
        "--force",
        action="store_true",
        help="replace an existing database (kept as <database>.before-restore)",
    )
    restore_cmd.add_argument(
        "--passphrase-file", type=Path, help="read the passphrase of an encrypted backup from here"
    )


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``dabyl backup`` or ``dabyl restore``; print one line; return the exit code."""
    try:
        if args.command == "backup":
            passphrase = None
            if args.encrypt or args.passphrase_file:
                passphrase = _new_passphrase(args.passphrase_file)
            done = backup(
                settings.database_path, args.path, passphrase=passphrase, force=args.force
            )
            kind = "encrypted backup" if done.encrypted else "backup"
            print(f"dabyl: {kind} written to {done.path} ({_size(done.size)})")
        else:
            restored = restore(
                args.path,
                settings.database_path,
                passphrase=lambda: _passphrase(args.passphrase_file),
                force=args.force,
            )
            kept = f"; the previous one is {restored.previous}" if restored.previous else ""
            print(
                f"dabyl: restored {restored.database} (schema version {restored.schema_version})"
                f"{kept}"
            )
    except BackupError as error:
        print(f"dabyl: {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:
        print(f"dabyl: {args.command}: {error.strerror}: {error.filename}", file=sys.stderr)
        return REFUSED
    return 0


def _passphrase(file: Path | None) -> str:
    if file is None:
        return getpass.getpass("Passphrase: ")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(f"cannot read the passphrase file {file}: {error}", USAGE) from None
    passphrase = text.rstrip("\r\n")
    if not passphrase:
        raise BackupError(f"the passphrase file {file} is empty", USAGE)
    return passphrase


def _new_passphrase(file: Path | None) -> str:
    if file is not None:
        passphrase = _passphrase(file)
    else:
        passphrase = getpass.getpass("Passphrase for the backup: ")
        if getpass.getpass("Repeat it: ") != passphrase:
            raise BackupError("the passphrases do not match", USAGE)
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"the passphrase is too short: use at least {MIN_PASSPHRASE} characters "
            "(a sentence of several words is best)",
            USAGE,
        )
    return passphrase


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size} bytes"
