"""/subscribe and /unsubscribe: alerts on and off for oneself."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext


async def subscribe(update: Update, context: DabylContext) -> None:
    """Turn alerts on."""
    assert context.actor is not None  # the gate lets only subscribers and up through
    changed = await context.services.accounts.set_subscribed(context.actor, True)
    _ = context.tr
    text = (
        _("Alerts are on. You will be told when something happens.")
        if changed
        else _("Alerts were already on.")
    )
    await update.effective_message.reply_text(text)  # type: ignore[union-attr]


async def unsubscribe(update: Update, context: DabylContext) -> None:
    """Turn alerts off."""
    assert context.actor is not None
    changed = await context.services.accounts.set_subscribed(context.actor, False)
    _ = context.tr
    text = (
        _("Alerts are off. Send /subscribe to turn them back on.")
        if changed
        else _("Alerts were already off.")
    )
    await update.effective_message.reply_text(text)  # type: ignore[union-attr]


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("subscribe", subscribe), CommandHandler("unsubscribe", unsubscribe)]
