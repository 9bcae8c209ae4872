"""What hearings and sentences share: the person a name means, announcements, the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.audience import Audience
from bot.clock import Clock
from bot.directory import recorded
from bot.i18n import Translator, render
from bot.people import MAX_NAME_LENGTH, clean_name, match_key
from bot.reminders import ReminderService
from bot.settings import Settings
from storage.audit import AuditRepository
from storage.database import Database
from storage.outbox import NewAlert, OutboxRepository
from storage.people import PeopleRepository, Person
from storage.users import User, UserRepository

ANNOUNCEMENT_PRIORITY = 1  # after detention alerts, before reminders


@dataclass(frozen=True, slots=True)
class Court:
    """The dependencies and steps common to court events (hearings, sentences, release dates)."""

    db: Database
    people: PeopleRepository
    users: UserRepository
    outbox: OutboxRepository
    reminders: ReminderService
    settings: Settings
    clock: Clock
    wake_sender: Callable[[], None]
    audit: AuditRepository | None = None

    async def person(self, name: str) -> Person | None:
        """The person recorded under exactly this name (court events never guess)."""
        return await recorded(self.people, name)

    async def person_id_in(
        self, conn: aiosqlite.Connection, person: Person | None, name: str, now: datetime
    ) -> int:
        """Within the caller's transaction: the person's id, creating them if new."""
        if person is not None:
            return person.id
        return await self.people.create_in(
            conn, name=clean_name(name)[:MAX_NAME_LENGTH], key=match_key(name), now=now
        )

    async def announce_in(
        self, conn: aiosqlite.Connection, person_id: int, write: Callable[[Translator], str]
    ) -> None:
        """Within the caller's transaction: an announcement to whoever follows the person,
        written once in each language."""
        chat_ids = await Audience(self.users, self.settings).about(person_id)
        alert = NewAlert(kind="hearing", text=render(write), priority=ANNOUNCEMENT_PRIORITY)
        await self.outbox.enqueue_in(conn, alert, chat_ids, self.clock.now())

    async def after_change(self) -> None:
        """Wake the sender for the announcement and re-read the reminders into the scheduler."""
        self.wake_sender()
        await self.reminders.changed()

    async def record(self, actor: User, action: str, target: str, detail: str = "") -> None:
        if self.audit is not None:
            await self.audit.record(
                at=self.clock.now(),
                actor=actor.pseudonym,
                action=action,
                target=target,
                detail=detail,
            )
