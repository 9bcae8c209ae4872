"""Sentences and release dates: the arithmetic lives in bot/terms.py, the effects here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

import aiosqlite

from bot.audience import Audience
from bot.clock import Clock
from bot.court_text import release_date_announcement, sentence_announcement
from bot.i18n import translator
from bot.people import MAX_NAME_LENGTH, Status, clean_name, match_key
from bot.reminders import ReminderService
from bot.settings import Settings
from bot.terms import Term, release_date
from storage.audit import AuditRepository
from storage.database import Database
from storage.outbox import NewAlert, OutboxRepository
from storage.people import PeopleRepository, Person
from storage.sentences import NewSentence, SentenceRepository
from storage.users import User, UserRepository

RELEASE_TIME = time(9, 0)  # a release date without a time means 09:00 local


@dataclass(frozen=True, slots=True)
class Sentenced:
    person: Person
    start: date
    release: date


class SentenceService:
    """Records sentences and release dates, announces them and plans the release reminders."""

    def __init__(
        self,
        db: Database,
        sentences: SentenceRepository,
        people: PeopleRepository,
        users: UserRepository,
        outbox: OutboxRepository,
        reminders: ReminderService,
        settings: Settings,
        clock: Clock,
        *,
        wake_sender: Callable[[], None],
        audit: AuditRepository | None = None,
    ) -> None:
        self._db = db
        self._sentences = sentences
        self._people = people
        self._users = users
        self._outbox = outbox
        self._reminders = reminders
        self._settings = settings
        self._clock = clock
        self._wake = wake_sender
        self._audit = audit

    def local_today(self) -> date:
        return self._clock.now().astimezone(self._settings.timezone).date()

    def release_moment(self, day: date) -> datetime:
        return datetime.combine(day, RELEASE_TIME, tzinfo=self._settings.timezone)

    async def person(self, name: str) -> Person | None:
        found = await self._people.find_by_key(match_key(name))
        return found[0] if found else None

    def default_start(self, person: Person | None) -> date:
        """The day the person's current detention began, or today."""
        if person is not None and person.in_custody and person.status_since is not None:
            return person.status_since.astimezone(self._settings.timezone).date()
        return self.local_today()

    async def sentence(
        self, actor: User, name: str, term: Term, start: date | None, credit_days: int
    ) -> Sentenced:
        """Record a sentence: status, expected release, reminders, announcement."""
        now = self._clock.now()
        person = await self.person(name)
        start = start or self.default_start(person)
        release = release_date(start, term, credit_days)  # raises TermError on a bad credit
        status = Status.ARRESTED if term.in_days_only else Status.IMPRISONED
        async with self._db.transaction() as conn:
            if person is None:
                person_id = await self._people.create_in(
                    conn, name=clean_name(name)[:MAX_NAME_LENGTH], key=match_key(name), now=now
                )
                since = now
            else:
                person_id = person.id
                since = person.status_since if person.in_custody and person.status_since else now
            await self._sentences.insert_in(
                conn,
                NewSentence(
                    person_id=person_id,
                    years=term.years,
                    months=term.months,
                    days=term.days,
                    start_date=start,
                    credit_days=credit_days,
                    release_date=release,
                    created_by=actor.telegram_id,
                ),
                now,
            )
            await self._people.set_status_in(conn, person_id, status=status, since=since)
            release_at = self.release_moment(release)
            await self._people.set_release_in(conn, person_id, release_at)
            await self._reminders.replan_release_in(conn, person_id, release_at)
            updated = await self._people.get(person_id)
            assert updated is not None
            _ = translator(self._settings.default_language)
            text = sentence_announcement(_, updated, term.describe(), release, credit_days)
            await self._announce_in(conn, updated, text)
        await self._after_change()
        await self._record(actor, "sentence", updated.id, release)
        return Sentenced(updated, start, release)

    async def set_release_date(self, actor: User, name: str, release: date) -> Person | None:
        """Set or correct the expected release of someone in custody; None if unknown."""
        person = await self.person(name)
        if person is None:
            return None
        release_at = self.release_moment(release)
        async with self._db.transaction() as conn:
            await self._people.set_release_in(conn, person.id, release_at)
            await self._reminders.replan_release_in(conn, person.id, release_at)
            _ = translator(self._settings.default_language)
            await self._announce_in(conn, person, release_date_announcement(_, person, release))
        await self._after_change()
        await self._record(actor, "release_date", person.id, release)
        return await self._people.get(person.id)

    async def _announce_in(self, conn: aiosqlite.Connection, person: Person, text: str) -> None:
        chat_ids = await Audience(self._users, self._settings).about(person.id)
        alert = NewAlert(kind="hearing", text=text, priority=1)
        await self._outbox.enqueue_in(conn, alert, chat_ids, self._clock.now())

    async def _record(self, actor: User, action: str, person_id: int, release: date) -> None:
        if self._audit is not None:
            await self._audit.record(
                at=self._clock.now(),
                actor=actor.pseudonym,
                action=action,
                target=f"person:{person_id}",
                detail=f"release {release.isoformat()}",
            )

    async def _after_change(self) -> None:
        self._wake()
        await self._reminders.changed()
