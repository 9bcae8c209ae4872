"""Check-ins: a dead man's switch for going to a rally.

A member says "if I have not checked in within 2 hours, alert the coordinators". The check-in
is a row; the scheduler (see :mod:`bot.scheduler`) only holds wake-up calls for its "still OK?"
question and its deadline, and each wake-up looks at what is due by the injected clock. The
question and the alert are claimed in the same transaction that puts them in the outbox, so
each goes out once, and the outbox delivers them even if the bot stops right after.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.dates import normalize
from bot.i18n import Translator, render
from bot.reports import MAX_DETAILS_LENGTH, MAX_PLACE_LENGTH, Draft
from bot.roles import Role
from bot.settings import Settings
from storage.checkins import Checkin, CheckinRepository, CheckinState
from storage.database import Database
from storage.outbox import Button, Keyboard, NewAlert, OutboxRepository
from storage.reports import ReportKind
from storage.users import User, UserRepository

logger = logging.getLogger(__name__)

MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=24)
WARN_LEAD = timedelta(minutes=10)  # "still OK?" this long before it runs out
# Only check-ins set for at least this long get the question: a shorter one would ask it
# minutes after it was set, and its confirmation already has the "I'm safe" button.
WARN_FROM = timedelta(minutes=20)
# The time between reading a "/checkin 20m" (its due time is counted from then) and starting
# it: a 20-minute check-in still gets the question although a few milliseconds have passed.
PLAN_SLACK = timedelta(seconds=30)
# "I'm safe" this soon after the alert still tells the coordinators (later, they know by now).
SAFE_AFTER_ALERT_WITHIN = timedelta(hours=24)
LATE_AFTER = timedelta(minutes=2)  # an alert sent later than this says the bot was offline
CHECKIN_PRIORITY = 0  # with detention alerts, ahead of everything else in the outbox
ALERT_KIND = "reminder"  # the outbox's CHECK constraint has no 'checkin'; a rebuild is not worth it
SAFE_PREFIX = "checkin:safe:"  # "I'm safe" button: checkin:safe:<id>
REPORT_PREFIX = "checkin:report:"  # "Report as detained" button: checkin:report:<id>
MAX_WHERE_LENGTH = MAX_PLACE_LENGTH
MAX_NOTE_LENGTH = MAX_DETAILS_LENGTH

# -- reading what was typed ----------------------------------------------------------------

# Unit words → minutes, as typed in English, Russian and Kazakh, and in Latin letters on a phone
# without a Cyrillic keyboard; folded with bot.dates.normalize on import, so "сағ" also serves
# "саг" and "sağ". A trailing dot ("мин.") is allowed.
_UNITS_BY_MINUTES: dict[int, tuple[str, ...]] = {
    60: (
        *("h", "hr", "hrs", "hour", "hours"),
        *("ч", "час", "часа", "часов", "chas", "chasa", "chasov"),
        *("сағ", "сағат", "sag", "sagat", "saghat", "saǵ", "saǵat"),
    ),
    1: (
        *("m", "min", "mins", "minute", "minutes"),
        *("м", "мин", "минут", "минута", "минуты", "minut", "minuta", "minuty"),
        *("минөт", "minot"),
    ),
}
_UNITS: dict[str, int] = {
    normalize(word): minutes for minutes, words in _UNITS_BY_MINUTES.items() for word in words
}
# "at 18:30", "в 18:30", "до 18:30", "k 18:30": a word before a clock time changes nothing.
_CLOCK_WORDS = frozenset(
    normalize(word) for word in ("at", "by", "until", "в", "до", "к", "v", "do", "k")
)
_PART = re.compile(r"(\d{1,4})\s*([^\W\d_]*)\.?\s*")
_CLOCK = re.compile(r"(?:(\S+)\s+)?(\d{1,2})[:.](\d{2})")


class CheckinProblem(enum.Enum):
    """Why a /checkin was refused; the handler picks its reply from this."""

    NOT_A_TIME = "not_a_time"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    WHERE_TOO_LONG = "where_too_long"
    NOTE_TOO_LONG = "note_too_long"


class CheckinError(ValueError):
    """A /checkin was refused; ``problem`` says why (the message never quotes the input)."""

    def __init__(self, problem: CheckinProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def parse_duration(text: str) -> timedelta | None:
    """A duration as people type it: ``30m``, ``2h``, ``1h30m``, ``1ч 30``, ``2 сағ``, ``90 мин``.

    Returns:
        The duration, or None if ``text`` is not one (a bare number has no unit: None).
    """
    folded = normalize(text)
    total, position, last_unit = 0, 0, 0
    for match in _PART.finditer(folded):
        if match.start() != position or last_unit == 1:
            return None  # something unreadable in between, or more after the minutes
        number, word = int(match.group(1)), match.group(2)
        # No unit after the hours ("1ч30"): minutes.
        bare = 1 if last_unit == 60 else None
        unit = _UNITS.get(word) if word else bare
        if unit is None or (last_unit and unit >= last_unit):
            return None  # unknown unit, or "30m 1h", "2h 3h"
        total += number * unit
        position, last_unit = match.end(), unit
    if position == 0 or position != len(folded):
        return None
    return timedelta(minutes=total)


def parse_clock(text: str, *, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A clock time (``18:30``, ``в 18.30``) as the next such moment in ``zone``, in UTC.

    A time already past today (or right now) means tomorrow.
    """
    match = _CLOCK.fullmatch(normalize(text))
    if match is None or (match.group(1) and match.group(1) not in _CLOCK_WORDS):
        return None
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        return None
    local_now = now.astimezone(zone)
    moment = datetime.combine(local_now.date(), time(hour, minute), tzinfo=zone)
    if moment <= local_now:
        moment = datetime.combine(
            local_now.date() + timedelta(days=1), time(hour, minute), tzinfo=zone
        )
    return moment.astimezone(now.tzinfo)


def parse_deadline(text: str, *, now: datetime, zone: ZoneInfo) -> datetime:
    """When a check-in typed as a duration or a clock time runs out.

    Raises:
        CheckinError: not readable, or shorter than 5 minutes or longer than 24 hours.
    """
    duration = parse_duration(text)
    if duration is not None:
        due = now + duration
    else:
        clock = parse_clock(text, now=now, zone=zone)
        if clock is None:
            raise CheckinError(CheckinProblem.NOT_A_TIME)
        due = clock
    if due - now < MIN_DURATION:
        raise CheckinError(CheckinProblem.TOO_SHORT)
    if due - now > MAX_DURATION:
        raise CheckinError(CheckinProblem.TOO_LONG)
    return due


@dataclass(frozen=True, slots=True)
class Plan:
    """A /checkin as typed, checked."""

    due_at: datetime
    where: str = ""
    note: str = ""


def plan(when: str, where: str, note: str, *, now: datetime, zone: ZoneInfo) -> Plan:
    """Check the fields of ``/checkin <when>; <where>; <note>``.

    Raises:
        CheckinError: the first problem found.
    """
    due = parse_deadline(when, now=now, zone=zone)
    if len(where) > MAX_WHERE_LENGTH:
        raise CheckinError(CheckinProblem.WHERE_TOO_LONG)
    if len(note) > MAX_NOTE_LENGTH:
        raise CheckinError(CheckinProblem.NOTE_TOO_LONG)
    return Plan(due, where.strip(), note.strip())


# -- what is said ---------------------------------------------------------------------------


def safe_keyboard(_: Translator, checkin_id: int) -> Keyboard:
    return ((Button(_("✅ I'm safe"), f"{SAFE_PREFIX}{checkin_id}"),),)


def report_keyboard(_: Translator, checkin_id: int) -> Keyboard:
    return ((Button(_("Report as detained"), f"{REPORT_PREFIX}{checkin_id}"),),)


def time_left(_: Translator, delta: timedelta) -> str:
    """``4 hours 30 minutes``, ``10 minutes``: whole minutes, at least one."""
    minutes = max(int(delta.total_seconds() // 60), 1)
    hours, minutes = divmod(minutes, 60)
    parts = [_.units(hours, "hour")] if hours else []
    if minutes:
        parts.append(_.units(minutes, "minute"))
    return " ".join(parts)


def warning_text(_: Translator, checkin: Checkin, zone: ZoneInfo, now: datetime) -> str:
    return _(
        "⏰ Still OK? Your check-in runs out at {time} (in {left}). Press “I'm safe” or send "
        "/safe; otherwise the coordinators will be alerted.",
        time=_.time(checkin.due_at, zone),
        left=time_left(_, checkin.due_at - now),
    )


def alert_text(
    _: Translator, checkin: Checkin, member: User | None, zone: ZoneInfo, *, late: bool
) -> str:
    who = escape(member.display if member else _("a member the bot no longer knows"))
    lines = [
        "🆘 <b>" + _("Missed check-in: {who}", who=who) + "</b>",
        _(
            "Set at {set_at}; ran out at {due_at} without a check-in.",
            set_at=_.datetime(checkin.set_at, zone),
            due_at=_.datetime(checkin.due_at, zone),
        ),
    ]
    if checkin.where:
        lines.append(_("Where: {place}", place=escape(checkin.where)))
    if checkin.note:
        lines.append(_("Note: {note}", note=escape(checkin.note)))
    lines.append(_("Try to reach them. If they were detained, report it with the button below."))
    if late:
        lines.append(_("Sent late: the bot was offline when it ran out."))
    return "\n".join(lines)


def safe_after_alert_text(
    _: Translator, checkin: Checkin, member: User, zone: ZoneInfo, now: datetime
) -> str:
    return "\n".join(
        [
            "✅ <b>" + _("Checked in after the alert: {who}", who=escape(member.display)) + "</b>",
            _(
                "The check-in that ran out at {due_at} was answered with “I'm safe” at {now}.",
                due_at=_.datetime(checkin.due_at, zone),
                now=_.time(now, zone),
            ),
            _(
                "If the phone may be in other hands, make sure by other means before you stand "
                "down."
            ),
        ]
    )


# -- what the coordinators see (/checkins) --------------------------------------------------


class Question(enum.Enum):
    """Where a listed check-in stands with its "still OK?" question."""

    ASKED = "asked"
    LATER = "later"  # it will be asked at ``warn_at``
    NEVER = "never"  # set for less than WARN_FROM: no question
    WITHHELD = "withheld"  # the member is burned: whoever holds the phone is not asked


@dataclass(frozen=True, slots=True)
class Listed:
    """One line of /checkins."""

    checkin: Checkin
    member: User | None  # None: no longer known to the bot
    question: Question

    @property
    def alerted(self) -> bool:
        """The coordinators were alerted and nobody answered "I'm safe" since."""
        return self.checkin.state == CheckinState.ALERTED


def listing(
    checkins: Iterable[Checkin], members: Mapping[int, User], now: datetime
) -> list[Listed]:
    """What /checkins shows: every running check-in, and every one that alerted the
    coordinators in the last :data:`SAFE_AFTER_ALERT_WITHIN` without an "I'm safe" since.

    Args:
        checkins: candidates, in any order (others are left out).
        members: the members by Telegram id (a missing one is shown as no longer known).
        now: the clock's time.

    Returns:
        The check-ins to list, soonest due first, so unanswered alerts (already due) lead.
    """
    listed: list[Listed] = []
    for checkin in checkins:
        unanswered_alert = (
            checkin.state == CheckinState.ALERTED
            and checkin.alerted_at is not None
            and checkin.alerted_at >= now - SAFE_AFTER_ALERT_WITHIN
            and checkin.ended_at is None
        )
        if checkin.state != CheckinState.RUNNING and not unanswered_alert:
            continue
        member = members.get(checkin.member_id)
        if member is not None and member.burned:
            question = Question.WITHHELD
        elif checkin.warned_at is not None:
            question = Question.ASKED
        elif checkin.warn_at is not None:
            question = Question.LATER
        else:
            question = Question.NEVER
        listed.append(Listed(checkin, member, question))
    listed.sort(key=lambda entry: (entry.checkin.due_at, entry.checkin.id))
    return listed


# -- the service ----------------------------------------------------------------------------


class SafeOutcome(enum.Enum):
    """What ``/safe`` (or "I'm safe") did."""

    ENDED = "ended"  # the running check-in is over; nobody is alerted
    AFTER_ALERT = "after_alert"  # it had run out: the coordinators are told it was answered
    NOT_RUNNING = "not_running"  # nothing to end (none, over, replaced, or not theirs)


@dataclass(frozen=True, slots=True)
class Started:
    checkin: Checkin
    replaced: Checkin | None


@dataclass(frozen=True, slots=True)
class Firing:
    """What one look at the running check-ins did."""

    warned: list[int]
    alerted: list[int]


class CheckinService:
    """Starts, ends, warns about and alerts on check-ins."""

    def __init__(
        self,
        db: Database,
        checkins: CheckinRepository,
        users: UserRepository,
        outbox: OutboxRepository,
        settings: Settings,
        clock: Clock,
        *,
        wake_sender: Callable[[], None],
    ) -> None:
        self._db = db
        self._checkins = checkins
        self._users = users
        self._outbox = outbox
        self._settings = settings
        self._clock = clock
        self._wake = wake_sender
        self._changed: Callable[[], Awaitable[object]] | None = None

    def on_change(self, callback: Callable[[], Awaitable[object]]) -> None:
        """Called after a check-in started or ended (the scheduler re-reads them)."""
        self._changed = callback

    async def _after_change(self) -> None:
        if self._changed is not None:
            await self._changed()

    async def start(self, member: User, checkin: Plan) -> Started:
        """Start the member's check-in, replacing one already running.

        Returns:
            The new check-in and the one it replaced, if any.
        """
        now = self._clock.now()
        long_enough = checkin.due_at - now + PLAN_SLACK >= WARN_FROM
        warn_at = checkin.due_at - WARN_LEAD if long_enough else None
        async with self._db.transaction() as conn:
            new_id, replaced = await self._checkins.start_in(
                conn,
                member_id=member.telegram_id,
                set_at=now,
                due_at=checkin.due_at,
                warn_at=warn_at,
                where=checkin.where,
                note=checkin.note,
            )
        await self._after_change()
        started = await self._checkins.get(new_id)
        assert started is not None
        logger.info("Check-in %d started by %d", new_id, member.telegram_id)
        return Started(started, replaced)

    async def running(self, member_id: int) -> Checkin | None:
        return await self._checkins.running_of(member_id)

    async def all_running(self) -> list[Checkin]:
        return await self._checkins.running()

    async def listing(self) -> list[Listed]:
        """Every running check-in and every unanswered alert of the last day, soonest due first."""
        now = self._clock.now()
        checkins = await self._checkins.running_or_alerted_since(now - SAFE_AFTER_ALERT_WITHIN)
        members: dict[int, User] = {}
        for member_id in {checkin.member_id for checkin in checkins}:
            if (member := await self._users.get(member_id)) is not None:
                members[member_id] = member
        return listing(checkins, members, now)

    async def safe(self, person: User | None, checkin_id: int | None = None) -> SafeOutcome:
        """``/safe`` or "I'm safe" (for ``checkin_id`` only, if given), whatever the person's
        current role: a member demoted while their check-in runs must still be able to end it.

        Returns:
            What was done; NOT_RUNNING for someone without a check-in (or a stranger).
        """
        if person is None or person.burned:
            # The gate never lets a burned person this far; if it did, a seized phone must
            # still not call the alert off.
            return SafeOutcome.NOT_RUNNING
        if await self.end(person.telegram_id, checkin_id):
            return SafeOutcome.ENDED
        if await self.safe_after_alert(person, checkin_id):
            return SafeOutcome.AFTER_ALERT
        return SafeOutcome.NOT_RUNNING

    async def end(self, member_id: int, checkin_id: int | None = None) -> Checkin | None:
        """The member is safe: end their running check-in (or only ``checkin_id``, if given).

        Returns:
            The check-in ended, or None if it was not running (none, over or replaced).
        """
        checkin = await self._checkins.running_of(member_id)
        if checkin is None or (checkin_id is not None and checkin.id != checkin_id):
            return None
        async with self._db.transaction() as conn:
            ended = await self._checkins.end_in(conn, checkin.id, member_id, self._clock.now())
        if not ended:
            return None  # it ran out a moment ago: the alert is on its way
        await self._after_change()
        logger.info("Check-in %d ended safe", checkin.id)
        return checkin

    async def safe_after_alert(self, member: User, checkin_id: int | None = None) -> Checkin | None:
        """``/safe`` after the coordinators were alerted: tell them, once.

        Only for an alert of the last :data:`SAFE_AFTER_ALERT_WITHIN`. The coordinators are told
        that the *account* checked in: a phone in other hands could send it too.

        Returns:
            The check-in the coordinators are told about, or None.
        """
        now = self._clock.now()
        checkin = await self._checkins.latest_alerted_of(
            member.telegram_id, now - SAFE_AFTER_ALERT_WITHIN
        )
        if checkin is None or (checkin_id is not None and checkin.id != checkin_id):
            return None
        zone = self._settings.timezone
        coordinators = await self._users.with_role_at_least(Role.COORDINATOR)
        chat_ids = [u.telegram_id for u in coordinators if u.telegram_id != member.telegram_id]
        alert = NewAlert(
            kind=ALERT_KIND,
            text=render(lambda _: safe_after_alert_text(_, checkin, member, zone, now)),
            priority=CHECKIN_PRIORITY,
            protect_content=True,
        )
        async with self._db.transaction() as conn:
            if not await self._checkins.claim_safe_after_alert_in(conn, checkin.id, now):
                return None
            await self._outbox.enqueue_in(conn, alert, chat_ids, now)
        self._wake()
        logger.info("Check-in %d: safe after the alert", checkin.id)
        return checkin

    async def wake_times(self) -> list[tuple[str, datetime]]:
        """``(job name, when)`` for every question and deadline still ahead of a running row."""
        times: list[tuple[str, datetime]] = []
        for checkin in await self._checkins.running():
            if checkin.warn_at is not None and checkin.warned_at is None:
                times.append((f"{checkin.id}:warn", checkin.warn_at))
            times.append((str(checkin.id), checkin.due_at))
        return times

    async def fire_due(self) -> Firing:
        """Alert on every check-in that ran out by the clock; ask "still OK?" where it is time."""
        now = self._clock.now()
        warned: list[int] = []
        alerted: list[int] = []
        for checkin in await self._checkins.running():
            if checkin.due_at <= now:
                if await self._alert(checkin, late=now - checkin.due_at > LATE_AFTER):
                    alerted.append(checkin.id)
            elif (
                checkin.warn_at is not None
                and checkin.warned_at is None
                and checkin.warn_at <= now
                and await self._warn(checkin)
            ):
                warned.append(checkin.id)
        if warned or alerted:
            self._wake()
            logger.info("Check-ins: %d asked, %d alerted", len(warned), len(alerted))
        return Firing(warned, alerted)

    async def detention_draft(self, checkin_id: int) -> Draft | None:
        """A detention report about the check-in's member, for the guided /report to preview."""
        checkin = await self._checkins.get(checkin_id)
        if checkin is None:
            return None
        member = await self._users.get(checkin.member_id)
        if member is None or not member.first_name.strip():
            return None
        return Draft(ReportKind.DETENTION, name=member.first_name, place=checkin.where)

    # -- internals -------------------------------------------------------------------------

    async def _warn(self, checkin: Checkin) -> bool:
        """Ask the member "still OK?", claiming the question in the same transaction."""
        zone, now = self._settings.timezone, self._clock.now()
        alert = NewAlert(
            kind=ALERT_KIND,
            text=render(lambda _: warning_text(_, checkin, zone, now)),
            priority=CHECKIN_PRIORITY,
            keyboard=render(lambda _: safe_keyboard(_, checkin.id)),
        )
        member = await self._users.get(checkin.member_id)
        # A burned member's phone is in other hands: whoever holds it must not be offered the
        # "I'm safe" button that would call the alert off. The alert itself still goes out.
        recipients = [] if member is None or member.burned else [checkin.member_id]
        async with self._db.transaction() as conn:
            if not await self._checkins.claim_warning_in(conn, checkin.id, now):
                return False
            if recipients:
                await self._outbox.enqueue_in(conn, alert, recipients, now)
        return True

    async def _alert(self, checkin: Checkin, *, late: bool) -> bool:
        """Alert every coordinator and admin, claiming the check-in in the same transaction."""
        zone, now = self._settings.timezone, self._clock.now()
        member = await self._users.get(checkin.member_id)
        coordinators = await self._users.with_role_at_least(Role.COORDINATOR)
        # Not the member themselves, if they coordinate: their phone may be in other hands.
        chat_ids = [u.telegram_id for u in coordinators if u.telegram_id != checkin.member_id]
        alert = NewAlert(
            kind=ALERT_KIND,
            text=render(lambda _: alert_text(_, checkin, member, zone, late=late)),
            priority=CHECKIN_PRIORITY,
            keyboard=render(lambda _: report_keyboard(_, checkin.id)),
            protect_content=True,
        )
        async with self._db.transaction() as conn:
            if not await self._checkins.claim_alert_in(conn, checkin.id, now):
                return False
            alert_id = await self._outbox.enqueue_in(conn, alert, chat_ids, now)
            await self._checkins.set_alert_in(conn, checkin.id, alert_id)
        if not chat_ids:
            logger.warning("Check-in %d ran out and there is no coordinator to alert", checkin.id)
        return True
