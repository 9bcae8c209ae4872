"""People who use the bot: their role, language and subscription."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.roles import Role
from storage.database import Database, from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class User:
    """A Telegram user known to the bot."""

    telegram_id: int
    username: str | None
    first_name: str
    role: Role
    language: str
    subscribed: bool
    pseudonym: str
    created_at: datetime
    last_seen_at: datetime
    alert_mode: str = "all"  # "all", or "followed": only alerts about people they follow
    digest: bool = False  # receives the public daily digest
    burned_at: datetime | None = None  # /burn: phone believed seized; the bot ignores them

    @property
    def burned(self) -> bool:
        return self.burned_at is not None

    @property
    def display(self) -> str:
        """How coordinators see this person in lists: first name and @username."""
        return f"{self.first_name} (@{self.username})" if self.username else self.first_name


def _user(row: aiosqlite.Row) -> User:
    return User(
        telegram_id=row["telegram_id"],
        username=row["username"],
        first_name=row["first_name"],
        role=Role[row["role"].upper()],
        language=row["language"],
        subscribed=bool(row["subscribed"]),
        pseudonym=row["pseudonym"],
        created_at=from_db_time(row["created_at"]),
        last_seen_at=from_db_time(row["last_seen_at"]),
        alert_mode=row["alert_mode"],
        digest=bool(row["digest"]),
        burned_at=from_db_time(row["burned_at"]) if row["burned_at"] else None,
    )


def new_pseudonym() -> str:
    """A random audit-log name such as ``p-3f9a2c1b7e``; it reveals nothing about the person."""
    return f"p-{secrets.token_hex(5)}"


class UserRepository:
    """Reads and writes the ``users`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, telegram_id: int) -> User | None:
        row = await self._db.fetch_one("SELECT * FROM users WHERE telegram_id = ?", (telegram_id,))
        return _user(row) if row else None

    async def get_by_username(self, username: str) -> User | None:
        row = await self._db.fetch_one(
            "SELECT * FROM users WHERE lower(username) = lower(?)", (username.lstrip("@"),)
        )
        return _user(row) if row else None

    async def create(
        self,
        telegram_id: int,
        *,
        username: str | None,
        first_name: str,
        role: Role,
        language: str,
        now: datetime,
    ) -> User:
        """Register a new person (subscribed to alerts) and return them."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (telegram_id, username, first_name, role, language, subscribed,"
                " pseudonym, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
                (
                    telegram_id,
                    username,
                    first_name,
                    role.label,
                    language,
                    new_pseudonym(),
                    to_db_time(now),
                    to_db_time(now),
                ),
            )
        user = await self.get(telegram_id)
        assert user is not None
        return user

    async def touch(
        self, telegram_id: int, *, username: str | None, first_name: str, now: datetime
    ) -> None:
        """Record that the person was seen, keeping their username and first name current."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET username = ?, first_name = ?, last_seen_at = ?"
                " WHERE telegram_id = ?",
                (username, first_name, to_db_time(now), telegram_id),
            )

    async def set_role(self, telegram_id: int, role: Role) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET role = ? WHERE telegram_id = ?", (role.label, telegram_id)
            )

    async def set_subscribed(self, telegram_id: int, subscribed: bool) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET subscribed = ? WHERE telegram_id = ?",
                (int(subscribed), telegram_id),
            )

    async def with_role_at_least(self, role: Role) -> list[User]:
        """Everyone whose role is ``role`` or higher, highest role first, then by name."""
        labels = [r.label for r in Role if r >= role]
        marks = ", ".join("?" for _ in labels)
        rows = await self._db.fetch_all(
            f"SELECT * FROM users WHERE role IN ({marks})",
            tuple(labels),
        )
        users = [_user(row) for row in rows]
        return sorted(users, key=lambda u: (-u.role, u.first_name.casefold(), u.telegram_id))

    async def admins_not_in(self, admin_ids: frozenset[int]) -> list[User]:
        """Stored admins whose id is no longer in ``ADMIN_IDS``."""
        return [
            u for u in await self.with_role_at_least(Role.ADMIN) if u.telegram_id not in admin_ids
        ]

    async def burn_in(self, conn: aiosqlite.Connection, telegram_id: int, now: datetime) -> bool:
        """Burn ``telegram_id`` inside the caller's transaction: no role, no alerts, no digest.

        The role they had is kept in ``burned_role`` (see :meth:`lift_burn`).

        Returns:
            False (and changes nothing) if they are unknown or already burned.
        """
        cursor = await conn.execute(
            "UPDATE users SET burned_role = role, role = 'none', subscribed = 0, digest = 0,"
            " burned_at = ? WHERE telegram_id = ? AND burned_at IS NULL",
            (to_db_time(now), telegram_id),
        )
        return cursor.rowcount == 1

    async def burned_admins_not_in(self, admin_ids: frozenset[int]) -> list[User]:
        """People burned as admins whose id is no longer in ``ADMIN_IDS``."""
        rows = await self._db.fetch_all(
            "SELECT * FROM users WHERE burned_at IS NOT NULL AND burned_role = 'admin'"
        )
        return [_user(row) for row in rows if row["telegram_id"] not in admin_ids]

    async def lift_burn(self, telegram_id: int) -> None:
        """Forget that ``telegram_id`` was burned; they stay without a role and unsubscribed."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET burned_at = NULL, burned_role = NULL WHERE telegram_id = ?",
                (telegram_id,),
            )

    async def set_alert_mode(self, telegram_id: int, mode: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET alert_mode = ? WHERE telegram_id = ?", (mode, telegram_id)
            )

    async def alert_recipients(
        self, person_id: int | None, min_role: Role = Role.SUBSCRIBER
    ) -> list[int]:
        """Chat ids of subscribed people who get an alert about ``person_id``.

        None means an alert about nobody in particular (a broadcast), which goes to every
        subscriber; otherwise people who chose "followed" only get it if they follow the person.
        ``min_role`` narrows it to people who may see what the alert says (health details).
        """
        labels = [role.label for role in Role if role >= min_role]
        marks = ", ".join("?" for _ in labels)
        rows = await self._db.fetch_all(
            "SELECT telegram_id FROM users WHERE subscribed = 1 AND burned_at IS NULL"
            f" AND role IN ({marks})"  # only "?" marks are interpolated
            " AND (alert_mode = 'all' OR ? IS NULL OR telegram_id IN"
            " (SELECT user_id FROM follows WHERE person_id = ?)) ORDER BY telegram_id",
            (*labels, person_id, person_id),
        )
        return [row["telegram_id"] for row in rows]

    async def set_digest(self, telegram_id: int, on: bool) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET digest = ? WHERE telegram_id = ?", (int(on), telegram_id)
            )

    async def set_language(self, telegram_id: int, language: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET language = ? WHERE telegram_id = ?", (language, telegram_id)
            )

    async def by_language(self, telegram_ids: Sequence[int], default: str) -> dict[str, list[int]]:
        """The chats grouped by their reader's language (``default`` for chats with no user)."""
        languages: dict[int, str] = {}
        for start in range(0, len(telegram_ids), 500):
            batch = telegram_ids[start : start + 500]
            marks = ", ".join("?" for _ in batch)
            rows = await self._db.fetch_all(
                f"SELECT telegram_id, language FROM users WHERE telegram_id IN ({marks})",
                tuple(batch),
            )
            languages.update((row["telegram_id"], row["language"]) for row in rows)
        groups: dict[str, list[int]] = {}
        for telegram_id in telegram_ids:
            groups.setdefault(languages.get(telegram_id, default), []).append(telegram_id)
        return groups

    async def digest_readers(self) -> list[int]:
        """Subscribed people who chose to receive the daily digest."""
        rows = await self._db.fetch_all(
            "SELECT telegram_id FROM users WHERE digest = 1 AND subscribed = 1"
            " AND role != 'none' ORDER BY telegram_id"
        )
        return [row["telegram_id"] for row in rows]
