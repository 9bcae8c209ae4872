"""One-message reports (/detained, /released, /health, /broadcast) and their receipts."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import DabylContext
from bot.i18n import Translator
from bot.people import MAX_NAME_LENGTH
from bot.reports import (
    MAX_DETAILS_LENGTH,
    MAX_PLACE_LENGTH,
    Draft,
    Problem,
    Submission,
    SubmitStatus,
    check,
)
from handlers.common import argument_text, split_fields
from handlers.names import confirm_name
from storage.reports import ReportKind


def formats(_: Translator) -> dict[ReportKind, str]:
    """The exact format of each one-line report, with an example."""
    return {
        ReportKind.DETENTION: _(
            "Format: /detained <name>; <place>[; <details>]\n"
            "Example: /detained Aigerim Nurlanovna; Abay square, Almaty; taken into a police van"
        ),
        ReportKind.RELEASE: _(
            "Format: /released <name>[; <details>]\n"
            "Example: /released Aigerim Nurlanovna; released without charge"
        ),
        ReportKind.HEALTH: _(
            "Format: /health <name>; <details>\n"
            "Example: /health Daniyar Sarsenbayev; day 12 of hunger strike"
        ),
        ReportKind.BROADCAST: _(
            "Format: /broadcast <text>\n"
            "Example: /broadcast Hearing moved to 15:00, Medeu district court"
        ),
    }


def problem_reason(_: Translator, problem: Problem) -> str:
    """Why a report was refused, in one sentence."""
    reasons = {
        Problem.NAME_MISSING: _("Whom is this about? The name is missing."),
        Problem.NAME_TOO_LONG: _(
            "The name is too long (at most {n} characters).", n=MAX_NAME_LENGTH
        ),
        Problem.PLACE_MISSING: _("Where did it happen? The place is missing."),
        Problem.PLACE_TOO_LONG: _(
            "The place is too long (at most {n} characters).", n=MAX_PLACE_LENGTH
        ),
        Problem.DETAILS_MISSING: _("The details are missing."),
        Problem.DETAILS_TOO_LONG: _(
            "The details are too long (at most {n} characters).", n=MAX_DETAILS_LENGTH
        ),
    }
    return reasons[problem]


def problem_text(_: Translator, problem: Problem, kind: ReportKind) -> str:
    """Why a report was refused, followed by its format."""
    usage = formats(_).get(kind, "")
    nothing = _("Nothing was saved.")
    return f"{problem_reason(_, problem)} {nothing}\n{usage}".strip()


def receipt(_: Translator, submission: Submission, context: DabylContext) -> str:
    """What the reporter is told: the report number and what happens next."""
    report = submission.report
    zone = context.services.settings.timezone
    if submission.status == SubmitStatus.DUPLICATE:
        original = submission.original
        assert original is not None
        matches = _.plural(
            "Thank you. This matches report #{original} from {time}, which now has {count} report.",
            "Thank you. This matches report #{original} from {time}, which now has {count} "
            "reports.",
            original.corroborations,
            original=original.id,
            time=_.datetime(original.reported_at, zone),
        )
        if submission.confirmed_original:
            sent = _("Your report confirms it: it is being sent to subscribers now.")
            return f"{matches} {sent}"
        return matches + " " + _("No second alert is sent.")
    head = _(
        "Report #{id} received at {time}.", id=report.id, time=_.datetime(report.reported_at, zone)
    )
    if submission.status == SubmitStatus.PENDING:
        text = (
            head
            + " "
            + _("It is waiting for a coordinator to verify it; you will be told the outcome.")
        )
    else:
        text = head + " " + _("It is being sent to subscribers now.")
    if report.kind == ReportKind.DETENTION:
        text += "\n" + _("What to do next: /guide friend")
    return text


async def submit(update: Update, context: DabylContext, draft: Draft) -> bool:
    """Check and store a draft, then send the receipt (shared with the guided /report).

    Returns:
        Whether the report was stored.
    """
    _, chat = context.tr, update.effective_chat
    assert chat is not None
    problem = check(draft)
    if problem is not None:
        await chat.send_message(problem_text(_, problem, draft.kind))
        return False
    if draft.person_id is None and draft.kind != ReportKind.BROADCAST:

        async def resume(name: str) -> None:
            await store(update, context, replace(draft, name=name))

        if not await confirm_name(update, context, draft.name, resume):
            return False
    await store(update, context, draft)
    return True


async def store(update: Update, context: DabylContext, draft: Draft) -> None:
    """Store a checked draft and send the receipt."""
    _, chat = context.tr, update.effective_chat
    assert chat is not None
    assert context.actor is not None
    submission = await context.services.reports.submit(context.actor, draft)
    await chat.send_message(receipt(_, submission, context))


async def detained(update: Update, context: DabylContext) -> None:
    """/detained <name>; <place>[; <details>]"""
    message = update.effective_message
    assert message is not None
    name, place, details = split_fields(argument_text(message), 3)
    draft = Draft(
        ReportKind.DETENTION,
        name=name,
        place=place,
        details=details,
        place_required=True,
        sent_at=message.date,
    )
    await submit(update, context, draft)


async def released(update: Update, context: DabylContext) -> None:
    """/released <name>[; <details>]"""
    message = update.effective_message
    assert message is not None
    name, details = split_fields(argument_text(message), 2)
    draft = Draft(ReportKind.RELEASE, name=name, details=details, sent_at=message.date)
    await submit(update, context, draft)


async def health(update: Update, context: DabylContext) -> None:
    """/health <name>; <details>"""
    message = update.effective_message
    assert message is not None
    name, details = split_fields(argument_text(message), 2)
    draft = Draft(ReportKind.HEALTH, name=name, details=details, sent_at=message.date)
    await submit(update, context, draft)


async def broadcast(update: Update, context: DabylContext) -> None:
    """/broadcast <text>"""
    message = update.effective_message
    assert message is not None
    await submit(update, context, Draft(ReportKind.BROADCAST, details=argument_text(message)))


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler("detained", detained),
        CommandHandler("released", released),
        CommandHandler("health", health),
        CommandHandler("broadcast", broadcast),
    ]
