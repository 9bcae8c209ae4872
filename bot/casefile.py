"""Case files: what the network knows about a person, shown as far as the reader may see it."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from html import escape
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.directory import Lookup, PeopleDirectory
from bot.health import HealthEntry, HealthFact, HealthSummary, read_health, summarize
from bot.i18n import Translator
from bot.keywords import Concept, keyword
from bot.names import Match
from bot.roles import Role
from bot.settings import Settings
from bot.visibility import Field, may_see
from storage.audit import AuditRepository
from storage.hearings import Hearing, HearingRepository
from storage.people import PeopleRepository, Person
from storage.reports import ReportRepository
from storage.timeline import TimelineEvent, TimelineRepository
from storage.users import User

PAGE = 10
STATUS_EVENTS = 5
MAX_VALUE = 1000


@dataclass(frozen=True, slots=True)
class Editable:
    column: str
    field: Field  # whose visibility the value has (audited without the value if not public)


# The field names /set accepts, as typed by coordinators.
EDITABLE: dict[str, Editable] = {
    "city": Editable("city", Field.CITY),
    "facility": Editable("held_at", Field.FACILITY),
    "address": Editable("postal_address", Field.POSTAL_ADDRESS),
    "birthday": Editable("birthday", Field.BIRTHDAY),
    "lawyer": Editable("lawyer_contact", Field.LAWYER),
    "notes": Editable("public_notes", Field.PUBLIC_NOTES),
    "internal": Editable("internal_notes", Field.INTERNAL_NOTES),
    "health": Editable("health_public", Field.HEALTH),  # public | private
}


class SetStatus(enum.Enum):
    DONE = "done"
    UNKNOWN_PERSON = "unknown_person"
    UNKNOWN_FIELD = "unknown_field"
    BAD_VALUE = "bad_value"


@dataclass(frozen=True, slots=True)
class StatusView:
    """A person's status as one reader may see it; hidden parts are None or empty."""

    person: Person
    events: list[TimelineEvent]
    next_hearing: Hearing | None
    show_health: bool
    show_birthday: bool
    show_lawyer: bool
    show_internal: bool
    show_reporters: bool


@dataclass(frozen=True, slots=True)
class Overview:
    in_custody: int
    pending_reports: int
    next_hearings: list[Hearing]


class CaseFileService:
    """Reads and edits case files, applying the visibility table to every answer."""

    def __init__(
        self,
        people: PeopleRepository,
        hearings: HearingRepository,
        reports: ReportRepository,
        timeline: TimelineRepository,
        audit: AuditRepository,
        settings: Settings,
        clock: Clock,
        directory: PeopleDirectory,
    ) -> None:
        self._people = people
        self._directory = directory
        self._hearings = hearings
        self._reports = reports
        self._timeline = timeline
        self._audit = audit
        self._settings = settings
        self._clock = clock

    async def search(self, text: str, reader: Role, limit: int = 5) -> list[Match]:
        return await self._directory.search(text, reader, limit)

    async def find(self, name: str, reader: Role) -> Lookup:
        return await self._directory.lookup(name, reader)

    async def get(self, person_id: int) -> Person | None:
        return await self._people.get(person_id)

    async def status(self, person: Person, reader: Role) -> StatusView:
        coordinator = may_see(Field.UNVERIFIED_REPORTS, reader)
        health = may_see(Field.HEALTH, reader, health_public=person.health_public)
        events = await self._timeline.events(
            person.id, include_unsent=coordinator, include_health=health, limit=STATUS_EVENTS
        )
        upcoming = await self._hearings.upcoming(self._clock.now(), person_id=person.id)
        return StatusView(
            person=person,
            events=events,
            next_hearing=upcoming[0] if upcoming else None,
            show_health=health,
            show_birthday=may_see(Field.BIRTHDAY, reader),
            show_lawyer=may_see(Field.LAWYER, reader),
            show_internal=may_see(Field.INTERNAL_NOTES, reader),
            show_reporters=may_see(Field.REPORTERS, reader),
        )

    async def health_lines(self, person: Person, view: StatusView, _: Translator) -> list[str]:
        """Weight trend, hunger strike day, hospital, latest health report (if ``view`` may)."""
        if not view.show_health:
            return []
        zone, now = self._settings.timezone, self._clock.now()
        # Read from the report texts each time: they stay the one source of truth.
        reports = await self._timeline.health_reports(person.id)
        summary = summarize_reports(reports, now=now, zone=zone)
        lines = []
        if summary.latest_weight is not None:
            line = _("Weight: {kg} kg", kg=_.number(summary.latest_weight))
            first = summary.first_weight
            if first is not None and first != summary.latest_weight and summary.first_weight_at:
                change = summary.latest_weight - first
                sign = "+" if change > 0 else "−"
                line += " " + _(
                    "({change} kg since {date})",
                    change=sign + _.number(abs(change)),
                    date=_.date(summary.first_weight_at, zone),
                )
            lines.append(line)
        if summary.hunger_strike_day is not None:
            lines.append(_("Hunger strike: day {day}", day=summary.hunger_strike_day))
        if summary.in_hospital:
            lines.append(_("In hospital"))
        if reports:
            at, details = reports[-1]
            lines.append(
                _(
                    "Health ({time}): {details}",
                    time=_.datetime(at, zone),
                    details=escape(details[:300]),
                )
            )
        return lines

    async def history(
        self, person: Person, reader: Role, page: int
    ) -> tuple[list[TimelineEvent], bool]:
        """One page of the timeline (newest first) and whether there is a next page."""
        events = await self._timeline.events(
            person.id,
            include_unsent=may_see(Field.UNVERIFIED_REPORTS, reader),
            include_health=may_see(Field.HEALTH, reader, health_public=person.health_public),
            limit=PAGE + 1,
            offset=max(page, 0) * PAGE,
        )
        return events[:PAGE], len(events) > PAGE

    async def overview(self) -> Overview:
        now = self._clock.now()
        return Overview(
            in_custody=await self._people.count_in_custody(),
            pending_reports=await self._reports.count_pending(),
            next_hearings=await self._hearings.upcoming(now, limit=3),
        )

    async def custody(self) -> list[Person]:
        return await self._people.in_custody()

    async def set_field(
        self, actor: User, person: Person, field_name: str, value: str
    ) -> SetStatus:
        """``/set``: change one case-file field (audited; private values are not copied)."""
        field_name = keyword(Concept.FIELD, field_name) or ""  # "город", "kala" → "city"
        editable = EDITABLE.get(field_name)
        if editable is None:
            return SetStatus.UNKNOWN_FIELD
        value = value.strip()
        stored: str | int = value[:MAX_VALUE]
        if editable.column == "health_public":
            visibility = keyword(Concept.VISIBILITY, value)  # "открыто", "жабық" ...
            if visibility is None:
                return SetStatus.BAD_VALUE
            stored = int(visibility == "public")
        elif editable.column == "birthday" and value and not _is_date(value):
            return SetStatus.BAD_VALUE
        await self._people.set_field(person.id, editable.column, stored)
        shown = may_see(editable.field, Role.SUBSCRIBER) or editable.column == "health_public"
        await self._audit.record(
            at=self._clock.now(),
            actor=actor.pseudonym,
            action="set",
            target=f"person:{person.id}",
            detail=f"{field_name}={stored}" if shown else field_name,
        )
        return SetStatus.DONE


@lru_cache(maxsize=65536)
def health_facts(details: str) -> tuple[HealthFact, ...]:
    """The facts in one health report's text; reports never change, so they are cached."""
    return tuple(read_health(details))


def summarize_reports(
    reports: list[tuple[datetime, str]], *, now: datetime, zone: ZoneInfo
) -> HealthSummary:
    """Weight trend, hunger strike and hospital, read from ``(sent at, text)`` health reports."""
    return summarize(
        [HealthEntry(at, health_facts(details)) for at, details in reports], now=now, zone=zone
    )


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
