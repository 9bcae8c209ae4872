"""The gate every update passes first: private chats only, who is this, may they run this?

Access is decided here, once, for every command (see ``bot/commands.py``); the feature handlers
after the gate never check roles themselves.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.access import Decision
from bot.commands import command_for_callback
from bot.context import DabylContext
from handlers.common import command_of, sender_of


async def gate(update: Update, context: DabylContext) -> None:
    """Drop what the bot ignores, identify the sender, refuse commands above their role."""
    chat = update.effective_chat
    sender = sender_of(update)
    if chat is None or chat.type != ChatType.PRIVATE or sender is None:
        raise ApplicationHandlerStop  # groups and channels only receive alerts
    if update.edited_message is not None:
        raise ApplicationHandlerStop  # an edited command is not run again
    if not await context.services.updates.first_time(
        update.update_id, context.services.clock.now()
    ):
        raise ApplicationHandlerStop  # re-delivered after a crash: already applied
    context.actor = await context.services.accounts.identify(sender)
    query = update.callback_query
    if query is not None:
        command = command_for_callback(query.data or "")
        if command is None:
            await query.answer()
            raise ApplicationHandlerStop  # a button from an older version of the bot
    else:
        command = command_of(update.message)
    if command is None:
        return
    decision = await context.services.access.check(context.actor, command)
    if decision in (Decision.ALLOWED, Decision.UNKNOWN_COMMAND):
        return  # unknown commands are answered by the fallback handler
    _ = context.tr
    if decision == Decision.NOT_REGISTERED:
        text = _("Send /start first to join.")
    else:
        text = _("Sorry, /{command} is not available to you. See /help.", command=command)
    if query is not None:
        await query.answer(text, show_alert=True)
    else:
        await update.effective_message.reply_text(text)  # type: ignore[union-attr]
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [TypeHandler(Update, gate)]
