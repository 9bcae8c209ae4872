"""/invite member|coordinator: a single-use deep link that grants a role."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext
from bot.keywords import Concept, keyword
from bot.roles import Role
from handlers.common import argument_text
from handlers.menu import role_name


async def invite(update: Update, context: DabylContext) -> None:
    """Create an invite and reply with its link and code."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None and actor is not None
    role = Role.parse(keyword(Concept.ROLE, argument_text(message)) or "")
    if role not in (Role.MEMBER, Role.COORDINATOR):
        await message.reply_text(
            _("Format: /invite member or /invite coordinator\nExample: /invite member")
        )
        return
    created = await context.services.invites.create(actor, role)
    if created is None:
        await message.reply_text(_("Sorry, you cannot invite a {role}.", role=role_name(_, role)))
        return
    link = f"https://t.me/{context.bot.username}?start={created.code}"
    await message.reply_text(
        _(
            "Invite for a {role}, valid once until {expires}:\n{link}\n\nCode: {code}\n"
            "Send it privately; whoever opens it first gets the role.",
            role=role_name(_, role),
            expires=_.datetime(created.expires_at, context.services.settings.timezone),
            link=link,
            code=created.code,
        ),
        disable_web_page_preview=True,
    )


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("invite", invite)]
