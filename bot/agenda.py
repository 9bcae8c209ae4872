"""What lies ahead: /upcoming, the /calendar export and the daily digest."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.calendar_export import calendar_ics
from bot.casefile import summarize_reports
from bot.clock import Clock
from bot.digest import DigestData, days_between, render_digest
from bot.i18n import Translator, translator
from bot.roles import Role
from bot.settings import Settings
from bot.stats import WeekCount, period, period_bounds, weekly_counts
from bot.text import chunks
from storage.hearings import HearingRepository
from storage.outbox import NewAlert, OutboxRepository
from storage.people import PeopleRepository
from storage.reports import ReportRepository
from storage.sentences import BotStateRepository
from storage.stats import StatsRepository
from storage.timeline import TimelineRepository
from storage.users import User, UserRepository

DEFAULT_DAYS = 14
MAX_DAYS = 366
RELEASES_SOON = timedelta(days=7)
DIGEST_KEY = "digest_sent_on"


class EventKind(enum.Enum):
    HEARING = "hearing"
    RELEASE = "release"


@dataclass(frozen=True, slots=True)
class Event:
    """A hearing or an expected release, as /upcoming lists it."""

    kind: EventKind
    at: datetime
    name: str
    place: str
    days_left: int
    hearing_id: int | None = None
    closed: bool = False
    attendees: int = 0


class AgendaService:
    """Reads what is coming; sends the digest once a day."""

    def __init__(
        self,
        hearings: HearingRepository,
        people: PeopleRepository,
        reports: ReportRepository,
        users: UserRepository,
        outbox: OutboxRepository,
        state: BotStateRepository,
        stats: StatsRepository,
        timeline: TimelineRepository,
        settings: Settings,
        clock: Clock,
        *,
        wake_sender: Callable[[], None],
    ) -> None:
        self._hearings = hearings
        self._people = people
        self._reports = reports
        self._users = users
        self._outbox = outbox
        self._state = state
        self._stats = stats
        self._timeline = timeline
        self._settings = settings
        self._clock = clock
        self._wake = wake_sender

    async def upcoming(self, days: int = DEFAULT_DAYS) -> list[Event]:
        """Hearings and expected releases in the next ``days`` days, soonest first."""
        now = self._clock.now()
        until = now + timedelta(days=days)
        zone = self._settings.timezone
        events = [
            Event(
                EventKind.HEARING,
                h.starts_at,
                h.person_name,
                h.place,
                days_between(now, h.starts_at, zone),
                hearing_id=h.id,
                closed=h.closed,
                attendees=h.attendee_count,
            )
            for h in await self._hearings.upcoming(now, until)
        ]
        for person in await self._people.releases_between(now, until):
            assert person.release_at is not None
            events.append(
                Event(
                    EventKind.RELEASE,
                    person.release_at,
                    person.name,
                    person.held_at,
                    days_between(now, person.release_at, zone),
                )
            )
        return sorted(events, key=lambda event: (event.at, event.kind.value, event.name))

    async def calendar(self, _: Translator) -> bytes:
        """Every upcoming hearing and expected release as an iCalendar file, in ``_``'s words."""
        now = self._clock.now()
        releases = await self._people.releases_between(now, now + timedelta(days=366 * 31))
        return calendar_ics(
            await self._hearings.ahead_including_cancelled(now),
            releases,
            zone=self._settings.timezone,
            now=now,
            _=_,
            # A drill's calendar must not pass for the real one once imported into a phone.
            name="Dabyl PRACTICE" if self._settings.practice else "Dabyl",
            mark="[PRACTICE] " if self._settings.practice else "",
        )

    async def weekly(self, months: int) -> list[WeekCount]:
        """Detentions, releases and hearings per local week over the last ``months`` months."""
        zone = self._settings.timezone
        start, weeks = period(months, self._clock.now(), zone)
        times = await self._stats.event_times(*period_bounds(start, weeks, zone))
        return weekly_counts(times, start=start, weeks=weeks, zone=zone)

    async def set_digest(self, user: User, on: bool) -> None:
        await self._users.set_digest(user.telegram_id, on)

    async def digest_data(self) -> DigestData:
        now = self._clock.now()
        zone = self._settings.timezone
        today = now.astimezone(zone).date()
        day_end = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        hearings_today = await self._hearings.upcoming(now, day_end)
        pending = []
        for report in await self._reports.pending():
            person = await self._people.get(report.person_id) if report.person_id else None
            pending.append((report, person.name if person else ""))
        in_custody = await self._people.in_custody()
        strikes = []
        for person in in_custody:
            reports = await self._timeline.health_reports(person.id)
            day = summarize_reports(reports, now=now, zone=zone).hunger_strike_day
            if day is not None:
                strikes.append((person, day))
        return DigestData(
            today=today,
            hunger_strikes=strikes,
            hearings_today=hearings_today,
            releases_soon=await self._people.releases_between(now, now + RELEASES_SOON),
            in_custody=in_custody,
            pending_reports=pending,
        )

    async def send_digest(self) -> bool:
        """Send today's digest, once per local day (a restart does not repeat it)."""
        now = self._clock.now()
        zone = self._settings.timezone
        if not await self._state.set_if_changed(
            DIGEST_KEY, now.astimezone(zone).date().isoformat()
        ):
            return False
        data = await self.digest_data()
        coordinators = [
            u.telegram_id for u in await self._users.with_role_at_least(Role.COORDINATOR)
        ]
        readers = [uid for uid in await self._users.digest_readers() if uid not in coordinators]
        default = self._settings.default_language
        for chat_ids, full in ((coordinators, True), (readers, False)):
            # Written once per language; the parts can differ in number between languages.
            for language, group in (await self._users.by_language(chat_ids, default)).items():
                _ = translator(language)
                text = render_digest(data, zone=zone, now=now, _=_, for_coordinators=full)
                for part in chunks(text.splitlines()):  # a long custody list needs several
                    # The coordinators' digest lists pending reports: not to be forwarded.
                    alert = NewAlert(kind="digest", text=part, priority=2, protect_content=full)
                    await self._outbox.enqueue(alert, group, now)
        self._wake()
        return True
