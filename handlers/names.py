"""Before a report, hearing or sentence creates a person: did you mean someone already known?

A name typed exactly as recorded (or new to the bot) goes straight through. A name that only
resembles known people (another script, a typo, an initial) is not guessed: the bot asks with a
button per candidate and one for a new person, then carries on with the choice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import DabylContext
from bot.roles import Role

PREFIX = "name:"
PENDING = "name_choice"
CANDIDATES = 3

Resume = Callable[[str], Awaitable[None]]


async def confirm_name(update: Update, context: DabylContext, typed: str, resume: Resume) -> bool:
    """True if the caller may go on with ``typed`` now; False if the person is being asked."""
    directory = context.services.directory
    reader = context.actor.role if context.actor else Role.NONE
    if not typed.strip() or await directory.exact(typed, reader) is not None:
        return True
    matches = (await directory.search(typed, reader))[:CANDIDATES]
    if not matches:
        return True  # nobody like this yet: a new person
    _ = context.tr
    context.user_data[PENDING] = ([m.name for m in matches], typed, resume)  # type: ignore[index]
    rows = [
        [InlineKeyboardButton(m.name[:60], callback_data=f"{PREFIX}{index}")]
        for index, m in enumerate(matches)
    ]
    new = _("New person: {name}", name=typed[:40])
    rows.append([InlineKeyboardButton(new, callback_data=f"{PREFIX}new")])
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(
        _("Did you mean someone already known? Nothing was saved yet."),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return False


async def chosen(update: Update, context: DabylContext) -> None:
    """A candidate or "New person" pressed: carry on with that name."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    pending = context.user_data.pop(PENDING, None)  # type: ignore[union-attr]
    if pending is None:
        return  # already answered, or the bot restarted in between: type the command again
    names, typed, resume = pending
    choice = (query.data or "").removeprefix(PREFIX)
    name = names[int(choice)] if choice.isdigit() and int(choice) < len(names) else typed
    await query.edit_message_reply_markup(None)
    await resume(name)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [CallbackQueryHandler(chosen, pattern=rf"^{PREFIX}(\d+|new)$")]
