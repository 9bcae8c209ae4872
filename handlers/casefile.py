"""/person, /set, /status, /custody and /history: case files as far as the reader may see."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.alert_text import kind_label, state_label
from bot.casefile import EDITABLE, SetStatus
from bot.context import DabylContext
from bot.court_text import hearing_state_label, sentence_event_text
from bot.digest import days_between, status_label
from bot.i18n import Translator
from bot.keywords import Concept, keyword, shown
from bot.roles import Role
from bot.text import chunks
from handlers.common import argument_text, edit_pressed, reply_lines, split_fields
from storage.hearings import HearingState
from storage.people import Person
from storage.reports import ReportKind, ReportState
from storage.timeline import TimelineEvent

HISTORY = "history:"
PICK = "pick:"


def _reader(context: DabylContext) -> Role:
    return context.actor.role if context.actor else Role.NONE


async def _person(
    update: Update, context: DabylContext, name: str, usage: str, command: str = "status"
) -> Person | None:
    """The person a typed name means; asks with buttons when two match closely."""
    message, _ = update.effective_message, context.tr
    assert message is not None
    if not name:
        await message.reply_text(usage)
        return None
    lookup = await context.services.casefiles.find(name, _reader(context))
    if lookup.person is not None:
        return lookup.person
    if lookup.candidates:
        buttons = [
            [InlineKeyboardButton(m.name[:60], callback_data=f"{PICK}{command}:{m.person_id}")]
            for m in lookup.candidates
        ]
        await message.reply_text(
            _("Which one do you mean?"), reply_markup=InlineKeyboardMarkup(buttons)
        )
        return None
    await message.reply_text(
        _("Nobody called {name} has been reported. Try /find {name}.", name=name[:200])
    )
    return None


def status_line(_: Translator, person: Person, context: DabylContext) -> str:
    zone = context.services.settings.timezone
    line = status_label(_, person.status)
    if person.status_since is not None:
        line += " " + _("since {time}", time=_.datetime(person.status_since, zone))
    return line


def event_line(_: Translator, event: TimelineEvent, context: DabylContext, reporters: bool) -> str:
    zone = context.services.settings.timezone
    when = _.datetime(event.at, zone)
    if event.source == "report":
        what = kind_label(_, ReportKind(event.kind))
        parts = [when, what, escape(event.place), escape(event.details[:200])]
        parts.append(f"#{event.id} ({state_label(_, ReportState(event.state))})")
        if reporters and event.reporter_id:
            parts.append(_("reporter id {id}", id=event.reporter_id))
    elif event.source == "hearing":
        closed = _("closed-door") if event.kind == "closed" else ""
        state = hearing_state_label(_, HearingState(event.state))
        parts = [when, _("Hearing"), escape(event.place), closed, f"({state})"]
    else:
        parts = [when, _("Sentence"), escape(sentence_event_text(_, event))]
    return " · ".join(part for part in parts if part)


async def person_file(update: Update, context: DabylContext) -> None:
    """/person <name>"""
    _, message = context.tr, update.effective_message
    assert message is not None
    usage = _("Format: /person <name>\nExample: /person Saule Bekova")
    person = await _person(update, context, argument_text(message), usage, "person")
    if person is not None:
        await message.reply_text(await case_file_text(context, person), parse_mode=ParseMode.HTML)


async def case_file_text(context: DabylContext, person: Person) -> str:
    """The case file as the reader may see it."""
    _ = context.tr
    view = await context.services.casefiles.status(person, _reader(context))
    head = _("<b>Case file: {name}</b>", name=escape(person.name))
    lines = [head, status_line(_, person, context)]
    fields = [
        (_("City"), person.city, True),
        (_("Held at"), person.held_at, True),
        (_("Address for letters"), person.postal_address, True),
        (_("Notes"), person.public_notes, True),
        (_("Birthday"), person.birthday, view.show_birthday),
        (_("Lawyer"), person.lawyer_contact, view.show_lawyer),
        (_("Internal notes"), person.internal_notes, view.show_internal),
    ]
    lines += [f"{label}: {escape(value)}" for label, value, shown in fields if shown and value]
    if view.show_internal:
        health = _("public") if person.health_public else _("members only")
        lines.append(_("Health details: {who}", who=health))
    return "\n".join(lines)


async def set_field(update: Update, context: DabylContext) -> None:
    """/set <name>; <field>; <value>"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    name, field, value = split_fields(argument_text(message), 3)
    fields = ", ".join(shown(Concept.FIELD, key, _.language) for key in EDITABLE)
    usage = _(
        "Format: /set <name>; <field>; <value>\nFields: {fields}\n"
        "Example: /set Saule Bekova; facility; SIZO-1, Almaty",
        fields=fields,
    )
    if not field:
        await message.reply_text(usage)
        return
    person = await _person(update, context, name, usage)
    if person is None:
        return
    result = await context.services.casefiles.set_field(actor, person, field, value)
    if keyword(Concept.FIELD, field) == "health":
        await message.reply_text(_health_reply(_, result, person.name, value))
        return
    replies = {
        SetStatus.DONE: _("Saved: {field} of {name}.", field=field.lower(), name=person.name),
        SetStatus.UNKNOWN_FIELD: _(
            "There is no field {field}. Fields: {fields}", field=field[:50], fields=fields
        ),
        SetStatus.BAD_VALUE: _(
            "That value does not fit {field}. Example: /set {name}; facility; SIZO-1, Almaty",
            field=field,
            name=person.name,
        ),
    }
    await message.reply_text(replies[result])


def _health_reply(_: Translator, result: SetStatus, name: str, value: str) -> str:
    """Who may now see someone's health details; or both choices, the private one first, so
    that copying an example never makes them public by mistake."""
    if result == SetStatus.DONE:
        public = keyword(Concept.VISIBILITY, value) == "public"
        who = _("public") if public else _("members only")
        return _("Health details of {name}: {who}.", name=name, who=who)
    private, public = (shown(Concept.VISIBILITY, key, _.language) for key in ("private", "public"))
    health = shown(Concept.FIELD, "health", _.language)
    return _(
        "Health details are either {private} (members only) or {public} (everyone).\n"
        "/set {name}; {health}; {private}\n/set {name}; {health}; {public}",
        name=name,
        health=health,
        private=private,
        public=public,
    )


async def status(update: Update, context: DabylContext) -> None:
    """/status [name]"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    name = argument_text(message)
    if not name:
        await message.reply_text(await overview_text(context), parse_mode=ParseMode.HTML)
        return
    person = await _person(update, context, name, "")
    if person is not None:
        await message.reply_text(await status_text(context, person), parse_mode=ParseMode.HTML)


async def status_text(context: DabylContext, person: Person) -> str:
    """A person's status as the reader may see it."""
    _ = context.tr
    view = await context.services.casefiles.status(person, _reader(context))
    zone = context.services.settings.timezone
    now = context.services.clock.now()
    head = _("<b>Status: {name}</b>", name=escape(person.name))
    lines = [head, status_line(_, person, context)]
    if person.held_at:
        lines.append(_("Held at: {place}", place=escape(person.held_at)))
    if person.release_at is not None and person.in_custody:
        left = days_between(now, person.release_at, zone)
        lines.append(
            _("Expected release: {date} ({left})", date=_.datetime(person.release_at, zone),
              left=_.plural("in {count} day", "in {count} days", left))
        )  # fmt: skip
    if view.next_hearing is not None:
        hearing = view.next_hearing
        lines.append(
            _("Next hearing: {time}, {place} (#{id})", time=_.datetime(hearing.starts_at, zone),
              place=escape(hearing.place), id=hearing.id)
        )  # fmt: skip
    lines += (
        await context.services.casefiles.health_lines(person, view, _) if view.show_health else []
    )
    if view.events:
        lines.append(_("Latest:"))
        lines += [f"• {event_line(_, e, context, view.show_reporters)}" for e in view.events]
    return "\n".join(lines)


async def overview_text(context: DabylContext) -> str:
    _ = context.tr
    overview = await context.services.casefiles.overview()
    zone = context.services.settings.timezone
    lines = [_("<b>Overview</b>"), _("In custody: {count}", count=overview.in_custody)]
    if _reader(context) >= Role.COORDINATOR:
        lines.append(_("Reports waiting for verification: {count}", count=overview.pending_reports))
    if overview.next_hearings:
        lines.append(_("Next hearings:"))
        for hearing in overview.next_hearings:
            parts = [_.datetime(hearing.starts_at, zone), hearing.person_name, hearing.place]
            lines.append(f"• {escape(' · '.join(parts))} · #{hearing.id}")
    return "\n".join(lines)


async def custody(update: Update, context: DabylContext) -> None:
    """/custody"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    people = await context.services.casefiles.custody()
    if not people:
        await message.reply_text(_("Nobody is in custody."))
        return
    zone = context.services.settings.timezone
    now = context.services.clock.now()
    lines = [_("<b>In custody</b>, by expected release:")]
    for person in people:
        parts = [escape(person.name), status_label(_, person.status)]
        if person.status_since is not None:
            held = days_between(person.status_since, now, zone)
            parts.append(_.plural("{count} day in custody", "{count} days in custody", held))
        if person.release_at is not None:
            parts.append(_("release {date}", date=_.date(person.release_at, zone)))
        lines.append("• " + " · ".join(parts))
    await reply_lines(message, lines)


async def history(update: Update, context: DabylContext) -> None:
    """/history <name>"""
    _, message = context.tr, update.effective_message
    assert message is not None
    usage = _("Format: /history <name>\nExample: /history Saule Bekova")
    person = await _person(update, context, argument_text(message), usage, "history")
    if person is not None:
        text, markup = await history_page(context, person, 0)
        await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def history_page(
    context: DabylContext, person: Person, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    _ = context.tr
    casefiles = context.services.casefiles
    events, more = await casefiles.history(person, _reader(context), page)
    reporters = _reader(context) >= Role.COORDINATOR
    head = _("<b>{name}</b>: history, page {page}", name=escape(person.name), page=page + 1)
    lines = [head, *(f"• {event_line(_, e, context, reporters)}" for e in events)]
    if not events:
        lines.append(_("Nothing recorded yet."))
    buttons = []
    if page > 0:
        buttons.append(
            InlineKeyboardButton(_("◀ Previous"), callback_data=f"{HISTORY}{person.id}:{page - 1}")
        )
    if more:
        buttons.append(
            InlineKeyboardButton(_("Next ▶"), callback_data=f"{HISTORY}{person.id}:{page + 1}")
        )
    # Ten events of at most a few hundred characters each stay within one message.
    return chunks(lines)[0], InlineKeyboardMarkup([buttons]) if buttons else None


async def history_turn(update: Update, context: DabylContext) -> None:
    """Previous / Next under /history."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    try:
        person_id, page = (
            int(part) for part in (query.data or "").removeprefix(HISTORY).split(":")
        )
    except ValueError:
        return
    person = await context.services.casefiles.get(person_id)
    if person is None:
        return
    text, markup = await history_page(context, person, page)
    await edit_pressed(query, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def picked(update: Update, context: DabylContext) -> None:
    """A name chosen from "Which one do you mean?"."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    command, _, raw_id = (query.data or "").removeprefix(PICK).partition(":")
    person = await context.services.casefiles.get(int(raw_id)) if raw_id.isdigit() else None
    if person is None:
        return
    if command == "history":
        text, markup = await history_page(context, person, 0)
        await edit_pressed(query, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        return
    render = case_file_text if command == "person" else status_text
    await edit_pressed(query, await render(context, person), parse_mode=ParseMode.HTML)


async def find(update: Update, context: DabylContext) -> None:
    """/find <text>: people by name, across scripts and typos."""
    message, _ = update.effective_message, context.tr
    assert message is not None
    text = argument_text(message)
    if not text:
        await message.reply_text(_("Format: /find <name>\nExample: /find Toregozhina"))
        return
    matches = await context.services.casefiles.search(text[:200], _reader(context))
    if not matches:
        await message.reply_text(_("Nobody found for {text}.", text=text[:200]))
        return
    lines = [_("Found:")]
    for match in matches:
        person = await context.services.casefiles.get(match.person_id)
        if person is not None:
            lines.append(f"• {escape(person.name)} · {status_line(_, person, context)}")
    await message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("find", find),
        CallbackQueryHandler(picked, pattern=rf"^{PICK}(status|person|history):\d+$"),
        CommandHandler("person", person_file),
        CommandHandler("set", set_field),
        CommandHandler("status", status),
        CommandHandler("custody", custody),
        CommandHandler("history", history),
        CallbackQueryHandler(history_turn, pattern=rf"^{HISTORY}\d+:\d+$"),
    ]
