"""/forget: delete my account, after a Delete / Keep confirmation."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import DabylContext
from bot.i18n import Translator
from bot.retention import ForgetOutcome
from bot.roles import Role
from handlers.common import edit_pressed
from handlers.menu import refresh_menu

PREFIX = "forget:"
DELETE, KEEP = f"{PREFIX}delete", f"{PREFIX}keep"


def _refusal(_: Translator, outcome: ForgetOutcome) -> str | None:
    if outcome == ForgetOutcome.NOT_REGISTERED:
        return _("The bot has no account of yours. Nothing was deleted.")
    if outcome == ForgetOutcome.CONFIGURED_ADMIN:
        return _(
            "You are an admin from ADMIN_IDS: your next message would make you admin again. "
            "Ask whoever runs the bot to remove your id from ADMIN_IDS and restart it, "
            "then send /forget."
        )
    return None


async def forget(update: Update, context: DabylContext) -> None:
    """Ask before deleting the sender's account."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    if actor is None:
        await message.reply_text(_refusal(_, ForgetOutcome.NOT_REGISTERED) or "")
        return
    if actor.telegram_id in context.services.settings.admin_ids:
        await message.reply_text(_refusal(_, ForgetOutcome.CONFIGURED_ADMIN) or "")
        return
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("🗑 Delete"), callback_data=DELETE),
                InlineKeyboardButton(_("Keep"), callback_data=KEEP),
            ]
        ]
    )
    await message.reply_text(
        _(
            "Delete your account? The bot forgets your id, name, username, subscription, "
            "the people you follow and the hearings you said you would attend. Reports you "
            "sent stay, without your name. This cannot be undone."
        ),
        reply_markup=buttons,
    )


async def pressed(update: Update, context: DabylContext) -> None:
    """Delete or Keep under the /forget question."""
    query, actor, _ = update.callback_query, context.actor, context.tr
    assert query is not None
    await query.answer()
    if query.data != DELETE:
        await edit_pressed(query, _("Nothing was deleted. Your account stays."))
        return
    outcome = await context.services.retention.forget(actor)
    refusal = _refusal(_, outcome)
    if refusal is not None:
        await edit_pressed(query, refusal)
        return
    assert actor is not None
    await refresh_menu(context.bot, actor.telegram_id, Role.SUBSCRIBER, actor.language)
    await edit_pressed(
        query, _("Your account is deleted. Send /start if you ever want to join again.")
    )


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("forget", forget),
        CallbackQueryHandler(pressed, pattern=f"^{PREFIX}"),
    ]
