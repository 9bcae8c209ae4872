"""Everything no feature handler took: unknown commands, plain text, stickers, media."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import DabylContext
from handlers.common import command_of


async def fallback(update: Update, context: DabylContext) -> None:
    """A short pointer to /help; the message itself is neither echoed nor kept."""
    message, _ = update.effective_message, context.tr
    assert message is not None
    command = command_of(message)
    if command is not None:
        text = _("I don't know /{command}. See /help for what you can do.", command=command[:32])
    elif context.actor is None:
        text = _("Send /start to join.")
    else:
        text = _("I understand commands only. See /help for what you can do.")
    await message.reply_text(text)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [MessageHandler(filters.UpdateType.MESSAGE, fallback)]
