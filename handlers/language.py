"""/lang: the language the bot speaks to you (Қазақша, Русский, English)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import DabylContext
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, language_named
from handlers.common import argument_text, edit_pressed
from handlers.menu import refresh_menu

CHOOSE = "lang:"


def _buttons() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=f"{CHOOSE}{code}")]
         for code in LANGUAGES]
    )  # fmt: skip


async def lang(update: Update, context: DabylContext) -> None:
    """/lang shows the three buttons; /lang ru (or русский, қазақша, english) switches at once."""
    message, _ = update.effective_message, context.tr
    assert message is not None
    typed = argument_text(message)
    if not typed:
        await message.reply_text(
            _("Choose the language I speak to you in:"), reply_markup=_buttons()
        )
        return
    language = language_named(typed)
    if language is None:
        await message.reply_text(
            _("I speak Kazakh, Russian and English. For example: /lang ru"),
            reply_markup=_buttons(),
        )
        return
    await message.reply_text(await _switch(context, language))


async def chosen(update: Update, context: DabylContext) -> None:
    """A language button was pressed."""
    query = update.callback_query
    assert query is not None
    language = (query.data or "").removeprefix(CHOOSE)
    await query.answer()
    if language not in LANGUAGES:
        return
    await edit_pressed(query, await _switch(context, language))


async def _switch(context: DabylContext, language: str) -> str:
    """Store the choice, give the person's command menu the new language, and confirm in it."""
    assert context.actor is not None  # the gate lets only subscribers and up through
    user = await context.services.accounts.set_language(context.actor, language)
    context.actor = user
    await refresh_menu(context.bot, user.telegram_id, user.role, user.language, pinned=True)
    return context.tr("From now on I will write to you in English.")


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("lang", lang),
        CallbackQueryHandler(chosen, pattern=f"^{CHOOSE}"),
    ]
