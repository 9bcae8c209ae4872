"""/guide: what to do if you are detained, and if a friend is."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import DabylContext
from bot.guide import GUIDES, guide_path, render_guide
from bot.keywords import Concept, keyword
from handlers.common import argument_text

PREFIX = "guide:"
# The guide each /guide keyword (bot.keywords, any language) opens.
GUIDE_OF = {"detained": "detained", "friend": "friend_detained"}


async def send_guide(update: Update, context: DabylContext, name: str) -> None:
    """Send one guide in the reader's language, in as many messages as it needs."""
    chat = update.effective_chat
    assert chat is not None
    language = (
        context.actor.language if context.actor else context.services.settings.default_language
    )
    markdown = guide_path(name, language).read_text(encoding="utf-8")
    for part in render_guide(markdown):
        await chat.send_message(part, parse_mode=ParseMode.HTML, disable_web_page_preview=True)


async def guide(update: Update, context: DabylContext) -> None:
    """/guide [detained|friend]"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    choice = GUIDE_OF.get(keyword(Concept.GUIDE, argument_text(message)) or "")
    if choice is not None:
        await send_guide(update, context, choice)
        return
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("If you are detained"), callback_data=f"{PREFIX}detained")],
            [
                InlineKeyboardButton(
                    _("If a friend is detained"), callback_data=f"{PREFIX}friend_detained"
                )
            ],
        ]
    )
    await message.reply_text(_("Which guide?"), reply_markup=buttons)


async def chosen(update: Update, context: DabylContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    name = (query.data or "").removeprefix(PREFIX)
    if name in GUIDES:
        await send_guide(update, context, name)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("guide", guide),
        CallbackQueryHandler(chosen, pattern=f"^{PREFIX}"),
    ]
