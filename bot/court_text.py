"""How hearings, sentences, release dates and their reminders read (HTML, escaped)."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.terms import Term
from storage.hearings import Hearing, HearingState
from storage.people import Person
from storage.reminders import ReminderKind
from storage.timeline import TimelineEvent


def hearing_state_label(_: Translator, state: HearingState) -> str:
    labels = {
        HearingState.SCHEDULED: _("scheduled"),
        HearingState.CANCELLED: _("cancelled"),
        HearingState.OVER: _("over"),
    }
    return labels[state]


def hearing_lines(_: Translator, hearing: Hearing, zone: ZoneInfo) -> list[str]:
    """Who, when, where, closed or not, how many will attend."""
    lines = [
        _("When: {time}", time=_.datetime(hearing.starts_at, zone)),
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
                time=_.datetime(hearing.starts_at, zone),
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
        lead=_.duration(lead),
        name=escape(hearing.person_name),
    )
    return "\n".join([head, *hearing_lines(_, hearing, zone)]) + late_note(_, late)


def attendee_reminder(_: Translator, hearing: Hearing, zone: ZoneInfo, *, late: bool) -> str:
    head = _(
        "⏰ You said you will attend the hearing of {name} at {time}.",
        name=escape(hearing.person_name),
        time=_.datetime(hearing.starts_at, zone),
    )
    return "\n".join([head, _("Where: {place}", place=escape(hearing.place))]) + late_note(_, late)


def release_reminder(
    _: Translator, person: Person, lead: timedelta, zone: ZoneInfo, *, late: bool
) -> str:
    assert person.release_at is not None
    lines = [
        _(
            "🕊 <b>Expected release in {lead}: {name}</b>",
            lead=_.duration(lead),
            name=escape(person.name),
        ),
        _("When: {time}", time=_.datetime(person.release_at, zone)),
    ]
    if person.held_at:
        lines.append(_("Where: {place}", place=escape(person.held_at)))
    return "\n".join(lines) + late_note(_, late)


def term_text(_: Translator, term: Term) -> str:
    """A term in the reader's words, largest unit first: ``2 года 6 месяцев``, ``15 күн``."""
    parts = (("year", term.years), ("month", term.months), ("day", term.days))
    return " ".join(_.units(count, unit) for unit, count in parts if count)


def sentence_event_text(_: Translator, event: TimelineEvent) -> str:
    """A sentence in a person's history: ``15 days, release 16 Mar 2026``."""
    years, months, days, release = event.sentence_parts()
    term = term_text(_, Term(years=years, months=months, days=days))
    return _("{term}, release {date}", term=term, date=_.date(release))


def sentence_announcement(
    _: Translator, person: Person, term: Term, release: date, credit_days: int
) -> str:
    lines = [
        _("⚖️ <b>Sentenced: {name}</b>", name=escape(person.name)),
        _("Term: {term}", term=escape(term_text(_, term))),
    ]
    if credit_days:
        lines.append(
            _.plural(
                "{count} day of pre-trial detention counted.",
                "{count} days of pre-trial detention counted.",
                credit_days,
            )
        )
    lines.append(_("Expected release: {date}", date=_.date(release)))
    return "\n".join(lines)


def release_date_announcement(_: Translator, person: Person, release: date) -> str:
    return "\n".join(
        [
            _("🗓 <b>Release date: {name}</b>", name=escape(person.name)),
            _("Expected release: {date}", date=_.date(release)),
        ]
    )


def missed_what(_: Translator, kind: ReminderKind, name: str) -> str:
    """What a reminder that could not be sent was about."""
    texts = {
        ReminderKind.HEARING: _("reminder of the hearing of {name}", name=name),
        ReminderKind.ATTENDEE: _("attendees' reminder of the hearing of {name}", name=name),
        ReminderKind.RELEASE: _("reminder of the expected release of {name}", name=name),
        ReminderKind.RELEASE_CHECK: _("question whether {name} was released", name=name),
    }
    return texts[kind]


def missed_reminders(_: Translator, lines: list[str]) -> str:
    head = _("These reminders were not sent because the bot was offline until after the event:")
    return "\n".join([head, *(f"• {escape(line)}" for line in lines)])
