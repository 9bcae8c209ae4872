"""/checkin, /safe, the "I'm safe" button, and /checkins for the coordinators."""

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
    Listed,
    Question,
    SafeOutcome,
    Started,
    plan,
    safe_keyboard,
    time_left,
)
from bot.context import DabylContext
from bot.i18n import Translator
from bot.text import chunks
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


def _clock(_: Translator, moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    """``18:30``; with the date when it is not today."""
    same_day = moment.astimezone(zone).date() == now.astimezone(zone).date()
    return _.time(moment, zone) if same_day else _.datetime(moment, zone)


def _moment(_: Translator, moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    """``18:30 (in 2 hours)``; with the date when it is not today."""
    return _(
        "{time} (in {left})", time=_clock(_, moment, zone, now), left=time_left(_, moment - now)
    )


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


def _safe_text(_: Translator, outcome: SafeOutcome) -> str:
    if outcome == SafeOutcome.ENDED:
        return _("Glad you are safe. Your check-in is over; nobody will be alerted.")
    if outcome == SafeOutcome.AFTER_ALERT:
        return _(
            "Glad you are safe. Your check-in had already run out, so the coordinators were "
            "alerted; they are being told now that you checked in."
        )
    return _("You have no check-in running.")


async def safe(update: Update, context: DabylContext) -> None:
    """/safe (open to every role: see the command table)"""
    message = update.effective_message
    assert message is not None
    outcome = await context.services.checkins.safe(context.actor)
    await message.reply_text(_safe_text(context.tr, outcome))


async def safe_button(update: Update, context: DabylContext) -> None:
    """ "I'm safe" under a confirmation or a "still OK?" question."""
    query, _ = update.callback_query, context.tr
    assert query is not None
    checkin_id = int((query.data or "").removeprefix(SAFE_PREFIX))
    outcome = await context.services.checkins.safe(context.actor, checkin_id)
    if outcome == SafeOutcome.NOT_RUNNING:
        await query.answer(_("This check-in is no longer running."), show_alert=True)
        return
    text = _safe_text(_, outcome)
    await query.answer()
    await query.edit_message_reply_markup(None)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text)


def _question(_: Translator, entry: Listed, zone: ZoneInfo, now: datetime) -> str:
    checkin = entry.checkin
    if entry.question == Question.ASKED and checkin.warned_at is not None:
        return _("“Still OK?” asked at {time}.", time=_clock(_, checkin.warned_at, zone, now))
    if entry.question == Question.LATER and checkin.warn_at is not None:
        return _("“Still OK?” will be asked at {time}.", time=_clock(_, checkin.warn_at, zone, now))
    if entry.question == Question.WITHHELD:
        return _("Burned: not asked “Still OK?”, and /safe from that phone is ignored.")
    return _("Not asked “Still OK?”: set for less than 20 minutes.")


def listed_text(_: Translator, entry: Listed, zone: ZoneInfo, now: datetime) -> str:
    """One check-in of /checkins, several lines (kept together in one message)."""
    checkin = entry.checkin
    who = escape(entry.member.display if entry.member else _("a member the bot no longer knows"))
    set_at = _clock(_, checkin.set_at, zone, now)
    if entry.alerted and checkin.alerted_at is not None:
        lines = [
            "🆘 <b>" + _("ALERTED: {who}", who=who) + "</b>",
            _(
                "Ran out at {time} ({ago} ago); set at {set_at}.",
                time=_clock(_, checkin.due_at, zone, now),
                ago=time_left(_, now - checkin.due_at),
                set_at=set_at,
            ),
            _(
                "The coordinators were alerted at {time}; no “I'm safe” since.",
                time=_clock(_, checkin.alerted_at, zone, now),
            ),
        ]
    else:
        lines = [
            f"⏳ <b>{who}</b>",
            _(
                "Runs out at {when}; set at {set_at}.",
                when=_moment(_, checkin.due_at, zone, now),
                set_at=set_at,
            ),
            _question(_, entry, zone, now),
        ]
    return "\n".join([*lines, *_details(_, checkin)])


async def checkins(update: Update, context: DabylContext) -> None:
    """/checkins: every running check-in and every unanswered alert, for the coordinators."""
    message, _ = update.effective_message, context.tr
    assert message is not None
    services = context.services
    zone, now = services.settings.timezone, services.clock.now()
    listed = await services.checkins.listing()
    if not listed:
        await message.reply_text(
            _("No check-in is running, and no check-in alert of the last 24 hours is unanswered.")
        )
        return
    # Each check-in is one "line" of chunks(): never split across two messages.
    parts = [_("<b>Check-ins</b>, soonest due first:")]
    parts += ["\n" + listed_text(_, entry, zone, now) for entry in listed]
    # Who is out at a rally, and where, is for the coordinators' eyes only: no forwarding.
    for text in chunks(parts):
        await message.reply_text(text, parse_mode=ParseMode.HTML, protect_content=True)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("checkin", checkin),
        CommandHandler("safe", safe),
        CommandHandler("checkins", checkins),
        CallbackQueryHandler(safe_button, pattern=rf"^{SAFE_PREFIX}\d+$"),
    ]
