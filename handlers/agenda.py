"""/upcoming, /calendar and /digest: what lies ahead, for everyone."""

from __future__ import annotations

from html import escape

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.agenda import DEFAULT_DAYS, MAX_DAYS, EventKind
from bot.context import DabylContext
from bot.keywords import Concept, keyword
from handlers.common import argument_text, reply_lines


async def upcoming(update: Update, context: DabylContext) -> None:
    """/upcoming [days]"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    raw = argument_text(message)
    if raw and not (raw.isdigit() and 1 <= int(raw) <= MAX_DAYS):
        await message.reply_text(
            _("Format: /upcoming [days], 1 to {max}\nExample: /upcoming 30", max=MAX_DAYS)
        )
        return
    days = int(raw) if raw else DEFAULT_DAYS
    events = await context.services.agenda.upcoming(days)
    if not events:
        await message.reply_text(
            _.plural("Nothing in the next {count} day.", "Nothing in the next {count} days.", days)
        )
        return
    zone = context.services.settings.timezone
    lines = [_.plural("<b>The next {count} day:</b>", "<b>The next {count} days:</b>", days)]
    for event in events:
        left = (
            _.plural("in {count} day", "in {count} days", event.days_left)
            if event.days_left
            else _("today")
        )
        when = _.datetime(event.at, zone)
        name = escape(event.name)
        if event.kind == EventKind.HEARING:
            closed = " " + _("(closed-door)") if event.closed else ""
            line = _(
                "⚖️ {when} ({left}) · hearing of {name} · {place}{closed} · #{id}",
                when=when, left=left, name=name, place=escape(event.place), closed=closed,
                id=event.hearing_id,
            )  # fmt: skip
        else:
            line = _(
                "🕊 {when} ({left}) · expected release of {name}", when=when, left=left, name=name
            )
        lines.append(line)
    await reply_lines(message, lines)


async def calendar(update: Update, context: DabylContext) -> None:
    """/calendar: an .ics file to import into a calendar app."""
    message, _ = update.effective_message, context.tr
    assert message is not None
    data = await context.services.agenda.calendar(context.tr)
    practice = context.services.settings.practice
    await message.reply_document(
        InputFile(data, filename="PRACTICE-dabyl.ics" if practice else "dabyl.ics"),
        caption=_("Hearings and expected releases. Open the file to add them to your calendar."),
    )


async def digest(update: Update, context: DabylContext) -> None:
    """/digest on|off"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    choice = keyword(Concept.SWITCH, argument_text(message))
    if choice is None:
        await message.reply_text(_("Format: /digest on or /digest off\nExample: /digest on"))
        return
    await context.services.agenda.set_digest(actor, choice == "on")
    if choice == "on":
        text = _("You will get the daily digest of hearings, releases and who is in custody.")
    else:
        text = _("The daily digest is off.")
    await message.reply_text(text)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("upcoming", upcoming),
        CommandHandler("calendar", calendar),
        CommandHandler("digest", digest),
    ]
