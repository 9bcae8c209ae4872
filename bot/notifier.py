"""One-off messages around verification: requests to coordinators, their edits, outcomes.

Alerts to subscribers go through the outbox; these go straight out, because a coordinator is
waiting for them, and a lost request is sent again by the escalation job.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.alert_text import report_html
from bot.i18n import Translator, translator
from bot.settings import Settings
from storage.people import PeopleRepository, Person
from storage.reports import Report, ReportRepository, ReportState
from storage.users import User, UserRepository

logger = logging.getLogger(__name__)

CONFIRM, REJECT = "verify:confirm:", "verify:reject:"


class TelegramNotifier:
    """Sends verification requests and outcomes with the application's bot."""

    def __init__(
        self,
        bot: Bot,
        reports: ReportRepository,
        people: PeopleRepository,
        users: UserRepository,
        settings: Settings,
    ) -> None:
        self._bot = bot
        self._reports = reports
        self._people = people
        self._users = users
        self._settings = settings

    def _for(self, user: User | None) -> Translator:
        return translator(user.language if user else self._settings.default_language)

    async def _request_text(self, _: Translator, report: Report, person: Person | None) -> str:
        reporter = await self._users.get(report.reporter_id) if report.reporter_id else None
        by = escape(reporter.display) if reporter else _("someone who left")
        head = _("Please verify this report from {reporter}:", reporter=by)
        return f"{head}\n\n{report_html(_, report, person, self._settings.timezone)}"

    async def ask_to_verify(
        self, report: Report, person: Person | None, to: list[User], *, waiting: bool
    ) -> None:
        """Send the report with Confirm / Reject buttons to each coordinator in ``to``."""
        for user in to:
            _ = self._for(user)
            text = await self._request_text(_, report, person)
            if waiting:
                text = _("⏳ Still waiting for verification.") + "\n" + text
            buttons = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            _("✅ Confirm"), callback_data=f"{CONFIRM}{report.id}"
                        ),
                        InlineKeyboardButton(_("❌ Reject"), callback_data=f"{REJECT}{report.id}"),
                    ]
                ]
            )
            try:
                # protect_content: a waiting report names its reporter and may be a false alarm;
                # Telegram then refuses to forward it or save it from a coordinator's phone.
                sent = await self._bot.send_message(
                    user.telegram_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=buttons,
                    protect_content=True,
                )
            except TelegramError as error:
                # Blocked, gone, or a timeout: the other coordinators must still be asked, and
                # the escalation job asks everyone again if nobody decides.
                logger.warning(
                    "Could not ask a coordinator to verify report %d: %s", report.id, error
                )
                continue
            await self._reports.add_verification_message(
                report.id, user.telegram_id, sent.message_id
            )

    async def close_verification(self, report: Report, decider: User) -> None:
        """Edit every coordinator's copy: who handled the report, and when; no more buttons."""
        person = await self._people.get(report.person_id) if report.person_id else None
        zone = self._settings.timezone
        for chat_id, message_id in await self._reports.verification_messages(report.id):
            _ = self._for(await self._users.get(chat_id))
            when = _.datetime(report.decided_at, zone) if report.decided_at else ""
            if report.state == ReportState.REJECTED:
                outcome = _("❌ Rejected by {name} at {time}.", name=decider.display, time=when)
            else:
                outcome = _("✅ Confirmed by {name} at {time}.", name=decider.display, time=when)
            text = await self._request_text(_, report, person)
            try:
                await self._bot.edit_message_text(
                    f"{text}\n\n{escape(outcome)}",
                    chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=ParseMode.HTML,
                )
            except TelegramError as error:  # deleted by the coordinator, or unchanged
                logger.info(
                    "Could not edit a verification request of report %d: %s", report.id, error
                )

    async def tell_reporter(self, report: Report) -> None:
        """Tell the reporter whether their report was confirmed or rejected."""
        if report.reporter_id is None:
            return
        reporter = await self._users.get(report.reporter_id)
        if reporter is not None and reporter.burned:
            return  # /burn: nothing more reaches a phone believed seized
        _ = self._for(reporter)
        if report.state == ReportState.REJECTED:
            text = _("Your report #{id} was rejected by a coordinator.", id=report.id)
            if report.decision_note:
                text += "\n" + _("Reason: {reason}", reason=report.decision_note)
        else:
            text = _(
                "Your report #{id} was verified and is being sent to subscribers.", id=report.id
            )
        try:
            await self._bot.send_message(report.reporter_id, text)
        except TelegramError as error:  # the decision stands; the reporter can ask
            logger.warning("Could not tell the reporter of report %d: %s", report.id, error)
