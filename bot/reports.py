"""Reports: submitting, verifying, rejecting, retracting, and what each does to the person."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from html import escape
from typing import Protocol

import aiosqlite

from bot.alert_text import kind_label, report_html
from bot.audience import Audience
from bot.clock import Clock
from bot.directory import recorded
from bot.i18n import Translator, render
from bot.people import MAX_NAME_LENGTH, Status, clean_name, match_key
from bot.reminders import ReminderService
from bot.roles import Role
from bot.settings import Settings
from bot.verification import Policy, initial_state, may_decide, verifiers
from storage.audit import AuditRepository
from storage.database import Database
from storage.outbox import DeliveryState, NewAlert, OutboxRepository
from storage.people import PeopleRepository, Person
from storage.reports import (
    LIVE_STATES,
    Media,
    NewReport,
    Report,
    ReportKind,
    ReportRepository,
    ReportState,
)
from storage.users import User, UserRepository

MAX_DETAILS_LENGTH = 2000
MAX_PLACE_LENGTH = 200
DUPLICATE_WINDOW = timedelta(hours=6)
ATTACH_WINDOW = timedelta(minutes=10)
RECENT_PEOPLE = 6


class Problem(enum.Enum):
    """Why a report was refused before anything was stored."""

    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"
    PLACE_MISSING = "place_missing"
    PLACE_TOO_LONG = "place_too_long"
    DETAILS_MISSING = "details_missing"
    DETAILS_TOO_LONG = "details_too_long"


@dataclass(frozen=True, slots=True)
class Draft:
    """A report as typed, before it is checked and stored."""

    kind: ReportKind
    name: str = ""
    place: str = ""
    details: str = ""
    latitude: float | None = None
    longitude: float | None = None
    media: tuple[Media, ...] = ()
    person_id: int | None = None  # chosen from the recent-people buttons
    place_required: bool = False  # the one-line /detained needs a place
    sent_at: datetime | None = None  # when Telegram says the message was sent


def check(draft: Draft) -> Problem | None:
    """The first problem with ``draft``, or None when it can be stored."""
    name = clean_name(draft.name)
    if draft.kind != ReportKind.BROADCAST and draft.person_id is None:
        if not name:
            return Problem.NAME_MISSING
        if len(name) > MAX_NAME_LENGTH:
            return Problem.NAME_TOO_LONG
    if draft.place_required and not draft.place.strip() and draft.latitude is None:
        return Problem.PLACE_MISSING
    if len(draft.place) > MAX_PLACE_LENGTH:
        return Problem.PLACE_TOO_LONG
    needs_details = draft.kind in (ReportKind.HEALTH, ReportKind.BROADCAST)
    if needs_details and not draft.details.strip() and not draft.media:
        return Problem.DETAILS_MISSING
    if len(draft.details) > MAX_DETAILS_LENGTH:
        return Problem.DETAILS_TOO_LONG
    return None


def status_effect(kind: ReportKind) -> Status | None:
    """What a verified report does to the person's status."""
    return {ReportKind.DETENTION: Status.DETAINED, ReportKind.RELEASE: Status.FREE}.get(kind)


class Notifier(Protocol):
    """Sends the one-off messages around verification (implemented in bot/notifier.py)."""

    async def ask_to_verify(
        self, report: Report, person: Person | None, to: list[User], *, waiting: bool
    ) -> None: ...

    async def close_verification(self, report: Report, decider: User) -> None: ...

    async def tell_reporter(self, report: Report) -> None: ...


class SubmitStatus(enum.Enum):
    PUBLISHED = "published"
    PENDING = "pending"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Submission:
    status: SubmitStatus
    report: Report
    original: Report | None = None  # for a duplicate: the report it corroborates
    confirmed_original: bool = False  # a coordinator's duplicate sent the waiting original


class DecisionStatus(enum.Enum):
    DONE = "done"
    NOT_FOUND = "not_found"
    ALREADY_DECIDED = "already_decided"
    OWN_REPORT = "own_report"
    NOT_SENT = "not_sent"  # retracting a report that never went out


@dataclass(frozen=True, slots=True)
class Decision:
    status: DecisionStatus
    report: Report | None = None


class AttachStatus(enum.Enum):
    ADDED = "added"  # the report waits for verification; it will carry this
    SENT = "sent"  # the report already went out; this follows it to the same people
    NO_REPORT = "no_report"


@dataclass(frozen=True, slots=True)
class Attachment:
    status: AttachStatus
    report: Report | None = None


class ReportService:
    """The rules of reporting; every change and the alert it causes commit together."""

    def __init__(
        self,
        db: Database,
        reports: ReportRepository,
        people: PeopleRepository,
        users: UserRepository,
        outbox: OutboxRepository,
        settings: Settings,
        clock: Clock,
        *,
        wake_sender: Callable[[], None],
        notifier: Notifier,
        reminders: ReminderService | None = None,
        audit: AuditRepository | None = None,
    ) -> None:
        self._db = db
        self._reports = reports
        self._people = people
        self._users = users
        self._outbox = outbox
        self._settings = settings
        self._clock = clock
        self._wake = wake_sender
        self._notifier = notifier
        self._reminders = reminders
        self._audit = audit
        self.policy = Policy(settings.verification)

    async def get(self, report_id: int) -> Report | None:
        return await self._reports.get(report_id)

    async def recent_people(self) -> list[Person]:
        """People reported most recently, for the guided report's buttons."""
        return await self._people.recently_reported(RECENT_PEOPLE)

    async def find_person(self, name: str) -> Person | None:
        """The person called ``name`` (or with that alias), if the bot knows them."""
        return await recorded(self._people, name)

    async def submit(self, reporter: User, draft: Draft) -> Submission:
        """Store a checked draft: as a corroboration, a pending report, or an alert at once."""
        assert check(draft) is None, "check() the draft first"
        now = self._clock.now()
        if draft.sent_at is not None:
            # The time of a report is when it was sent, even if the bot reads it later (after
            # downtime or a backlog); never later than the bot's own clock.
            now = min(now, draft.sent_at)
        person = await self._known_person(draft)
        if person is not None:
            original = await self._reports.earlier_live(
                person.id, draft.kind, now - DUPLICATE_WINDOW
            )
            if original is not None:
                submission = await self._corroborate(reporter, draft, original, now)
                # A report this reporter makes would go out at once, so it must not wait
                # behind the same report from someone less trusted: it confirms that one.
                trusted = initial_state(self.policy, reporter.role) == ReportState.CONFIRMED
                if original.state == ReportState.PENDING and trusted:
                    decision = await self.confirm(original.id, reporter)
                    if decision.status == DecisionStatus.DONE:
                        return replace(
                            submission, original=decision.report, confirmed_original=True
                        )
                return submission
        state = initial_state(self.policy, reporter.role)
        async with self._db.transaction() as conn:
            # A new name becomes a person in the same transaction as its first report.
            person_id = person.id if person else None
            if person is None and draft.kind != ReportKind.BROADCAST:
                person_id = await self._people.create_in(
                    conn, name=clean_name(draft.name), key=match_key(draft.name), now=now
                )
            report_id = await self._reports.insert_in(
                conn, self._new(draft, reporter, person_id, state, now)
            )
            for media in draft.media:
                await self._reports.add_media_in(conn, report_id, media, now)
            if person_id is not None:
                await self._people.touch_reported_in(conn, person_id, now)
            if state != ReportState.PENDING:
                # The delivery summary tells the network's size: coordinators only.
                leader = reporter.role >= Role.COORDINATOR
                summary_to = reporter.telegram_id if leader else None
                await self._publish_in(conn, report_id, summary_to=summary_to)
        report = await self._get(report_id)
        if draft.kind == ReportKind.BROADCAST:
            await self._record(reporter, "broadcast", report_id)
        if state == ReportState.PENDING:
            await self._ask(report, await self._person_of(report), waiting=False)
            return Submission(SubmitStatus.PENDING, report)
        self._wake()
        if state == ReportState.UNVERIFIED:  # sent already; coordinators still confirm it
            await self._ask(report, await self._person_of(report), waiting=False)
        return Submission(SubmitStatus.PUBLISHED, report)

    async def confirm(self, report_id: int, decider: User) -> Decision:
        """Confirm a pending report (it goes out) or an unverified one (a follow-up says so)."""
        report = await self._reports.get(report_id)
        if report is None or report.state == ReportState.DUPLICATE:
            return Decision(DecisionStatus.NOT_FOUND)
        if not may_decide(self.policy, decider, report.reporter_id):
            return Decision(DecisionStatus.OWN_REPORT, report)
        now = self._clock.now()
        async with self._db.transaction() as conn:
            done = await self._reports.decide_in(
                conn,
                report_id,
                from_states=(ReportState.PENDING, ReportState.UNVERIFIED),
                to_state=ReportState.CONFIRMED,
                by=decider.telegram_id,
                at=now,
            )
            if done and report.state == ReportState.PENDING:
                await self._publish_in(conn, report_id, summary_to=decider.telegram_id)
            elif done:
                await self._follow_up_in(conn, report, "confirmed", now)
        return await self._finish(report_id, decider, done)

    async def reject(self, report_id: int, decider: User, reason: str = "") -> Decision:
        """Reject a pending report; nothing is sent to subscribers."""
        report = await self._reports.get(report_id)
        if report is None or report.state == ReportState.DUPLICATE:
            return Decision(DecisionStatus.NOT_FOUND)
        if not may_decide(self.policy, decider, report.reporter_id):
            return Decision(DecisionStatus.OWN_REPORT, report)
        async with self._db.transaction() as conn:
            done = await self._reports.decide_in(
                conn,
                report_id,
                from_states=(ReportState.PENDING,),
                to_state=ReportState.REJECTED,
                by=decider.telegram_id,
                at=self._clock.now(),
                note=reason.strip()[:MAX_DETAILS_LENGTH],
            )
        return await self._finish(report_id, decider, done)

    async def retract(self, report_id: int, decider: User, reason: str) -> Decision:
        """Withdraw a report that went out: a correction reaches everyone who received it."""
        report = await self._reports.get(report_id)
        if report is None or report.state == ReportState.DUPLICATE:
            return Decision(DecisionStatus.NOT_FOUND)
        if report.state not in (ReportState.CONFIRMED, ReportState.UNVERIFIED):
            status = (
                DecisionStatus.NOT_SENT
                if report.state == ReportState.PENDING
                else (DecisionStatus.ALREADY_DECIDED)
            )
            return Decision(status, report)
        now = self._clock.now()
        async with self._db.transaction() as conn:
            done = await self._reports.decide_in(
                conn,
                report_id,
                from_states=(ReportState.CONFIRMED, ReportState.UNVERIFIED),
                to_state=ReportState.RETRACTED,
                by=decider.telegram_id,
                at=now,
                note=reason.strip()[:MAX_DETAILS_LENGTH],
            )
            if done:
                await self._follow_up_in(conn, report, "retracted", now, reason=reason.strip())
                await self._undo_status_in(conn, report)
        if not done:
            return Decision(DecisionStatus.ALREADY_DECIDED, await self._reports.get(report_id))
        self._wake()
        await self._record(decider, "retract", report_id)
        return Decision(DecisionStatus.DONE, await self._get(report_id))

    async def attach(
        self,
        reporter: User,
        *,
        media: Media | None = None,
        location: tuple[float, float] | None = None,
    ) -> Attachment:
        """Attach a photo, voice note, video or location sent right after a report."""
        now = self._clock.now()
        report = await self._reports.latest_live_by(reporter.telegram_id, now - ATTACH_WINDOW)
        if report is None:
            return Attachment(AttachStatus.NO_REPORT)
        if report.state == ReportState.DUPLICATE and report.duplicate_of is not None:
            target = await self._get(report.duplicate_of)
        else:
            target = report
        if target.state not in LIVE_STATES:
            return Attachment(AttachStatus.NO_REPORT)  # the report it corroborates was withdrawn
        async with self._db.transaction() as conn:
            if media is not None:
                await self._reports.add_media_in(conn, target.id, media, now)
            if location is not None and (
                target.state == ReportState.PENDING or not target.has_location
            ):
                await self._reports.set_location_in(conn, target.id, *location)
            if target.state == ReportState.PENDING:
                return Attachment(AttachStatus.ADDED, target)
            await self._follow_up_in(
                conn, target, "attachment", now, media=media, location=location
            )
        self._wake()
        return Attachment(AttachStatus.SENT, target)

    async def escalate(self) -> list[Report]:
        """Send reports waiting longer than ``VERIFY_ESCALATE_AFTER`` again, marked as waiting."""
        now = self._clock.now()
        escalated = []
        for report in await self._reports.waiting_since(now - self._settings.verify_escalate_after):
            if await self._reports.mark_escalated(report.id, now):
                await self._ask(report, await self._person_of(report), waiting=True)
                escalated.append(report)
        return escalated

    # -- internals -------------------------------------------------------------------------

    async def _known_person(self, draft: Draft) -> Person | None:
        """The person a draft is about, if the bot knows them already."""
        if draft.person_id is not None:
            return await self._people.get(draft.person_id)
        if draft.kind == ReportKind.BROADCAST:
            return None
        return await self.find_person(draft.name)

    @staticmethod
    def _new(
        draft: Draft,
        reporter: User,
        person_id: int | None,
        state: ReportState,
        now: datetime,
        duplicate_of: int | None = None,
    ) -> NewReport:
        return NewReport(
            kind=draft.kind,
            person_id=person_id,
            reporter_id=reporter.telegram_id,
            place=draft.place.strip(),
            details=draft.details.strip(),
            latitude=draft.latitude,
            longitude=draft.longitude,
            state=state,
            reported_at=now,
            duplicate_of=duplicate_of,
        )

    async def _corroborate(
        self, reporter: User, draft: Draft, original: Report, now: datetime
    ) -> Submission:
        async with self._db.transaction() as conn:
            new = self._new(
                draft, reporter, original.person_id, ReportState.DUPLICATE, now, original.id
            )
            report_id = await self._reports.insert_in(conn, new)
            for media in draft.media:
                await self._reports.add_media_in(conn, report_id, media, now)
            await self._reports.corroborate_in(conn, original.id)
        return Submission(
            SubmitStatus.DUPLICATE, await self._get(report_id), await self._get(original.id)
        )

    async def _publish_in(
        self, conn: aiosqlite.Connection, report_id: int, *, summary_to: int | None
    ) -> None:
        """Within the caller's transaction: apply the report to the person and enqueue its alert.

        Reads go through the same single connection, so they see the transaction's own writes.
        """
        report = await self._get(report_id)
        person = await self._person_of(report)
        effect = status_effect(report.kind)
        if person is not None and effect is not None:
            await self._reports.remember_status_in(conn, report.id, person)
            held_at = report.place if effect == Status.DETAINED else ""
            await self._people.set_status_in(
                conn, person.id, status=effect, since=report.reported_at, held_at=held_at
            )
            if effect == Status.FREE and self._reminders is not None:
                # Released: no more release reminders or "was she released?" questions.
                await self._people.set_release_in(conn, person.id, None)
                await self._reminders.replan_release_in(conn, person.id, None)
        media = await self._reports.media(report_id)
        first = media[0] if media else None
        zone = self._settings.timezone
        alert = NewAlert(
            kind="broadcast" if report.kind == ReportKind.BROADCAST else "report",
            text=render(lambda _: report_html(_, report, person, zone)),
            priority=0 if report.kind == ReportKind.DETENTION else 1,
            report_id=report.id,
            latitude=report.latitude,
            longitude=report.longitude,
            media_kind=first.kind if first else None,
            media_file_id=first.file_id if first else None,
            paid=report.kind == ReportKind.DETENTION,
            summary_chat_id=summary_to,
        )
        # Health details are for members and up unless the family asked to publish them
        # (bot/visibility.py); alert channels may be read by anyone.
        private = report.kind == ReportKind.HEALTH and not (person and person.health_public)
        audience = Audience(self._users, self._settings)
        chat_ids = await audience.about(report.person_id, private=private)
        await self._outbox.enqueue_in(conn, alert, chat_ids, self._clock.now())
        # An alert carries one file: each further photo, voice note or video follows it.
        for extra in media[1:]:
            await self._follow_up_in(conn, report, "attachment", self._clock.now(), media=extra)

    async def _follow_up_in(
        self,
        conn: aiosqlite.Connection,
        report: Report,
        what: str,
        now: datetime,
        *,
        reason: str = "",
        media: Media | None = None,
        location: tuple[float, float] | None = None,
    ) -> None:
        """Within the caller's transaction: a short alert to the people the report reached."""
        alert_id = await self._reports.alert_of(report.id)
        if alert_id is None:
            return
        person = await self._person_of(report)

        def about(_: Translator) -> str:
            return escape(kind_label(_, report.kind) + (f": {person.name}" if person else ""))

        if what == "retracted":
            # Whoever saw any part of the original gets the correction, including those whose
            # photo or location was still due. What has not gone out yet, the rest of the
            # original and any follow-up ("verified", "more on"), is withdrawn.
            chat_ids = [
                d.chat_id
                for d in await self._outbox.deliveries(alert_id)
                if d.state == DeliveryState.SENT
                or (d.parts_sent > 0 and d.state != DeliveryState.BLOCKED)
            ]
            for withdrawn in await self._reports.alerts_of(report.id):
                await self._outbox.cancel_pending_in(conn, withdrawn, now)

            def write(_: Translator) -> str:
                text = _(
                    "❌ Correction: report #{id} ({about}) was withdrawn.",
                    id=report.id,
                    about=about(_),
                )
                if reason:
                    text += "\n" + _("Reason: {reason}", reason=escape(reason))
                return text

        else:
            chat_ids = await self._outbox.audience(alert_id)

            def write(_: Translator) -> str:
                if what == "confirmed":
                    return _(
                        "✅ Report #{id} ({about}) was verified by a coordinator.",
                        id=report.id,
                        about=about(_),
                    )
                return _("📎 More on report #{id} ({about}).", id=report.id, about=about(_))

        alert = NewAlert(
            kind="correction" if what == "retracted" else "followup",
            text=render(write),
            priority=0 if what == "retracted" else 1,
            report_id=report.id,
            latitude=location[0] if location else None,
            longitude=location[1] if location else None,
            media_kind=media.kind if media else None,
            media_file_id=media.file_id if media else None,
        )
        await self._outbox.enqueue_in(conn, alert, chat_ids, now)

    async def _finish(self, report_id: int, decider: User, done: bool) -> Decision:
        """After a confirm or reject: tell the other coordinators and the reporter."""
        report = await self._get(report_id)
        if not done:
            return Decision(DecisionStatus.ALREADY_DECIDED, report)
        self._wake()
        action = "reject" if report.state == ReportState.REJECTED else "verify"
        await self._record(decider, action, report_id)
        await self._notifier.close_verification(report, decider)
        await self._notifier.tell_reporter(report)
        return Decision(DecisionStatus.DONE, report)

    async def _undo_status_in(self, conn: aiosqlite.Connection, report: Report) -> None:
        """A withdrawn report's effect on the person is undone, unless something changed since."""
        before = await self._reports.status_before(report.id)
        person = await self._person_of(report)
        if before is None or person is None or person.status_since != report.reported_at:
            return
        status, since, held_at = before
        await self._people.restore_status_in(
            conn, person.id, status=status, since=since, held_at=held_at
        )

    async def _record(self, actor: User, action: str, report_id: int) -> None:
        """The audit trail of privileged decisions (names by pseudonym, never by id)."""
        if self._audit is not None:
            await self._audit.record(
                at=self._clock.now(),
                actor=actor.pseudonym,
                action=action,
                target=f"report:{report_id}",
            )

    async def _ask(self, report: Report, person: Person | None, *, waiting: bool) -> None:
        candidates = await self._users.with_role_at_least(Role.COORDINATOR)
        await self._notifier.ask_to_verify(
            report, person, verifiers(candidates, report.reporter_id), waiting=waiting
        )

    async def _get(self, report_id: int) -> Report:
        report = await self._reports.get(report_id)
        assert report is not None, report_id
        return report

    async def _person_of(self, report: Report) -> Person | None:
        return await self._people.get(report.person_id) if report.person_id else None
