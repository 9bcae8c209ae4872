"""The guided /report: kind → who → where → details → preview, with buttons for a shaking hand.

At most five taps: a kind, a recent name, Skip, Skip, Send. The draft lives in ``user_data``
until it is sent; nothing reaches the database before Send.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from datetime import timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.alert_text import kind_label, media_label
from bot.checkins import REPORT_PREFIX
from bot.context import DabylContext
from bot.i18n import Translator
from bot.reports import Draft, Problem, check
from handlers.common import edit_pressed, media_of
from handlers.reports import problem_reason, submit
from storage.reports import ReportKind

KIND, WHO, WHERE, DETAILS, PREVIEW = range(5)
PREFIX = "report:"
DRAFT = "report_draft"
KINDS = (ReportKind.DETENTION, ReportKind.RELEASE, ReportKind.HEALTH, ReportKind.OTHER)
# What each step can get wrong; that step is asked again rather than the draft lost at Send.
NAME_PROBLEMS = (Problem.NAME_MISSING, Problem.NAME_TOO_LONG)
PLACE_PROBLEMS = (Problem.PLACE_TOO_LONG,)
DETAILS_PROBLEMS = (Problem.DETAILS_MISSING, Problem.DETAILS_TOO_LONG)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=f"{PREFIX}{data}")


def _cancel_row(_: Translator) -> list[InlineKeyboardButton]:
    return [_button(_("Cancel"), "cancel")]


def _draft(context: DabylContext) -> Draft:
    draft: Draft = context.user_data[DRAFT]  # type: ignore[index]
    return draft


def _keep(context: DabylContext, draft: Draft) -> None:
    context.user_data[DRAFT] = draft  # type: ignore[index]


async def _say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer a button press by editing its message; answer typed input with a new message."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await edit_pressed(query, text, reply_markup=markup, parse_mode=ParseMode.HTML)
    else:
        chat = update.effective_chat
        assert chat is not None
        await chat.send_message(text, reply_markup=markup, parse_mode=ParseMode.HTML)


async def _refused(
    update: Update, context: DabylContext, draft: Draft, problems: tuple[Problem, ...]
) -> bool:
    """Say what is wrong with the answer just given, if it is one of ``problems``."""
    problem = check(draft)
    if problem not in problems:
        return False
    _ = context.tr
    again = _("Try again, or /cancel.")
    text = f"{problem_reason(_, problem)} {again}"
    await _say(update, escape(text), InlineKeyboardMarkup([_cancel_row(_)]))
    return True


async def start(update: Update, context: DabylContext) -> int:
    """/report: what happened?"""
    _ = context.tr
    rows = [[_button(kind_label(_, kind), f"kind:{kind.value}")] for kind in KINDS]
    await _say(update, _("What happened?"), InlineKeyboardMarkup([*rows, _cancel_row(_)]))
    return KIND


async def chose_kind(update: Update, context: DabylContext) -> int:
    """Kind chosen: whom is it about?"""
    _ = context.tr
    kind = ReportKind(update.callback_query.data.rsplit(":", 1)[1])  # type: ignore[union-attr]
    _keep(context, Draft(kind))
    recent = await context.services.reports.recent_people()
    rows = [[_button(person.name[:60], f"who:{person.id}")] for person in recent]
    await _say(
        update,
        _("Who? Tap a name or type the full name."),
        InlineKeyboardMarkup([*rows, _cancel_row(_)]),
    )
    return WHO


async def _ask_where(update: Update, context: DabylContext) -> int:
    _ = context.tr
    markup = InlineKeyboardMarkup([[_button(_("Skip"), "skip")], _cancel_row(_)])
    await _say(update, _("Where? Type the place, share a location, or Skip."), markup)
    return WHERE


async def chose_person(update: Update, context: DabylContext) -> int:
    """A recent person tapped."""
    person_id = int(update.callback_query.data.rsplit(":", 1)[1])  # type: ignore[union-attr]
    _keep(context, replace(_draft(context), person_id=person_id))
    return await _ask_where(update, context)


async def typed_person(update: Update, context: DabylContext) -> int:
    """A name typed."""
    name = update.effective_message.text or ""  # type: ignore[union-attr]
    draft = replace(_draft(context), name=name)
    if await _refused(update, context, draft, NAME_PROBLEMS):
        return WHO
    _keep(context, draft)
    return await _ask_where(update, context)


async def _ask_details(update: Update, context: DabylContext) -> int:
    _ = context.tr
    markup = InlineKeyboardMarkup([[_button(_("Skip"), "skip")], _cancel_row(_)])
    text = _("Details? Type them, or send a photo, a voice note or a video, or Skip.")
    await _say(update, text, markup)
    return DETAILS


async def got_place(update: Update, context: DabylContext) -> int:
    """A place typed, a location shared, or Skip."""
    message, draft = update.effective_message, _draft(context)
    if update.callback_query is None and message is not None:
        if message.location is not None:
            location = message.location
            draft = replace(draft, latitude=location.latitude, longitude=location.longitude)
        else:
            draft = replace(draft, place=message.text or "")
    if await _refused(update, context, draft, PLACE_PROBLEMS):
        return WHERE
    _keep(context, draft)
    return await _ask_details(update, context)


async def got_details(update: Update, context: DabylContext) -> int:
    """Details typed, media sent, or Skip; then the preview."""
    message, draft = update.effective_message, _draft(context)
    if update.callback_query is None and message is not None:
        media = media_of(message)
        if media is not None:
            draft = replace(draft, media=(*draft.media, media), details=message.caption or "")
        else:
            draft = replace(draft, details=message.text or "")
    if await _refused(update, context, draft, DETAILS_PROBLEMS):
        return DETAILS
    _keep(context, draft)
    return await _preview(update, context, draft)


async def _preview(
    update: Update, context: DabylContext, draft: Draft, *, edit: bool = True
) -> int:
    """The draft as it will be sent, with Send and Cancel (a new message unless ``edit``)."""
    _ = context.tr
    name = draft.name
    if draft.person_id is not None:
        person = await context.services.people.get(draft.person_id)
        name = person.name if person else "?"
    lines = [f"<b>{escape(kind_label(_, draft.kind))}: {escape(name)}</b>"]
    if draft.place:
        lines.append(_("Where: {place}", place=escape(draft.place)))
    elif draft.latitude is not None:
        lines.append(_("Where: the shared location"))
    if draft.details:
        lines.append(_("Details: {details}", details=escape(draft.details[:500])))
    if draft.media:
        lines.append(_("Attached: {kind}.", kind=media_label(_, draft.media[0].kind)))
    markup = InlineKeyboardMarkup([[_button(_("Send"), "send"), _button(_("Cancel"), "cancel")]])
    text = _("Send this report?") + "\n\n" + "\n".join(lines)
    if edit:
        await _say(update, text, markup)
    else:
        chat = update.effective_chat
        assert chat is not None
        await chat.send_message(text, reply_markup=markup, parse_mode=ParseMode.HTML)
    return PREVIEW


async def from_checkin(update: Update, context: DabylContext) -> int:
    """ "Report as detained" under a check-in alert: a detention draft, straight to the preview.

    The preview is a new message, so the alert above it stays as it was.
    """
    query = update.callback_query
    assert query is not None
    await query.answer()
    checkin_id = int((query.data or "").removeprefix(REPORT_PREFIX))
    draft = await context.services.checkins.detention_draft(checkin_id)
    if draft is None:
        chat = update.effective_chat
        assert chat is not None
        await chat.send_message(context.tr("That check-in is no longer known."))
        return ConversationHandler.END
    _keep(context, draft)
    return await _preview(update, context, draft, edit=False)


async def send(update: Update, context: DabylContext) -> int:
    """Send: store the report and give the receipt."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    await submit(update, context, _draft(context))
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    return ConversationHandler.END


async def cancel(update: Update, context: DabylContext) -> int:
    """/cancel or the Cancel button, at any step."""
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    _ = context.tr
    if update.callback_query is not None:
        await _say(update, _("Cancelled. Nothing was saved."))
    else:
        await update.effective_message.reply_text(_("Cancelled. Nothing was saved."))  # type: ignore[union-attr]
    return ConversationHandler.END


async def expired(update: Update, context: DabylContext) -> None:
    """The draft was left alone too long; drop it."""
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]


TEXT = filters.TEXT & ~filters.COMMAND
MEDIA = filters.PHOTO | filters.VOICE | filters.VIDEO


def handlers() -> list[BaseHandler[Update, DabylContext, object]]:
    skip = f"^{PREFIX}skip$"
    with warnings.catch_warnings():
        # Buttons belong to the conversation of the person who pressed them, not to one message.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        conversation = ConversationHandler(
            entry_points=[
                CommandHandler("report", start),
                CallbackQueryHandler(from_checkin, pattern=rf"^{REPORT_PREFIX}\d+$"),
            ],
            states={
                KIND: [CallbackQueryHandler(chose_kind, pattern=f"^{PREFIX}kind:")],
                WHO: [
                    CallbackQueryHandler(chose_person, pattern=rf"^{PREFIX}who:\d+$"),
                    MessageHandler(TEXT, typed_person),
                ],
                WHERE: [
                    CallbackQueryHandler(got_place, pattern=skip),
                    MessageHandler(TEXT | filters.LOCATION, got_place),
                ],
                DETAILS: [
                    CallbackQueryHandler(got_details, pattern=skip),
                    MessageHandler(TEXT | MEDIA, got_details),
                ],
                PREVIEW: [CallbackQueryHandler(send, pattern=f"^{PREFIX}send$")],
                ConversationHandler.TIMEOUT: [MessageHandler(filters.ALL, expired)],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(cancel, pattern=f"^{PREFIX}cancel$"),
            ],
            conversation_timeout=timedelta(minutes=15),
            allow_reentry=True,
        )
    return [conversation]
