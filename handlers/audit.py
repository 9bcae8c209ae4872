"""/audit [n]: the last entries of the audit trail (admins)."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext
from bot.text import chunks
from handlers.common import argument_text

DEFAULT_ENTRIES, MAX_ENTRIES = 20, 100


async def audit(update: Update, context: DabylContext) -> None:
    """/audit [n]"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    raw = argument_text(message)
    if raw and not (raw.isdigit() and 1 <= int(raw) <= MAX_ENTRIES):
        await message.reply_text(
            _("Format: /audit [n], 1 to {max}\nExample: /audit 50", max=MAX_ENTRIES)
        )
        return
    entries = await context.services.audit.recent(int(raw) if raw else DEFAULT_ENTRIES)
    if not entries:
        await message.reply_text(_("The audit log is empty."))
        return
    zone = context.services.settings.timezone
    lines = [_("<b>Audit log</b>, newest first (people by pseudonym):")]
    for entry in entries:
        parts = [_.datetime(entry.at, zone), entry.actor or "—", entry.action]
        parts += [part for part in (entry.target, entry.detail) if part]
        lines.append(escape(" · ".join(parts)))
    # Admins only: who did what, and when. Not forwardable, not savable from the phone.
    for text in chunks(lines):
        await message.reply_text(text, parse_mode=ParseMode.HTML, protect_content=True)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CommandHandler("audit", audit)]
