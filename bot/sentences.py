"""Sentences and release dates: the arithmetic lives in bot/terms.py, the effects here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.court import Court
from bot.court_text import release_date_announcement, sentence_announcement
from bot.people import Status
from bot.terms import Term, release_date
from storage.people import Person
from storage.sentences import NewSentence, SentenceRepository
from storage.users import User

RELEASE_TIME = time(9, 0)  # a release date without a time means 09:00 local


@dataclass(frozen=True, slots=True)
class Sentenced:
    person: Person
    start: date
    release: date


class SentenceService:
    """Records sentences and release dates, announces them and plans the release reminders."""

    def __init__(self, court: Court, sentences: SentenceRepository) -> None:
        self._court = court
        self._sentences = sentences
        self._db, self._people, self._clock = court.db, court.people, court.clock
        self._settings, self._reminders = court.settings, court.reminders

    def local_today(self) -> date:
        return self._clock.now().astimezone(self._settings.timezone).date()

    def release_moment(self, day: date) -> datetime:
        return datetime.combine(day, RELEASE_TIME, tzinfo=self._settings.timezone)

    async def person(self, name: str) -> Person | None:
        return await self._court.person(name)

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
            person_id = await self._court.person_id_in(conn, person, name, now)
            custody = person is not None and person.in_custody and person.status_since
            since = person.status_since if custody else now  # type: ignore[union-attr]
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
            await self._court.announce_in(
                conn,
                person_id,
                lambda _: sentence_announcement(_, updated, term, release, credit_days),
            )
        await self._court.after_change()
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
            await self._court.announce_in(
                conn, person.id, lambda _: release_date_announcement(_, person, release)
            )
        await self._court.after_change()
        await self._record(actor, "release_date", person.id, release)
        return await self._people.get(person.id)

    async def _record(self, actor: User, action: str, person_id: int, release: date) -> None:
        detail = f"release {release.isoformat()}"
        await self._court.record(actor, action, f"person:{person_id}", detail)
