"""/burn (a seized phone: drop the person silently) and /panic (delete the database, exit)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler

from bot.burn import BurnOutcome, BurnResult
from bot.context import DabylContext
from bot.i18n import translator
from bot.keywords import Concept, keyword
from bot.panic import CONFIRM_WITHIN
from handlers.common import argument_text
from handlers.menu import role_name
from storage.users import User

logger = logging.getLogger(__name__)


async def burn(update: Update, context: DabylContext) -> None:
    """Burn someone's access; the other coordinators are told, the person is not."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None and actor is not None
    target_ref = argument_text(message)
    result = await context.services.burns.burn(actor, target_ref)
    name = result.target.display if result.target else target_ref
    replies = {
        BurnOutcome.BAD_TARGET: _(
            "Format: /burn <user id or @username>\nExample: /burn @daniyar_s"
        ),
        BurnOutcome.NOT_FOUND: _("Nobody called {name} uses this bot.", name=name),
        BurnOutcome.ALREADY: _("{name} is already burned.", name=name),
        BurnOutcome.SELF: _("You cannot burn yourself."),
        BurnOutcome.NOT_ALLOWED: _("Sorry, you cannot burn {name}.", name=name),
    }
    if result.outcome in replies:
        await message.reply_text(replies[result.outcome])
        return
    await message.reply_text(
        _(
            "{name} is burned: no role, no alerts, unused invites voided ({count}). The bot now"
            " answers them as if it did not know their commands; they were not told.",
            name=name,
            count=result.invites_voided,
        )
    )
    await _tell_coordinators(context, actor, result)


async def _tell_coordinators(context: DabylContext, actor: User, result: BurnResult) -> None:
    """Every other coordinator and admin learns of it; not forwardable, not savable."""
    assert result.target is not None
    for user in result.tell:
        _ = translator(user.language)
        text = _(
            "⚠️ {actor} burned {name} ({role}): their phone may be in other hands. Treat any"
            " message from that account with suspicion.",
            actor=actor.display,
            name=result.target.display,
            role=role_name(_, result.target.role),
        )
        try:
            await context.bot.send_message(user.telegram_id, text, protect_content=True)
        except TelegramError as error:  # blocked or gone: the others are still told
            logger.warning("Could not tell user %d about a burn: %s", user.telegram_id, error)


async def panic(update: Update, context: DabylContext) -> None:
    """/panic arms it; /panic confirm within a minute deletes the database and stops the bot."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None and actor is not None
    argument = argument_text(message)
    service = context.services.panic
    if argument == "":
        service.arm(actor)
        await message.reply_text(
            _(
                "⚠️ This deletes the whole database (members, reports, hearings) and stops the"
                " bot. It cannot be undone here: only a backup kept elsewhere brings it back."
                "\nTo go ahead, send /panic confirm within {seconds} seconds.",
                seconds=int(CONFIRM_WITHIN.total_seconds()),
            )
        )
        return
    if keyword(Concept.CONFIRM, argument) is None:
        await message.reply_text(_("Format: /panic, then /panic confirm"))
        return
    if not service.confirm(actor):
        await message.reply_text(_("Nothing was deleted: send /panic first, then /panic confirm."))
        return
    await service.wipe()
    try:
        await message.reply_text(_("The database is deleted. The bot stops now."))
    except TelegramError as error:  # the deletion stands either way
        logger.warning("Could not confirm the panic: %s", error)
    service.stop()


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("burn", burn), CommandHandler("panic", panic)]
