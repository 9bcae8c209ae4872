"""/sentence, /release_date, and the "Was she released?" buttons."""

from __future__ import annotations

import re
from datetime import date

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import DabylContext
from bot.court_text import term_text
from bot.dates import DateError, parse_date
from bot.i18n import Translator
from bot.people import MAX_NAME_LENGTH
from bot.release_check import NOT_YET, RELEASED
from bot.reports import Draft
from bot.terms import TermError, parse_term
from handlers.common import argument_text, report_id_of, split_fields
from handlers.hearings import date_problem
from handlers.names import confirm_name
from handlers.reports import submit
from storage.reports import ReportKind

CREDIT = re.compile(r"^(?:credit|зач[её]т|есеп)\s+(\d{1,5})(?:\s+\S+)?$", re.IGNORECASE)


def sentence_usage(_: Translator) -> str:
    return _(
        "Format: /sentence <name>; <term>[; <start date>][; credit <N> days]\n"
        "Example: /sentence Saule Bekova; 2y 6m; 01.03.2026; credit 45 days\n"
        "Terms: 10 days, 15 суток, 7 years, 7y, 2y 6m, 18 months (m = months)."
    )


async def sentence(update: Update, context: DabylContext) -> None:
    """/sentence <name>; <term>[; <start date>][; credit <N> days]"""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    name, typed_term, *extra = split_fields(argument_text(message), 4)
    if not name or not typed_term or len(name) > MAX_NAME_LENGTH:
        await message.reply_text(sentence_usage(_))
        return
    services = context.services
    start: date | None = None
    credit = 0
    try:
        term = parse_term(typed_term)
        for field in filter(None, extra):
            match = CREDIT.match(field)
            if match:
                credit = int(match.group(1))
            else:
                now, zone = services.clock.now(), services.settings.timezone
                start = parse_date(field, now=now, zone=zone, past=True)  # began already
    except TermError:
        await message.reply_text(term_problem(_))
        return
    except DateError as error:
        await message.reply_text(date_problem(_, error, with_time=False))
        return

    async def record(chosen: str) -> None:
        try:
            done = await services.sentences.sentence(actor, chosen, term, start, credit)
        except TermError:  # a credit longer than the term
            await message.reply_text(term_problem(_))
            return
        await message.reply_text(
            _(
                "Sentence recorded for {name}: {term} from {start}. Expected release: {release}. "
                "Subscribers are being told; reminders are planned.",
                name=done.person.name,
                term=term_text(_, term),
                start=_.date(done.start),
                release=_.date(done.release),
            )
        )

    if await confirm_name(update, context, name, record):
        await record(name)


def term_problem(_: Translator) -> str:
    return _("I cannot read that term. Nothing was saved.") + "\n" + sentence_usage(_)


async def release_date(update: Update, context: DabylContext) -> None:
    """/release_date <name>; <date>"""
    message, _ = update.effective_message, context.tr
    assert message is not None
    name, date_text = split_fields(argument_text(message), 2)
    if not name or not date_text:
        await message.reply_text(
            _(
                "Format: /release_date <name>; <date>\n"
                "Example: /release_date Saule Bekova; 15.03.2026"
            )
        )
        return
    services = context.services
    try:
        day = parse_date(date_text, now=services.clock.now(), zone=services.settings.timezone)
    except DateError as error:
        await message.reply_text(date_problem(_, error, with_time=False))
        return
    person = await services.sentences.set_release_date(context.actor, name, day)  # type: ignore[arg-type]
    if person is None:
        await message.reply_text(_("Nobody called {name} has been reported.", name=name[:200]))
        return
    await message.reply_text(
        _("Release date of {name} set to {date}.", name=person.name, date=_.date(day))
    )


async def release_answer(update: Update, context: DabylContext) -> None:
    """Released (records a release and announces it) or Not yet (ask again tomorrow)."""
    query, _ = update.callback_query, context.tr
    assert query is not None
    data = query.data or ""
    person_id = report_id_of(data.rsplit(":", 1)[-1])
    person = await context.services.people.get(person_id) if person_id else None
    if person is None:
        await query.answer()
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if data.startswith(RELEASED):
        await submit(update, context, Draft(ReportKind.RELEASE, person_id=person.id))
        return
    when = await context.services.reminders.ask_again_tomorrow(person)
    await update.effective_chat.send_message(  # type: ignore[union-attr]
        _(
            "Noted. I will ask again at {time}.",
            time=_.datetime(when, context.services.settings.timezone),
        )
    )


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("sentence", sentence),
        CommandHandler("release_date", release_date),
        CallbackQueryHandler(release_answer, pattern=f"^({RELEASED}|{NOT_YET})"),
    ]
