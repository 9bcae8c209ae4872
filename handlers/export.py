"""/export [<from>; <to>][; with reporters]: CSV and JSON files of the network's events."""

from __future__ import annotations

from datetime import date

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext
from bot.dates import DateError, parse_date
from bot.keywords import Concept, keyword
from handlers.common import argument_text, split_fields
from handlers.hearings import date_problem


async def export(update: Update, context: DabylContext) -> None:
    """Send the events of a period as two files."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    fields = [f for f in split_fields(argument_text(message), 3) if f]
    reporters = bool(fields) and keyword(Concept.REPORTERS, fields[-1]) == "with reporters"
    if reporters:
        fields.pop()
    if len(fields) not in (0, 2):
        await message.reply_text(
            _(
                "Format: /export [<from>; <to>][; with reporters]\n"
                "Example: /export 01.01.2026; 31.03.2026"
            )
        )
        return
    services = context.services
    period: list[date] = []
    try:
        for text in fields:
            period.append(
                parse_date(text, now=services.clock.now(), zone=services.settings.timezone)
            )
    except DateError as error:
        await message.reply_text(date_problem(_, error, with_time=False))
        return
    start, end = (period[0], period[1]) if period else (None, None)
    result = await services.exports.export(actor, start, end, reporters=reporters)
    if result is None:
        await message.reply_text(_("Only admins may export who reported what."))
        return
    name = f"dabyl-events-{start or 'all'}-{end or 'now'}"
    if result.practice:
        name = f"PRACTICE-{name}"
    caption = _.plural("{count} event.", "{count} events.", result.count)
    # Exports hold everything coordinators see: Telegram refuses to forward or save them.
    await message.reply_document(
        InputFile(result.csv, filename=f"{name}.csv"), caption=caption, protect_content=True
    )
    await message.reply_document(
        InputFile(result.json, filename=f"{name}.json"), protect_content=True
    )


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("export", export)]
