"""A location, photo, voice note or video sent right after a report is attached to it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import DabylContext
from bot.reports import AttachStatus
from handlers.common import media_of
from handlers.fallback import fallback


async def attach(update: Update, context: DabylContext) -> None:
    """Attach to the sender's report of the last 10 minutes, if there is one."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    if actor is None:
        await fallback(update, context)
        return
    location = message.location
    result = await context.services.reports.attach(
        actor,
        media=media_of(message),
        location=(location.latitude, location.longitude) if location else None,
    )
    if result.status == AttachStatus.NO_REPORT:
        await fallback(update, context)  # not right after a report
        return
    assert result.report is not None
    if result.status == AttachStatus.ADDED:
        text = _("Added to report #{id}; it goes out with it once verified.", id=result.report.id)
    else:
        text = _("Added to report #{id} and sent after it.", id=result.report.id)
    await message.reply_text(text)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    kinds = filters.LOCATION | filters.PHOTO | filters.VOICE | filters.VIDEO
    return [MessageHandler(kinds & filters.UpdateType.MESSAGE, attach)]
