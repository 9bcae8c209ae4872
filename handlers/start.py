"""/start (join, or redeem an invite) and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.accounts import Registration
from bot.context import DabylContext
from bot.invites import RedeemOutcome
from bot.roles import Role
from handlers.common import sender_of
from handlers.menu import help_text, refresh_menu, role_name


async def start(update: Update, context: DabylContext) -> None:
    """Join the network, or redeem the invite code after /start."""
    sender, message = sender_of(update), update.effective_message
    assert sender is not None and message is not None
    if context.args:
        await _redeem(update, context, context.args[0])
        return
    outcome, user = await context.services.accounts.register(sender)
    context.actor = user
    _ = context.tr
    if outcome == Registration.INVITE_NEEDED:
        await message.reply_text(
            _("This network is invite-only. Ask a coordinator for an invite link, then open it.")
        )
        return
    greeting = _("Welcome to Dabyl!") if outcome == Registration.CREATED else _("Welcome back!")
    assert user is not None
    await message.reply_text(f"{greeting}\n\n{help_text(_, user.role)}")
    if user.role > Role.SUBSCRIBER:
        await refresh_menu(context.bot, user.telegram_id, user.role, user.language)


async def _redeem(update: Update, context: DabylContext, code: str) -> None:
    sender, message = sender_of(update), update.effective_message
    assert sender is not None and message is not None
    result = await context.services.invites.redeem(sender, code)
    context.actor = result.user
    _ = context.tr
    replies = {
        RedeemOutcome.UNKNOWN: _(
            "This invite code is not valid. Check the link, or ask for a new one."
        ),
        RedeemOutcome.USED: _("This invite has already been used. Ask for a new one."),
        RedeemOutcome.EXPIRED: _("This invite has expired. Ask for a new one."),
    }
    if result.outcome in replies:
        await message.reply_text(replies[result.outcome])
        return
    assert result.user is not None and result.role is not None
    if result.outcome == RedeemOutcome.ALREADY:
        text = _(
            "You already are: {role}. The invite is left unused.", role=role_name(_, result.role)
        )
    else:
        text = _("Welcome! You are now: {role}.", role=role_name(_, result.role))
        await refresh_menu(
            context.bot, result.user.telegram_id, result.user.role, result.user.language
        )
    await message.reply_text(f"{text}\n\n{help_text(_, result.user.role)}")


async def help_command(update: Update, context: DabylContext) -> None:
    """The commands this person may use, nothing more."""
    role = context.actor.role if context.actor else Role.NONE
    await update.effective_message.reply_text(help_text(context.tr, role))  # type: ignore[union-attr]


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("start", start), CommandHandler("help", help_command)]
