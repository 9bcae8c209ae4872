"""On the release day coordinators are asked "Was <name> released?"; nothing changes by itself."""

from __future__ import annotations

import logging
from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.i18n import translator
from bot.settings import Settings
from storage.people import Person
from storage.users import UserRepository

logger = logging.getLogger(__name__)

RELEASED, NOT_YET = "release:yes:", "release:no:"


class TelegramReleaseAsker:
    """Sends the question with Released / Not yet buttons to each coordinator."""

    def __init__(self, bot: Bot, users: UserRepository, settings: Settings) -> None:
        self._bot = bot
        self._users = users
        self._settings = settings

    async def ask_release(self, person: Person, to: list[int]) -> None:
        for chat_id in to:
            user = await self._users.get(chat_id)
            _ = translator(user.language if user else self._settings.default_language)
            released = InlineKeyboardButton(_("🕊 Released"), callback_data=f"{RELEASED}{person.id}")
            not_yet = InlineKeyboardButton(_("Not yet"), callback_data=f"{NOT_YET}{person.id}")
            text = _("Was {name} released today?", name=escape(person.name))
            try:
                await self._bot.send_message(
                    chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=InlineKeyboardMarkup([[released, not_yet]]),
                    protect_content=True,  # for coordinators only
                )
            except TelegramError as error:  # timeouts too: the others are still asked
                logger.warning("Could not ask about the release of person %d: %s", person.id, error)
