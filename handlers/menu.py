"""How the command table is shown: /help text and Telegram's command menu per role."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden
from telegram.ext import ExtBot

from bot.commands import commands_for
from bot.i18n import LANGUAGES, Translator, translator
from bot.roles import Role

logger = logging.getLogger(__name__)


def role_name(_: Translator, role: Role) -> str:
    """The role as people read it."""
    names = {
        Role.NONE: _("no access"),
        Role.SUBSCRIBER: _("subscriber"),
        Role.MEMBER: _("member"),
        Role.COORDINATOR: _("coordinator"),
        Role.ADMIN: _("admin"),
    }
    return names[role]


def help_text(_: Translator, role: Role) -> str:
    """What the bot is for and the commands ``role`` may use, one per line."""
    lines = [
        _("Dabyl alerts the network when someone is detained, tried or released."),
        _("You are: {role}.", role=role_name(_, role)),
        _(
            "Chats with a bot are not end-to-end encrypted: Telegram can read them. "
            "Write here only what you would be ready for others to read."
        ),
        "",
    ]
    for command in commands_for(role):
        usage = f" {_(command.usage)}" if command.usage else ""
        lines.append(f"/{command.name}{usage} — {_(command.description)}")
    return "\n".join(lines)


def menu(_: Translator, role: Role) -> list[BotCommand]:
    """Telegram's command menu for ``role``."""
    return [BotCommand(c.name, _(c.description)) for c in commands_for(role)]


async def set_default_menu(bot: ExtBot[None], language: str) -> None:
    """The menu everyone sees until their role gives them a longer one: in Kazakh, Russian or
    English by the language of their Telegram app, else in ``language`` (``DEFAULT_LANGUAGE``)."""
    scope = BotCommandScopeDefault()
    await bot.set_my_commands(menu(translator(language), Role.SUBSCRIBER), scope)
    for code in LANGUAGES:
        await bot.set_my_commands(
            menu(translator(code), Role.SUBSCRIBER), scope, language_code=code
        )


async def refresh_menu(
    bot: ExtBot[None], chat_id: int, role: Role, language: str, *, pinned: bool = False
) -> None:
    """Give one private chat the menu of its role (members and up see more commands).

    ``pinned``: the person chose their language with /lang, so even a subscriber gets a menu of
    their own, in that language, rather than the one that follows their Telegram app's language.
    """
    scope = BotCommandScopeChat(chat_id)
    try:
        if role > Role.SUBSCRIBER or pinned:
            await bot.set_my_commands(menu(translator(language), role), scope)
        else:
            await bot.delete_my_commands(scope)
    except (BadRequest, Forbidden) as error:  # the chat is gone or blocked us: the menu can wait
        logger.warning("Could not update the command menu of a chat: %s", error)
