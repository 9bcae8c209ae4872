"""Coordinators decide: Confirm / Reject buttons, /verify, /reject and /retract."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.alert_text import state_label
from bot.context import DabylContext
from bot.i18n import N_, Translator
from bot.notifier import CONFIRM, REJECT
from bot.reports import MAX_DETAILS_LENGTH, Decision, DecisionStatus
from handlers.common import argument_text, report_id_of, split_fields
from storage.reports import ReportState

USAGE = {
    "verify": N_("Format: /verify <report id>\nExample: /verify 12"),
    "reject": N_("Format: /reject <report id>[; <reason>]\nExample: /reject 12; the photo is old"),
    "retract": N_("Format: /retract <report id>; <reason>\nExample: /retract 12; a false alarm"),
}


def outcome_text(_: Translator, action: str, report_id: int, result: Decision) -> str:
    """How a decision reads to the coordinator who made it."""
    report = result.report
    if result.status == DecisionStatus.NOT_FOUND:
        return _("There is no report #{id}.", id=report_id)
    if result.status == DecisionStatus.OWN_REPORT:
        return _(
            "You cannot decide on your own report #{id}; another coordinator must.", id=report_id
        )
    if result.status == DecisionStatus.NOT_SENT:
        return _("Report #{id} has not been sent; use /reject {id} instead.", id=report_id)
    if result.status == DecisionStatus.ALREADY_DECIDED:
        state = state_label(_, report.state) if report else "?"
        return _("Report #{id} was already handled ({state}).", id=report_id, state=state)
    if action == "reject":
        return _("Report #{id} rejected. The reporter has been told.", id=report_id)
    if action == "retract":
        return _(
            "Report #{id} retracted. A correction is being sent to everyone who got it.",
            id=report_id,
        )
    assert report is not None
    if report.state == ReportState.CONFIRMED:
        return _("Report #{id} confirmed. The alert is being sent.", id=report_id)
    return _("Report #{id}: {state}.", id=report_id, state=state_label(_, report.state))


async def decide(update: Update, context: DabylContext) -> None:
    """/verify, /reject and /retract."""
    message, actor, _ = update.effective_message, context.actor, context.tr
    assert message is not None
    assert actor is not None
    action = (message.text or "/").split()[0][1:].split("@")[0].lower()
    raw_id, reason = split_fields(argument_text(message), 2)
    report_id = report_id_of(raw_id)
    if report_id is None or (action == "retract" and not reason):
        await message.reply_text(_(USAGE[action]))
        return
    if len(reason) > MAX_DETAILS_LENGTH:
        # The reason goes into the correction and to the reporter; past this it may not fit
        # in one Telegram message, and the correction would fail for everyone.
        too_long = _("The reason is too long (at most {n} characters).", n=MAX_DETAILS_LENGTH)
        nothing = _("Nothing was saved.")
        await message.reply_text(f"{too_long} {nothing}\n{_(USAGE[action])}")
        return
    reports = context.services.reports
    if action == "verify":
        result = await reports.confirm(report_id, actor)
    elif action == "reject":
        result = await reports.reject(report_id, actor, reason)
    else:
        result = await reports.retract(report_id, actor, reason)
    await message.reply_text(outcome_text(_, action, report_id, result))


async def pressed(update: Update, context: DabylContext) -> None:
    """A Confirm or Reject button on a verification request."""
    query, actor, _ = update.callback_query, context.actor, context.tr
    assert query is not None
    assert actor is not None
    data = query.data or ""
    action = "verify" if data.startswith(CONFIRM) else "reject"
    report_id = report_id_of(data.rsplit(":", 1)[-1])
    if report_id is None:
        await query.answer()
        return
    reports = context.services.reports
    if action == "verify":
        result = await reports.confirm(report_id, actor)
    else:
        result = await reports.reject(report_id, actor)
    await query.answer(outcome_text(_, action, report_id, result), show_alert=False)


def handlers() -> list[BaseHandler[Update, DabylContext, None]]:
    return [
        CommandHandler(["verify", "reject", "retract"], decide),
        CallbackQueryHandler(pressed, pattern=f"^({CONFIRM}|{REJECT})"),
    ]
