"""/checkin, /safe and the "I'm safe" button."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.checkins import (
    MAX_NOTE_LENGTH,
    MAX_WHERE_LENGTH,
    SAFE_PREFIX,
    CheckinError,
    CheckinProblem,
    Started,
    plan,
    safe_keyboard,
    time_left,
)
from bot.context import DabylContext
from bot.i18n import Translator
from handlers.common import argument_text, split_fields
from storage.checkins import Checkin


def problem_text(_: Translator, problem: CheckinProblem) -> str:
    """Why a /checkin was refused, the format, an example, and that nothing was saved."""
    reasons = {
        CheckinProblem.NOT_A_TIME: _("I cannot read that time."),
        CheckinProblem.TOO_SHORT: _("A check-in must run at least 5 minutes."),
        CheckinProblem.TOO_LONG: _("A check-in can run at most 24 hours."),
        CheckinProblem.WHERE_TOO_LONG: _(
            "The place is too long (at most {n} characters).", n=MAX_WHERE_LENGTH
        ),
        CheckinProblem.NOTE_TOO_LONG: _(
            "The note is too long (at most {n} characters).", n=MAX_NOTE_LENGTH
        ),
    }
    return "\n".join((reasons[problem] + " " + _("Nothing was saved."), usage(_)))


def usage(_: Translator) -> str:
    return _(
        "Format: /checkin <duration or time>[; <where>; <note>]\n"
        "Example: /checkin 2h; Republic Square; going to the rally\n"
        "A duration like 30m, 2h, 1h30m, 2ч or 2 сағ, or a time like 18:30."
    )


def _moment(_: Translator, moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    """``18:30 (in 2 hours)``; with the date when it is not today."""
    same_day = moment.astimezone(zone).date() == now.astimezone(zone).date()
    written = _.time(moment, zone) if same_day else _.datetime(moment, zone)
    return _("{time} (in {left})", time=written, left=time_left(_, moment - now))


def _details(_: Translator, checkin: Checkin) -> list[str]:
    lines = []
    if checkin.where:
        lines.append(_("Where: {place}", place=escape(checkin.where)))
    if checkin.note:
        lines.append(_("Note: {note}", note=escape(checkin.note)))
    return lines


def _safe_button(_: Translator, checkin: Checkin) -> InlineKeyboardMarkup:
    rows = safe_keyboard(_, checkin.id)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows]
    )


def confirmation(_: Translator, started: Started, zone: ZoneInfo, now: datetime) -> str:
    checkin = started.checkin
    lines = [
        _(
            "✅ Check-in set. If you have not checked in by {when}, the coordinators will be "
            "alerted. Press “I'm safe” or send /safe when you are.",
            when=_moment(_, checkin.due_at, zone, now),
        ),
        *_details(_, checkin),
    ]
    if checkin.warn_at is not None:
        lines.append(_("I will ask “Still OK?” 10 minutes before."))
    if started.replaced is not None:
        lines.append(
            _(
                "This replaces your previous check-in (until {time}).",
                time=_.datetime(started.replaced.due_at, zone),
            )
        )
    return "\n".join(lines)


async def checkin(update: Update, context: DabylContext) -> None:
    """/checkin [<duration or time>[; <where>; <note>]]"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    services = context.services
    zone, now = services.settings.timezone, services.clock.now()
    text = argument_text(message)
    if not text:
        running = await services.checkins.running(actor.telegram_id)
        if running is None:
            await message.reply_text(_("You have no check-in running.") + "\n" + usage(_))
            return
        lines = [
            _("Your check-in runs out at {when}.", when=_moment(_, running.due_at, zone, now)),
            *_details(_, running),
        ]
        markup = _safe_button(_, running)
        await message.reply_text("\n".join(lines), reply_markup=markup, parse_mode=ParseMode.HTML)
        return
    when, where, note = split_fields(text, 3)
    try:
        checked = plan(when, where, note, now=now, zone=zone)
    except CheckinError as error:
        await message.reply_text(problem_text(_, error.problem))
        return
    started = await services.checkins.start(actor, checked)
    await message.reply_text(
        confirmation(_, started, zone, now),
        reply_markup=_safe_button(_, started.checkin),
        parse_mode=ParseMode.HTML,
    )


def _glad(_: Translator) -> str:
    return _("Glad you are safe. Your check-in is over; nobody will be alerted.")


async def safe(update: Update, context: DabylContext) -> None:
    """/safe"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    checkins = context.services.checkins
    if await checkins.end(actor.telegram_id):
        await message.reply_text(_glad(_))
    elif await checkins.safe_after_alert(actor):
        await message.reply_text(_safe_after_alert(_))
    else:
        await message.reply_text(_("You have no check-in running."))


async def safe_button(update: Update, context: DabylContext) -> None:
    """ "I'm safe" under a confirmation or a "still OK?" question."""
    query, actor, _ = update.callback_query, context.actor, context.tr
    assert query is not None
    assert actor is not None
    checkin_id = int((query.data or "").removeprefix(SAFE_PREFIX))
    checkins = context.services.checkins
    if await checkins.end(actor.telegram_id, checkin_id):
        text = _glad(_)
    elif await checkins.safe_after_alert(actor, checkin_id):
        text = _safe_after_alert(_)
    else:
        await query.answer(_("This check-in is no longer running."), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text)


def _safe_after_alert(_: Translator) -> str:
    return _(
        "Glad you are safe. Your check-in had already run out, so the coordinators were alerted; "
        "they are being told now that you checked in."
    )


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("checkin", checkin),
        CommandHandler("safe", safe),
        CallbackQueryHandler(safe_button, pattern=rf"^{SAFE_PREFIX}\d+$"),
    ]
