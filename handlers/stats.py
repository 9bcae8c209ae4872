"""/stats [months]: detentions, releases and hearings per week, as a chart."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext
from bot.stats import DEFAULT_MONTHS, MAX_MONTHS, caption, chart_png
from handlers.common import argument_text


async def stats(update: Update, context: DabylContext) -> None:
    """/stats [months]"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    raw = argument_text(message)
    if raw and not (raw.isdigit() and 1 <= int(raw) <= MAX_MONTHS):
        await message.reply_text(
            _("Format: /stats [months], 1 to {max}\nExample: /stats 6", max=MAX_MONTHS)
        )
        return
    counts = await context.services.agenda.weekly(int(raw) if raw else DEFAULT_MONTHS)
    png = await asyncio.to_thread(chart_png, counts, _)  # ~0.2 s of drawing off the event loop
    await message.reply_photo(InputFile(png, filename="stats.png"), caption=caption(counts, _))


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("stats", stats)]
