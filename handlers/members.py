"""/members and /revoke: who has a role, and taking it away."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.accounts import RevokeOutcome
from bot.context import DabylContext
from handlers.common import argument_text
from handlers.menu import refresh_menu, role_name


async def members(update: Update, context: DabylContext) -> None:
    """List members, coordinators and admins."""
    _ = context.tr
    people = await context.services.accounts.members()
    lines = [_("Members and coordinators:")]
    lines += [f"• {p.display} — {role_name(_, p.role)} (id {p.telegram_id})" for p in people]
    # The membership list is for coordinators' eyes only: no forwarding, no saving.
    await update.effective_message.reply_text(  # type: ignore[union-attr]
        "\n".join(lines), protect_content=True
    )


async def revoke(update: Update, context: DabylContext) -> None:
    """Take a member's or coordinator's role away."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None and actor is not None
    target_ref = argument_text(message)
    result = await context.services.accounts.revoke(actor, target_ref)
    name = result.target.display if result.target else target_ref
    replies = {
        RevokeOutcome.BAD_TARGET: _(
            "Format: /revoke <user id or @username>\nExample: /revoke @daniyar_s"
        ),
        RevokeOutcome.NOT_FOUND: _("Nobody called {name} uses this bot.", name=name),
        RevokeOutcome.NOT_PRIVILEGED: _("{name} has no role to revoke.", name=name),
        RevokeOutcome.NOT_ALLOWED: _("Sorry, you cannot revoke {name}.", name=name),
        RevokeOutcome.CONFIGURED_ADMIN: _(
            "{name} is an admin from ADMIN_IDS and cannot be revoked here.", name=name
        ),
        RevokeOutcome.SELF: _("You cannot revoke yourself."),
    }
    if result.outcome in replies:
        await message.reply_text(replies[result.outcome])
        return
    assert result.target is not None and result.new_role is not None
    await refresh_menu(
        context.bot, result.target.telegram_id, result.new_role, result.target.language
    )
    await message.reply_text(
        _("{name} is now: {role}.", name=name, role=role_name(_, result.new_role))
    )


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("members", members), CommandHandler("revoke", revoke)]
