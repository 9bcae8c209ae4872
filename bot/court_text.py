"""How hearings, sentences, release dates and their reminders read (HTML, escaped)."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.alert_text import local_time
from bot.dates import format_offset
from bot.i18n import Translator
from storage.hearings import Hearing
from storage.people import Person


def hearing_lines(_: Translator, hearing: Hearing, zone: ZoneInfo) -> list[str]:
    """Who, when, where, closed or not, how many will attend."""
    lines = [
        _("When: {time}", time=local_time(hearing.starts_at, zone)),
        _("Where: {place}", place=escape(hearing.place)),
    ]
    if hearing.closed:
        lines.append(_("Closed-door hearing: the public may not be let in."))
    if hearing.notes:
        lines.append(_("Notes: {notes}", notes=escape(hearing.notes)))
    if hearing.attendee_count:
        lines.append(
            _.plural(
                "{count} person will attend.", "{count} people will attend.", hearing.attendee_count
            )
        )
    lines.append(_("Hearing #{id} · /attend {id} if you will be there", id=hearing.id))
    return lines


def hearing_announcement(_: Translator, hearing: Hearing, zone: ZoneInfo, change: str) -> str:
    """A new, moved or cancelled hearing."""
    name = escape(hearing.person_name)
    heads = {
        "new": _("⚖️ <b>Hearing: {name}</b>", name=name),
        "moved": _("⚖️ <b>Hearing moved: {name}</b>", name=name),
        "cancelled": _("⚖️ <b>Hearing cancelled: {name}</b>", name=name),
    }
    if change == "cancelled":
        lines = [
            _(
                "The hearing of {time} will not take place.",
                time=local_time(hearing.starts_at, zone),
            )
        ]
        lines.append(_("Hearing #{id}", id=hearing.id))
    else:
        lines = hearing_lines(_, hearing, zone)
    return "\n".join([heads[change], *lines])


def late_note(_: Translator, late: bool) -> str:
    return ("\n" + _("(Sent late: the bot was offline at the planned time.)")) if late else ""


def hearing_reminder(
    _: Translator, hearing: Hearing, lead: timedelta, zone: ZoneInfo, *, late: bool
) -> str:
    head = _(
        "⏰ <b>Hearing in {lead}: {name}</b>",
        lead=format_offset(lead),
        name=escape(hearing.person_name),
    )
    return "\n".join([head, *hearing_lines(_, hearing, zone)]) + late_note(_, late)


def attendee_reminder(_: Translator, hearing: Hearing, zone: ZoneInfo, *, late: bool) -> str:
    head = _(
        "⏰ You said you will attend the hearing of {name} at {time}.",
        name=escape(hearing.person_name),
        time=local_time(hearing.starts_at, zone),
    )
    return "\n".join([head, _("Where: {place}", place=escape(hearing.place))]) + late_note(_, late)


def release_reminder(
    _: Translator, person: Person, lead: timedelta, zone: ZoneInfo, *, late: bool
) -> str:
    assert person.release_at is not None
    lines = [
        _(
            "🕊 <b>Expected release in {lead}: {name}</b>",
            lead=format_offset(lead),
            name=escape(person.name),
        ),
        _("When: {time}", time=local_time(person.release_at, zone)),
    ]
    if person.held_at:
        lines.append(_("Where: {place}", place=escape(person.held_at)))
    return "\n".join(lines) + late_note(_, late)


def sentence_announcement(
    _: Translator, person: Person, term: str, release: date, credit_days: int
) -> str:
    lines = [
        _("⚖️ <b>Sentenced: {name}</b>", name=escape(person.name)),
        _("Term: {term}", term=escape(term)),
    ]
    if credit_days:
        lines.append(
            _.plural(
                "{count} day of pre-trial detention counted.",
                "{count} days of pre-trial detention counted.",
                credit_days,
            )
        )
    lines.append(_("Expected release: {date}", date=release.isoformat()))
    return "\n".join(lines)


def release_date_announcement(_: Translator, person: Person, release: date) -> str:
    return "\n".join(
        [
            _("🗓 <b>Release date: {name}</b>", name=escape(person.name)),
            _("Expected release: {date}", date=release.isoformat()),
        ]
    )


def missed_reminders(_: Translator, lines: list[str]) -> str:
    head = _("These reminders were not sent because the bot was offline until after the event:")
    return "\n".join([head, *(f"• {escape(line)}" for line in lines)])
