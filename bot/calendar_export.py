"""The /calendar export: hearings and expected releases as an iCalendar file (RFC 5545).

Times are written in the network's zone with its VTIMEZONE, so a calendar app shows a 10:00 hearing
in Almaty at 10:00 whatever zone the phone is in. UIDs depend only on database ids: importing a
newer export updates the events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from bot.i18n import Translator
from storage.hearings import Hearing, HearingState
from storage.people import Person

HEARING_LENGTH = timedelta(hours=2)
RELEASE_LENGTH = timedelta(hours=1)
HEARING_ALARM = timedelta(hours=1)
RELEASE_ALARM = timedelta(days=1)


def hearing_uid(hearing_id: int) -> str:
    return f"hearing-{hearing_id}@dabyl"


def release_uid(person_id: int) -> str:
    return f"release-{person_id}@dabyl"


def calendar_ics(
    hearings: Sequence[Hearing],
    releases: Sequence[Person],
    *,
    zone: ZoneInfo,
    now: datetime,
    _: Translator,
    name: str = "Dabyl",
    mark: str = "",
) -> bytes:
    """Build the calendar file.

    Args:
        hearings: hearings to export; cancelled ones are marked ``STATUS:CANCELLED``.
        releases: people with an expected release; those without ``release_at`` are skipped.
        zone: the network's time zone; events carry its TZID and the file its VTIMEZONE.
        now: the export time (aware), written as every event's DTSTAMP.
        _: translator for summaries, descriptions and alarm texts.
        name: the calendar's display name (X-WR-CALNAME).
        mark: put before every event's title and reminder, e.g. ``"[PRACTICE] "``.

    Returns:
        The file's bytes: CRLF line endings, long lines folded.
    """
    calendar = Calendar()
    calendar.prodid = f"-//Dabyl//Hearings and releases//{_.language.upper()}"
    calendar.version = "2.0"
    calendar.calscale = "GREGORIAN"
    calendar.calendar_name = name
    stamp = now.astimezone(UTC)
    events = [_hearing_event(h, zone, stamp, _, mark) for h in hearings]
    events += [
        _release_event(p, zone, stamp, _, mark) for p in releases if p.release_at is not None
    ]
    # The VTIMEZONE goes in even without events: RFC 5545 wants at least one component, and an
    # empty VCALENDAR is refused by some importers.
    calendar.add_component(_timezone(zone, [event.end for event in events]))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _hearing_event(
    hearing: Hearing, zone: ZoneInfo, stamp: datetime, _: Translator, mark: str
) -> Event:
    if hearing.closed:
        summary = _("Hearing: {name} (closed-door)", name=hearing.person_name)
    else:
        summary = _("Hearing: {name}", name=hearing.person_name)
    summary = mark + summary
    start = hearing.starts_at.astimezone(zone)
    event = Event.new(
        uid=hearing_uid(hearing.id),
        stamp=stamp,
        start=start,
        end=start + HEARING_LENGTH,
        summary=summary,
        location=hearing.place or None,
        description=_hearing_description(hearing, _),
    )
    if hearing.state == HearingState.CANCELLED:
        event.add("STATUS", "CANCELLED")
    event.add_component(Alarm.new_display(description=summary, trigger=-HEARING_ALARM))
    return event


def _hearing_description(hearing: Hearing, _: Translator) -> str:
    lines = [hearing.notes] if hearing.notes else []
    if hearing.closed:
        lines.append(_("The hearing is closed-door."))
    if hearing.attendee_count:
        lines.append(
            _.plural(
                "{count} person said they will attend.",
                "{count} people said they will attend.",
                hearing.attendee_count,
            )
        )
    else:
        lines.append(_("Nobody has said they will attend yet."))
    return "\n".join(lines)


def _release_event(
    person: Person, zone: ZoneInfo, stamp: datetime, _: Translator, mark: str
) -> Event:
    assert person.release_at is not None
    summary = mark + _("Expected release: {name}", name=person.name)
    start = person.release_at.astimezone(zone)
    event = Event.new(
        uid=release_uid(person.id),
        stamp=stamp,
        start=start,
        end=start + RELEASE_LENGTH,
        summary=summary,
        location=person.held_at or None,
    )
    event.add_component(Alarm.new_display(description=summary, trigger=-RELEASE_ALARM))
    return event


def _timezone(zone: ZoneInfo, ends: Sequence[datetime]) -> Timezone:
    """The VTIMEZONE built from ``zone`` itself, so its offsets are the ones the events used."""
    last = max([Timezone.DEFAULT_LAST_DATE, *(end.date() for end in ends)])
    return Timezone.from_tzinfo(zone, last_date=date(last.year + 1, 1, 1))
