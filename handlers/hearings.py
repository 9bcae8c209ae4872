"""/hearing, /hearings, /move_hearing, /cancel_hearing, /attend and /unattend."""

from __future__ import annotations

from datetime import datetime

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext
from bot.dates import DateError, DateProblem, parse_when
from bot.hearings import HearingStatus
from bot.i18n import Translator
from bot.people import MAX_NAME_LENGTH
from handlers.common import argument_text, reply_lines, report_id_of, split_fields
from handlers.names import confirm_name

DATE_EXAMPLE = "03.12.2026 10:00"


def date_problem(_: Translator, error: DateError, *, with_time: bool = True) -> str:
    """Why a typed date was refused, with an accepted example (a date and time, or a date)."""
    reasons = {
        DateProblem.NOT_A_DATE: _("That is not a date I can read."),
        DateProblem.IMPOSSIBLE: _("That date does not exist."),
        DateProblem.TIME_NEEDED: _("The time is missing."),
        DateProblem.IN_THE_PAST: _("That time has already passed."),
    }
    if with_time:
        example = _(
            "Write it like {example}, 2026-12-03 10:00, 03.12 10:00, tomorrow 10:00 or "
            "завтра 10:00.",
            example=DATE_EXAMPLE,
        )
    else:
        example = _("Write a date like 03.12.2026, 2026-12-03, 03.12 or tomorrow.")
    nothing = _("Nothing was saved.")
    return f"{reasons[error.problem]} {example} {nothing}"


async def hearing_time(message: Message, context: DabylContext, text: str) -> datetime | None:
    """A new hearing time typed by a coordinator, or None after explaining what is wrong."""
    services = context.services
    try:
        when = parse_when(
            text,
            now=services.clock.now(),
            zone=services.settings.timezone,
            need_time=True,
            future=True,
        )
    except DateError as error:
        await message.reply_text(date_problem(context.tr, error))
        return None
    return when.moment


async def hearing(update: Update, context: DabylContext) -> None:
    """/hearing <name>; <date and time>; <court or place>[; notes]"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    name, when_text, place, notes = split_fields(argument_text(message), 4)
    usage = _(
        "Format: /hearing <name>; <date and time>; <court or place>[; notes]\n"
        "Example: /hearing Saule Bekova; 03.12.2026 10:00; Medeu district court; closed"
    )
    if not name or not when_text or not place or len(name) > MAX_NAME_LENGTH:
        await message.reply_text(usage)
        return
    services = context.services
    when = await hearing_time(message, context, when_text)
    if when is None:
        return

    async def record(chosen: str) -> None:
        created = await services.hearings.create(actor, chosen, when, place, notes)
        text = _(
            "Hearing #{id} recorded: {name}, {time}. Subscribers are being told.",
            id=created.id,
            name=created.person_name,
            time=_.datetime(created.starts_at, services.settings.timezone),
        )
        await message.reply_text(text)

    if await confirm_name(update, context, name, record):
        await record(name)


async def hearings(update: Update, context: DabylContext) -> None:
    """/hearings [name]"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    name = argument_text(message)
    found, person = await context.services.hearings.upcoming(name)
    if name and person is None:
        await message.reply_text(_("Nobody called {name} has been reported.", name=name[:200]))
        return
    if not found:
        await message.reply_text(_("No hearings ahead."))
        return
    zone = context.services.settings.timezone
    lines = [_("Hearings ahead:")]
    for item in found:
        closed = " " + _("(closed-door)") if item.closed else ""
        attending = _.plural("{count} will attend", "{count} will attend", item.attendee_count)
        lines.append(
            f"#{item.id} · {_.datetime(item.starts_at, zone)} · {item.person_name} · "
            f"{item.place}{closed} · {attending}"
        )
    await reply_lines(message, lines, html=False)


async def move_hearing(update: Update, context: DabylContext) -> None:
    """/move_hearing <id>; <new date and time>"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    raw_id, when_text = split_fields(argument_text(message), 2)
    hearing_id = report_id_of(raw_id)
    if hearing_id is None or not when_text:
        await message.reply_text(
            _(
                "Format: /move_hearing <hearing id>; <new date and time>\n"
                "Example: /move_hearing 4; 05.12.2026 15:00"
            )
        )
        return
    services = context.services
    when = await hearing_time(message, context, when_text)
    if when is None:
        return
    result = await services.hearings.move(context.actor, hearing_id, when)  # type: ignore[arg-type]
    await message.reply_text(hearing_outcome(_, result.status, hearing_id, "moved"))


async def cancel_hearing(update: Update, context: DabylContext) -> None:
    """/cancel_hearing <id>"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    hearing_id = report_id_of(argument_text(message))
    if hearing_id is None:
        await message.reply_text(
            _("Format: /cancel_hearing <hearing id>\nExample: /cancel_hearing 4")
        )
        return
    result = await context.services.hearings.cancel(context.actor, hearing_id)  # type: ignore[arg-type]
    await message.reply_text(hearing_outcome(_, result.status, hearing_id, "cancelled"))


def hearing_outcome(_: Translator, status: HearingStatus, hearing_id: int, change: str) -> str:
    if status == HearingStatus.NOT_FOUND:
        return _("There is no hearing #{id}.", id=hearing_id)
    if status == HearingStatus.NOT_SCHEDULED:
        return _("Hearing #{id} is cancelled or over.", id=hearing_id)
    if status == HearingStatus.UNCHANGED:
        return _("Hearing #{id} is already at that time.", id=hearing_id)
    if change == "moved":
        return _("Hearing #{id} moved; subscribers are being told.", id=hearing_id)
    return _("Hearing #{id} cancelled; subscribers are being told.", id=hearing_id)


async def attend(update: Update, context: DabylContext) -> None:
    """/attend <id> and /unattend <id>"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    attending = (message.text or "").split()[0][1:].split("@")[0].lower() == "attend"
    hearing_id = report_id_of(argument_text(message))
    if hearing_id is None:
        command = "attend" if attending else "unattend"
        await message.reply_text(
            _("Format: /{command} <hearing id>\nExample: /{command} 4", command=command)
        )
        return
    result = await context.services.hearings.attend(actor, hearing_id, attending)
    if result.status in (HearingStatus.NOT_FOUND, HearingStatus.NOT_SCHEDULED):
        text = _("There is no upcoming hearing #{id}. See /upcoming.", id=hearing_id)
    elif attending:
        text = _(
            "Thank you. You will be reminded 2 hours before. Nobody sees who attends, only "
            "how many."
        )
    else:
        text = _("Noted: you will not be counted for hearing #{id}.", id=hearing_id)
    await message.reply_text(text, parse_mode=ParseMode.HTML)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("hearing", hearing),
        CommandHandler("hearings", hearings),
        CommandHandler("move_hearing", move_hearing),
        CommandHandler("cancel_hearing", cancel_hearing),
        CommandHandler(["attend", "unattend"], attend),
    ]
