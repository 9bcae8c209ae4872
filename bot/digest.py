"""The daily digest: today's hearings, releases coming up, who is in custody (HTML, escaped).

Pure: the caller gathers the data and sends the text. Every piece is escaped, translated text
included, so only the ``<b>`` headings written here are markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.alert_text import kind_label
from bot.i18n import Translator
from bot.people import Status
from storage.hearings import Hearing, HearingState
from storage.people import Person
from storage.reports import Report

SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class DigestData:
    """What one day's digest is made of."""

    today: date  # local date in the network's zone
    hearings_today: Sequence[Hearing]
    releases_soon: Sequence[Person]  # expected releases in the next 7 days
    in_custody: Sequence[Person]
    pending_reports: Sequence[tuple[Report, str]]  # (report, person name or "")
    # (person, day) of ongoing hunger strikes; shown to subscribers only if health is public
    hunger_strikes: Sequence[tuple[Person, int]] = ()


def days_between(start: datetime, end: datetime, zone: ZoneInfo) -> int:
    """Whole calendar days from ``start``'s local date to ``end``'s; negative if ``end`` is earlier.

    Counted on local dates, not 24-hour periods: someone detained at 23:00 has been held one day
    at 00:30, as their family counts it.
    """
    return (end.astimezone(zone).date() - start.astimezone(zone).date()).days


def status_label(_: Translator, status: Status) -> str:
    labels = {
        Status.FREE: _("free"),
        Status.DETAINED: _("detained"),
        Status.ARRESTED: _("arrested"),
        Status.IMPRISONED: _("imprisoned"),
    }
    return labels[status]


def render_digest(
    data: DigestData, *, zone: ZoneInfo, now: datetime, _: Translator, for_coordinators: bool
) -> str:
    """Render the digest.

    Args:
        data: the day's hearings, releases, people in custody and pending reports.
        zone: the network's time zone; times, dates and day counts are local to it.
        now: the moment of rendering (aware), from which day counts are taken.
        _: the reader's translator.
        for_coordinators: add the reports waiting for verification; subscribers never see them.

    Returns:
        HTML for ``parse_mode=HTML``: sections separated by blank lines.
    """
    title = _("Daily digest: {date}", date=_.weekday_date(data.today))
    sections = [
        f"<b>{escape(title)}</b>",
        _section(
            _("Hearings today"),
            [_hearing_line(h, zone, _) for h in data.hearings_today],
            _("No hearings today."),
        ),
        _section(
            _("Releases in the next 7 days"),
            [_release_line(p, zone, now, _) for p in data.releases_soon],
            _("No releases expected in the next 7 days."),
        ),
        _section(
            _("In custody"),
            [_custody_line(p, zone, now, _) for p in data.in_custody],
            _("Nobody is in custody."),
        ),
    ]
    strikes = [
        _line(person.name, _("day {day}", day=day))
        for person, day in data.hunger_strikes
        if for_coordinators or person.health_public
    ]
    if strikes:
        sections.append(_section(_("Hunger strikes"), strikes, ""))
    if for_coordinators:
        sections.append(
            _section(
                _("Waiting for verification"),
                [_pending_line(report, name, zone, _) for report, name in data.pending_reports],
                _("No reports are waiting."),
            )
        )
    return "\n\n".join(sections)


def _section(title: str, lines: list[str], empty: str) -> str:
    return "\n".join([f"<b>{escape(title)}</b>", *(lines or [escape(empty)])])


def _line(*parts: str) -> str:
    return escape(SEPARATOR.join(part for part in parts if part))


def _hearing_line(hearing: Hearing, zone: ZoneInfo, _: Translator) -> str:
    return _line(
        _.time(hearing.starts_at, zone),
        hearing.person_name,
        hearing.place,
        _("closed-door") if hearing.closed else "",
        _("cancelled") if hearing.state == HearingState.CANCELLED else "",
    )


def _release_line(person: Person, zone: ZoneInfo, now: datetime, _: Translator) -> str:
    if person.release_at is None:
        return _line(person.name)
    return _line(
        _.date(person.release_at, zone),
        person.name,
        _days_left(days_between(now, person.release_at, zone), _),
    )


def _days_left(days: int, _: Translator) -> str:
    if days == 0:
        return _("today")
    if days < 0:
        return _.plural("{count} day overdue", "{count} days overdue", -days)
    return _.plural("in {count} day", "in {count} days", days)


def _custody_line(person: Person, zone: ZoneInfo, now: datetime, _: Translator) -> str:
    held = ""
    if person.status_since is not None:
        days = days_between(person.status_since, now, zone)
        held = (
            _("since today")
            if days <= 0
            else _.plural("{count} day in custody", "{count} days in custody", days)
        )
    release = ""
    if person.release_at is not None:
        release = _("release {date}", date=_.date(person.release_at, zone))
    return _line(person.name, status_label(_, person.status), held, release)


def _pending_line(report: Report, name: str, zone: ZoneInfo, _: Translator) -> str:
    return _line(
        _("Report #{id}", id=report.id),
        kind_label(_, report.kind),
        name,
        _("reported {time}", time=_.datetime(report.reported_at, zone)),
    )
