"""The one error handler: log unexpected exceptions once, tell the person, keep serving."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import NetworkError

from bot.context import DabylContext

logger = logging.getLogger(__name__)


async def on_error(update: object, context: DabylContext) -> None:
    """Log the failure with the update id (never the message text) and apologise."""
    error = context.error
    if not isinstance(update, Update):
        if isinstance(error, NetworkError):  # polling hiccup: PTB retries by itself
            logger.warning("Network problem while talking to Telegram: %s", type(error).__name__)
        else:
            logger.error("Unexpected error outside an update", exc_info=error)
        return
    logger.error("Unexpected error while handling update %s", update.update_id, exc_info=error)
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    try:
        await context.bot.send_message(
            chat.id,
            context.tr(
                "Sorry, something went wrong on our side. Please try again; if it keeps "
                "happening, tell a coordinator."
            ),
        )
    except NetworkError as send_error:  # the apology is best effort; the error is logged above
        logger.warning("Could not send the apology for update %s: %s", update.update_id, send_error)
