"""/follow, /unfollow, /following and /alerts."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext
from bot.following import FollowStatus
from bot.i18n import Translator
from bot.keywords import Concept, keyword
from handlers.common import argument_text


def which_one(_: Translator, names: tuple[str, ...], command: str) -> str:
    """Two people match closely: ask for the full name rather than guess."""
    listed = "\n".join(f"• {name}" for name in names)
    return _(
        "Which one do you mean?\n{names}\nSend /{command} with the full name.",
        names=listed,
        command=command,
    )


async def follow(update: Update, context: DabylContext) -> None:
    """/follow <name> and /unfollow <name>"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    command = (message.text or "/").split()[0][1:].split("@")[0].lower()
    name = argument_text(message)
    if command == "follow":
        usage = _("Format: /follow <name>\nExample: /follow Aigerim Nurlanovna")
        change = context.services.following.follow
    else:
        usage = _("Format: /unfollow <name>\nExample: /unfollow Aigerim Nurlanovna")
        change = context.services.following.unfollow
    if not name:
        await message.reply_text(usage)
        return
    result = await change(actor, name)
    if result.status == FollowStatus.UNKNOWN_PERSON:
        text = _("Nobody called {name} has been reported. Check the spelling.", name=name[:200])
    elif result.status == FollowStatus.CHOOSE:
        text = which_one(_, result.candidates, command)
    else:
        assert result.person is not None
        who, done = result.person.name, result.status == FollowStatus.DONE
        if command == "follow":
            text = (
                _("You now follow {name}.", name=who)
                if done
                else _("You already follow {name}.", name=who)
            )
        else:
            text = (
                _("You no longer follow {name}.", name=who)
                if done
                else _("You did not follow {name}.", name=who)
            )
    await message.reply_text(text)


async def following(update: Update, context: DabylContext) -> None:
    """/following"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    people = await context.services.following.following(actor)
    if not people:
        text = _("You follow nobody yet. Example: /follow Aigerim Nurlanovna")
    else:
        text = "\n".join([_("You follow:"), *(f"• {person.name}" for person in people)])
    if actor.alert_mode == "followed":
        text += "\n\n" + _("You receive alerts only about them (and announcements). /alerts all")
    await message.reply_text(text)


async def alerts(update: Update, context: DabylContext) -> None:
    """/alerts all|followed"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    mode = keyword(Concept.ALERTS, argument_text(message))
    if mode is None or not await context.services.following.set_mode(actor, mode):
        await message.reply_text(
            _("Format: /alerts all or /alerts followed\nExample: /alerts followed")
        )
        return
    if mode == "all":
        text = _("You will receive every alert.")
    else:
        text = _("You will receive alerts only about people you follow, and announcements.")
    await message.reply_text(text)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler(["follow", "unfollow"], follow),
        CommandHandler("following", following),
        CommandHandler("alerts", alerts),
    ]
