"""The gate every update passes first: private chats only, who is this, may they run this?

Access is decided here, once, for every command (see ``bot/commands.py``); the feature handlers
after the gate never check roles themselves.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.access import Decision
from bot.accounts import Sender
from bot.commands import command_for_callback
from bot.context import DabylContext
from bot.flood import Verdict
from bot.i18n import language_of, translator
from handlers.common import command_of, sender_of
from handlers.fallback import fallback


async def gate(update: Update, context: DabylContext) -> None:
    """Drop what the bot ignores, identify the sender, refuse commands above their role."""
    chat = update.effective_chat
    sender = sender_of(update)
    if chat is None or chat.type != ChatType.PRIVATE or sender is None:
        raise ApplicationHandlerStop  # groups and channels only receive alerts
    if update.edited_message is not None:
        raise ApplicationHandlerStop  # an edited command is not run again
    await _limit(update, context, sender)
    if not await context.services.updates.first_time(
        update.update_id, context.services.clock.now()
    ):
        raise ApplicationHandlerStop  # re-delivered after a crash: already applied
    context.actor = await context.services.accounts.identify(sender)
    if context.services.access.ignores(context.actor):
        await _answer_as_unknown(update, context)
        raise ApplicationHandlerStop  # burned: no handler runs, nothing is stored
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


async def _answer_as_unknown(update: Update, context: DabylContext) -> None:
    """Answer a burned person exactly as anyone is answered for an unknown command or button,
    so nothing shows that they were burned."""
    if update.callback_query is not None:
        await update.callback_query.answer()  # as for a button from an older version
    elif update.message is not None:
        await fallback(update, context)


async def _limit(update: Update, context: DabylContext, sender: Sender) -> None:
    """One account may not flood the bot: past the limit, one "slow down", then silence.

    Counted before anything is read or written, so a flood costs no database work.
    """
    verdict = context.services.flood.check(sender.telegram_id)
    if verdict is Verdict.OK:
        return
    if verdict is Verdict.WARN:
        # In the language of their Telegram app: the stored choice would cost a database read.
        language = language_of(sender.language_code) or context.services.settings.default_language
        _ = translator(language)
        text = _("You are sending messages too fast. Please wait a minute and send again.")
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await update.effective_chat.send_message(text)  # type: ignore[union-attr]
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [TypeHandler(Update, gate)]
