"""Small helpers shared by the handlers."""

from __future__ import annotations

import re
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.accounts import Sender
from bot.text import chunks
from storage.reports import Media


def sender_of(update: Update) -> Sender | None:
    """The Telegram identity behind ``update``, or None for updates without a user."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return Sender(
        telegram_id=user.id,
        username=user.username,
        first_name=user.first_name,
        language_code=user.language_code,
    )


async def edit_pressed(query: CallbackQuery, text: str, **kwargs: Any) -> None:
    """Edit the message under a pressed button to ``text`` (``kwargs`` as for
    ``edit_message_text``).

    Pressing the same button again (a double tap, or an old message that already shows the
    result) edits the message to what it already says, which Telegram refuses with "message is
    not modified": nothing needs doing then.
    """
    try:
        await query.edit_message_text(text, **kwargs)
    except BadRequest as error:
        if "message is not modified" not in error.message.lower():
            raise


def command_of(message: Message | None) -> str | None:
    """The command a message starts with (``/invite@dabyl_bot x`` -> ``invite``), else None."""
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    entities = message.entities or ()
    if not entities or entities[0].type != "bot_command" or entities[0].offset != 0:
        return None
    word = message.text[1 : entities[0].length]
    return word.split("@", 1)[0].lower()


def argument_text(message: Message) -> str:
    """Everything after the command word, stripped."""
    parts = (message.text or "").split(maxsplit=1)  # "/cmd args" or "/cmd\nargs" from a phone
    return parts[1].strip() if len(parts) > 1 else ""


_SEPARATOR = re.compile(r"\s*[;\n]\s*")


def split_fields(text: str, count: int) -> list[str]:
    """Split ``text`` into at most ``count`` fields at ``;`` or new lines.

    The last field is everything after the previous separator, so details may contain ``;``.
    Missing fields come back as empty strings.
    """
    parts = _SEPARATOR.split(text.strip(), maxsplit=count - 1) if text.strip() else []
    return [part.strip() for part in parts] + [""] * (count - len(parts))


def report_id_of(text: str) -> int | None:
    """A report id written ``12`` or ``#12``."""
    match = re.fullmatch(r"#?(\d{1,9})", text.strip())
    return int(match.group(1)) if match else None


def media_of(message: Message) -> Media | None:
    """The photo (largest size), voice note or video in ``message``, if any."""
    if message.photo:
        return Media("photo", message.photo[-1].file_id)
    if message.voice is not None:
        return Media("voice", message.voice.file_id)
    if message.video is not None:
        return Media("video", message.video.file_id)
    return None


async def reply_lines(message: Message, lines: list[str], *, html: bool = True) -> None:
    """Reply with as many messages as Telegram's length limit needs, split between lines."""
    for text in chunks(lines):
        await message.reply_text(text, parse_mode=ParseMode.HTML if html else None)
