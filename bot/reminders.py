"""Reminders: planned as rows when an event is set, sent through the outbox when due.

The database is the truth. The scheduler (see :mod:`bot.scheduler`) only holds a wake-up call
per pending row; each wake-up sends whatever is due by the injected clock, so a reminder is
claimed in the same transaction that enqueues it and can never go out twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol

import aiosqlite

from bot.audience import Audience
from bot.clock import Clock
from bot.court_text import (
    attendee_reminder,
    hearing_reminder,
    missed_reminders,
    missed_what,
    release_reminder,
)
from bot.i18n import Translator, render
from bot.roles import Role
from bot.settings import Settings
from storage.database import Database
from storage.hearings import HearingRepository, HearingState
from storage.outbox import NewAlert, OutboxRepository
from storage.people import PeopleRepository, Person
from storage.reminders import NewReminder, Reminder, ReminderKind, ReminderRepository, ReminderState
from storage.users import UserRepository

logger = logging.getLogger(__name__)

ATTENDEE_LEAD = timedelta(hours=2)
LATE_AFTER = timedelta(minutes=2)  # a reminder sent later than this says so
REMINDER_PRIORITY = 2  # after urgent alerts in the outbox
RELEASE_CHECK_TIME = time(9, 0)  # "Not yet": ask again the next morning
HEARING_KINDS = (ReminderKind.HEARING, ReminderKind.ATTENDEE)
RELEASE_KINDS = (ReminderKind.RELEASE, ReminderKind.RELEASE_CHECK)


def plan(
    kind: ReminderKind,
    event_at: datetime,
    leads: Sequence[timedelta],
    now: datetime,
    *,
    hearing_id: int | None = None,
    person_id: int | None = None,
) -> list[NewReminder]:
    """Reminders ``leads`` before ``event_at`` that are still ahead of ``now``."""
    return [
        NewReminder(kind, event_at, lead, hearing_id=hearing_id, person_id=person_id)
        for lead in leads
        if event_at - lead > now
    ]


def next_morning(moment: datetime, settings: Settings) -> datetime:
    """09:00 local on the day after ``moment``'s local date."""
    local = moment.astimezone(settings.timezone).date() + timedelta(days=1)
    return datetime.combine(local, RELEASE_CHECK_TIME, tzinfo=settings.timezone)


def overdue_superseded(due: Sequence[Reminder]) -> set[int]:
    """Ids of due reminders for which a later reminder of the same event is also due."""
    latest: dict[tuple[ReminderKind, int | None, int | None], Reminder] = {}
    for reminder in due:
        key = (reminder.kind, reminder.hearing_id, reminder.person_id)
        if key not in latest or reminder.due_at > latest[key].due_at:
            latest[key] = reminder
    keep = {reminder.id for reminder in latest.values()}
    return {reminder.id for reminder in due if reminder.id not in keep}


class ReleaseAsker(Protocol):
    """Asks coordinators "Was <name> released?" with buttons (bot/notifier.py)."""

    async def ask_release(self, person: Person, to: list[int]) -> None: ...


@dataclass(frozen=True, slots=True)
class Firing:
    """What one look at the due reminders did."""

    sent: list[int]
    late: list[int]
    missed: list[Reminder]


class ReminderService:
    """Plans, re-plans and sends reminders."""

    def __init__(
        self,
        db: Database,
        reminders: ReminderRepository,
        hearings: HearingRepository,
        people: PeopleRepository,
        users: UserRepository,
        outbox: OutboxRepository,
        settings: Settings,
        clock: Clock,
        *,
        wake_sender: Callable[[], None],
        asker: ReleaseAsker,
    ) -> None:
        self._db = db
        self._reminders = reminders
        self._hearings = hearings
        self._people = people
        self._users = users
        self._outbox = outbox
        self._settings = settings
        self._clock = clock
        self._wake = wake_sender
        self._asker = asker
        self._changed: Callable[[], Awaitable[None]] | None = None

    def on_change(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Called after reminders were planned or cancelled (the scheduler re-reads them)."""
        self._changed = callback

    async def changed(self) -> None:
        if self._changed is not None:
            await self._changed()

    async def pending(self, limit: int | None = None) -> list[Reminder]:
        """Pending reminders, soonest first; at most ``limit`` (None: all)."""
        return await self._reminders.pending(limit)

    async def replan_hearing_in(
        self, conn: aiosqlite.Connection, hearing_id: int, starts_at: datetime | None
    ) -> None:
        """In the caller's transaction: the hearing's reminders (none if ``starts_at`` is None)."""
        now = self._clock.now()
        new: list[NewReminder] = []
        if starts_at is not None:
            leads = self._settings.hearing_reminders
            new = plan(ReminderKind.HEARING, starts_at, leads, now, hearing_id=hearing_id)
            new += plan(
                ReminderKind.ATTENDEE, starts_at, [ATTENDEE_LEAD], now, hearing_id=hearing_id
            )
        await self._reminders.replace_in(conn, kinds=HEARING_KINDS, hearing_id=hearing_id, new=new)

    async def replan_release_in(
        self, conn: aiosqlite.Connection, person_id: int, release_at: datetime | None
    ) -> None:
        """Within the caller's transaction: reminders and the release-day question."""
        now = self._clock.now()
        new: list[NewReminder] = []
        if release_at is not None:
            leads = self._settings.release_reminders
            new = plan(ReminderKind.RELEASE, release_at, leads, now, person_id=person_id)
            # The question is asked even for a release date already past: nothing changes by
            # itself, so someone must say whether the release happened.
            check_at = max(release_at, now)
            new.append(
                NewReminder(ReminderKind.RELEASE_CHECK, check_at, timedelta(0), person_id=person_id)
            )
        await self._reminders.replace_in(conn, kinds=RELEASE_KINDS, person_id=person_id, new=new)

    async def ask_again_tomorrow(self, person: Person) -> datetime:
        """ "Not yet": ask coordinators again the next morning."""
        when = next_morning(self._clock.now(), self._settings)
        check = NewReminder(ReminderKind.RELEASE_CHECK, when, timedelta(0), person_id=person.id)
        async with self._db.transaction() as conn:
            await self._reminders.replace_in(
                conn, kinds=(ReminderKind.RELEASE_CHECK,), person_id=person.id, new=[check]
            )
        await self.changed()
        return when

    async def fire_due(self) -> Firing:
        """Send every reminder due by the clock; those whose event already passed are missed."""
        now = self._clock.now()
        sent: list[int] = []
        late: list[int] = []
        missed: list[Reminder] = []
        due = await self._reminders.due(now)
        superseded = overdue_superseded(due)
        for reminder in due:
            if reminder.id in superseded:
                # After downtime, "in 1 day" and "in 1 hour" may both be due: send the latest.
                await self._claim(reminder, ReminderState.CANCELLED)
                continue
            # The release-day question stays useful after the release time; others do not.
            if reminder.event_at <= now and reminder.kind != ReminderKind.RELEASE_CHECK:
                if await self._claim(reminder, ReminderState.MISSED):
                    missed.append(reminder)
                continue
            is_late = now - reminder.due_at > LATE_AFTER
            if await self._send(reminder, late=is_late):
                sent.append(reminder.id)
                if is_late:
                    late.append(reminder.id)
        if missed:
            await self._tell_coordinators_missed(missed)
        if sent or missed:
            self._wake()
            logger.info(
                "Reminders: %d sent (%d late), %d missed", len(sent), len(late), len(missed)
            )
        return Firing(sent, late, missed)

    # -- internals -------------------------------------------------------------------------

    def _lead(self, reminder: Reminder, late: bool) -> timedelta:
        """How long before the event: as planned, or, when late, what is actually left."""
        if not late:
            return reminder.lead
        left = reminder.event_at - self._clock.now()
        return timedelta(minutes=max(int(left.total_seconds() // 60), 1))

    async def _claim(self, reminder: Reminder, state: ReminderState) -> bool:
        async with self._db.transaction() as conn:
            return await self._reminders.claim_in(conn, reminder.id, state, self._clock.now())

    async def _send(self, reminder: Reminder, *, late: bool) -> bool:
        """Render and enqueue one reminder, claiming it in the same transaction."""
        zone = self._settings.timezone
        text: dict[str, str]
        if reminder.kind in HEARING_KINDS:
            hearing = await self._hearings.get(reminder.hearing_id or 0)
            if hearing is None or hearing.state != HearingState.SCHEDULED:
                await self._claim(reminder, ReminderState.CANCELLED)
                return False
            if reminder.kind == ReminderKind.HEARING:
                lead = self._lead(reminder, late)
                text = render(lambda _: hearing_reminder(_, hearing, lead, zone, late=late))
                chat_ids = await self._audience(hearing.person_id)
            else:
                text = render(lambda _: attendee_reminder(_, hearing, zone, late=late))
                chat_ids = await self._hearings.attendees(hearing.id)
        else:
            person = await self._people.get(reminder.person_id or 0)
            stale = person is None or not person.in_custody or person.release_at is None
            if reminder.kind == ReminderKind.RELEASE and not stale:
                stale = person.release_at != reminder.event_at  # type: ignore[union-attr]
            if stale:
                await self._claim(reminder, ReminderState.CANCELLED)  # released or date changed
                return False
            assert person is not None
            if reminder.kind == ReminderKind.RELEASE_CHECK:
                if not await self._claim(reminder, ReminderState.SENT):
                    return False
                coordinators = await self._users.with_role_at_least(Role.COORDINATOR)
                await self._asker.ask_release(person, [u.telegram_id for u in coordinators])
                return True
            lead = self._lead(reminder, late)
            text = render(lambda _: release_reminder(_, person, lead, zone, late=late))
            chat_ids = await self._audience(person.id)
        async with self._db.transaction() as conn:
            if not await self._reminders.claim_in(
                conn, reminder.id, ReminderState.SENT, self._clock.now()
            ):
                return False
            alert = NewAlert(kind="reminder", text=text, priority=REMINDER_PRIORITY)
            alert_id = await self._outbox.enqueue_in(conn, alert, chat_ids, self._clock.now())
            await self._reminders.set_alert_in(conn, reminder.id, alert_id)
        return True

    async def _audience(self, person_id: int) -> list[int]:
        return await Audience(self._users, self._settings).about(person_id)

    async def _tell_coordinators_missed(self, missed: list[Reminder]) -> None:
        zone = self._settings.timezone
        names = []
        for reminder in missed:
            if reminder.hearing_id is not None:
                hearing = await self._hearings.get(reminder.hearing_id)
                names.append(hearing.person_name if hearing else "?")
            else:
                person = await self._people.get(reminder.person_id or 0)
                names.append(person.name if person else "?")

        def write(_: Translator) -> str:
            lines = [
                f"{missed_what(_, reminder.kind, name)}, {_.datetime(reminder.event_at, zone)}"
                for reminder, name in zip(missed, names, strict=True)
            ]
            return missed_reminders(_, lines)

        coordinators = await self._users.with_role_at_least(Role.COORDINATOR)
        alert = NewAlert(kind="reminder", text=render(write), priority=1, protect_content=True)
        await self._outbox.enqueue(alert, [u.telegram_id for u in coordinators], self._clock.now())
