"""Hearings: set, move, cancel, attend; each change is announced and its reminders re-planned."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.court import Court
from bot.court_text import hearing_announcement
from storage.hearings import Hearing, HearingRepository, HearingState
from storage.people import Person
from storage.users import User

MAX_PLACE_LENGTH = 300
MAX_NOTES_LENGTH = 1000
OVER_AFTER = timedelta(hours=6)  # a hearing this long past its start is over


class HearingStatus(enum.Enum):
    DONE = "done"
    NOT_FOUND = "not_found"
    NOT_SCHEDULED = "not_scheduled"  # cancelled or over
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class HearingResult:
    status: HearingStatus
    hearing: Hearing | None = None


def is_closed(notes: str) -> bool:
    """``closed`` in the notes (any case, or Russian/Kazakh words) marks a closed-door hearing."""
    words = notes.casefold().replace(",", " ").split()
    return any(word in ("closed", "закрытое", "закрытый", "жабық") for word in words)


class HearingService:
    """Hearings and their announcements, in one transaction with their reminders."""

    def __init__(self, court: Court, hearings: HearingRepository) -> None:
        self._court = court
        self._hearings = hearings
        self._db, self._clock, self._reminders = court.db, court.clock, court.reminders

    async def get(self, hearing_id: int) -> Hearing | None:
        return await self._hearings.get(hearing_id)

    async def person(self, name: str) -> Person | None:
        return await self._court.person(name)

    async def create(
        self, actor: User, name: str, starts_at: datetime, place: str, notes: str
    ) -> Hearing:
        """Record a hearing (creating the person if new), announce it, plan its reminders."""
        now = self._clock.now()
        person = await self.person(name)
        async with self._db.transaction() as conn:
            person_id = await self._court.person_id_in(conn, person, name, now)
            hearing_id = await self._hearings.insert_in(
                conn,
                person_id=person_id,
                starts_at=starts_at,
                place=place.strip()[:MAX_PLACE_LENGTH],
                notes=notes.strip()[:MAX_NOTES_LENGTH],
                closed=is_closed(notes),
                created_by=actor.telegram_id,
                now=now,
            )
            await self._reminders.replan_hearing_in(conn, hearing_id, starts_at)
            await self._announce_in(conn, hearing_id, "new")
        await self._court.after_change()
        await self._record(actor, "hearing", hearing_id)
        hearing = await self._hearings.get(hearing_id)
        assert hearing is not None
        return hearing

    async def move(self, actor: User, hearing_id: int, starts_at: datetime) -> HearingResult:
        hearing = await self._hearings.get(hearing_id)
        if hearing is None:
            return HearingResult(HearingStatus.NOT_FOUND)
        if hearing.starts_at == starts_at:
            return HearingResult(HearingStatus.UNCHANGED, hearing)
        async with self._db.transaction() as conn:
            if not await self._hearings.move_in(conn, hearing_id, starts_at, self._clock.now()):
                return HearingResult(HearingStatus.NOT_SCHEDULED, hearing)
            await self._reminders.replan_hearing_in(conn, hearing_id, starts_at)
            await self._announce_in(conn, hearing_id, "moved")
        await self._court.after_change()
        await self._record(actor, "move_hearing", hearing_id)
        return HearingResult(HearingStatus.DONE, await self._hearings.get(hearing_id))

    async def cancel(self, actor: User, hearing_id: int) -> HearingResult:
        hearing = await self._hearings.get(hearing_id)
        if hearing is None:
            return HearingResult(HearingStatus.NOT_FOUND)
        async with self._db.transaction() as conn:
            if not await self._hearings.cancel_in(conn, hearing_id, self._clock.now()):
                return HearingResult(HearingStatus.NOT_SCHEDULED, hearing)
            await self._reminders.replan_hearing_in(conn, hearing_id, None)
            await self._announce_in(conn, hearing_id, "cancelled")
        await self._court.after_change()
        await self._record(actor, "cancel_hearing", hearing_id)
        return HearingResult(HearingStatus.DONE, await self._hearings.get(hearing_id))

    async def upcoming(self, name: str = "") -> tuple[list[Hearing], Person | None]:
        """Scheduled hearings ahead, of one person if ``name`` is given."""
        person = await self.person(name) if name else None
        if name and person is None:
            return [], None
        hearings = await self._hearings.upcoming(
            self._clock.now(), person_id=person.id if person else None
        )
        return hearings, person

    async def attend(self, user: User, hearing_id: int, attending: bool) -> HearingResult:
        """``/attend`` and ``/unattend``: only for scheduled hearings."""
        hearing = await self._hearings.get(hearing_id)
        if hearing is None:
            return HearingResult(HearingStatus.NOT_FOUND)
        if hearing.state != HearingState.SCHEDULED or hearing.starts_at <= self._clock.now():
            return HearingResult(HearingStatus.NOT_SCHEDULED, hearing)
        if attending:
            changed = await self._hearings.attend(hearing_id, user.telegram_id)
        else:
            changed = await self._hearings.unattend(hearing_id, user.telegram_id)
        status = HearingStatus.DONE if changed else HearingStatus.UNCHANGED
        return HearingResult(status, await self._hearings.get(hearing_id))

    async def close_past(self) -> int:
        """Mark hearings long past as over and forget who attended (the count stays)."""
        return await self._hearings.close_past(self._clock.now() - OVER_AFTER)

    async def _announce_in(self, conn: aiosqlite.Connection, hearing_id: int, change: str) -> None:
        hearing = await self._hearings.get(hearing_id)
        assert hearing is not None
        zone = self._court.settings.timezone
        await self._court.announce_in(
            conn, hearing.person_id, lambda _: hearing_announcement(_, hearing, zone, change)
        )

    async def _record(self, actor: User, action: str, hearing_id: int) -> None:
        await self._court.record(actor, action, f"hearing:{hearing_id}")
