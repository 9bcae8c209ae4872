"""Small helpers shared by the handlers."""

from __future__ import annotations

from telegram import Message, Update

from bot.accounts import Sender


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
