"""Burning access (``/burn``): someone's phone is believed seized, so the bot drops them at once.

Unlike ``/revoke`` the person is not told. In one transaction they lose every role, are marked
burned and unsubscribed, their unused invites are voided, their pending deliveries withdrawn and
their hearing attendances forgotten. From then on the gate (:meth:`bot.access.AccessService.
ignores`) answers whatever they send as an unknown command, and stores nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.accounts import parse_target
from bot.clock import Clock
from bot.roles import Role
from storage.audit import AuditRepository
from storage.database import Database
from storage.hearings import HearingRepository
from storage.invites import InviteRepository
from storage.outbox import OutboxRepository
from storage.users import User, UserRepository


class BurnOutcome(enum.Enum):
    """What ``/burn`` did."""

    BURNED = "burned"
    BAD_TARGET = "bad_target"  # not an id or @username
    NOT_FOUND = "not_found"
    ALREADY = "already"  # burned before
    SELF = "self"
    NOT_ALLOWED = "not_allowed"  # a coordinator naming a coordinator or an admin


@dataclass(frozen=True, slots=True)
class BurnResult:
    outcome: BurnOutcome
    target: User | None = None
    invites_voided: int = 0
    deliveries_cancelled: int = 0
    # Coordinators and admins to tell (everyone with the role but the actor).
    tell: list[User] = field(default_factory=list)


def may_burn(actor: User, target: User) -> bool:
    """Admins may burn anyone but themselves; coordinators anyone below a coordinator."""
    if actor.telegram_id == target.telegram_id:
        return False
    if actor.role >= Role.ADMIN:
        return True
    return actor.role >= Role.COORDINATOR and target.role < Role.COORDINATOR


class BurnService:
    """Decides who may burn whom, and burns."""

    def __init__(
        self,
        db: Database,
        users: UserRepository,
        invites: InviteRepository,
        outbox: OutboxRepository,
        hearings: HearingRepository,
        audit: AuditRepository,
        clock: Clock,
        wake_sender: Callable[[], None],
    ) -> None:
        self._db = db
        self._users = users
        self._invites = invites
        self._outbox = outbox
        self._hearings = hearings
        self._audit = audit
        self._clock = clock
        self._wake_sender = wake_sender

    async def burn(self, actor: User, target_ref: str) -> BurnResult:
        """Burn the person ``target_ref`` names if ``actor`` may; audited either way.

        Args:
            actor: a coordinator or admin (the gate let them run ``/burn``).
            target_ref: a user id or ``@username``.

        Returns:
            The outcome; when burned, the counts and who to tell.
        """
        ref = parse_target(target_ref)
        if ref is None:
            return BurnResult(BurnOutcome.BAD_TARGET)
        if isinstance(ref, int):
            target = await self._users.get(ref)
        else:
            target = await self._users.get_by_username(ref)
        if target is None:
            return BurnResult(BurnOutcome.NOT_FOUND)
        if target.telegram_id == actor.telegram_id:
            return BurnResult(BurnOutcome.SELF, target)
        if target.burned:
            return BurnResult(BurnOutcome.ALREADY, target)
        now = self._clock.now()
        if not may_burn(actor, target):
            await self._audit.record(
                at=now,
                actor=actor.pseudonym,
                action="denied:burn",
                target=target.pseudonym,
                detail=target.role.label,
            )
            return BurnResult(BurnOutcome.NOT_ALLOWED, target)
        async with self._db.transaction() as conn:
            if not await self._users.burn_in(conn, target.telegram_id, now):
                return BurnResult(BurnOutcome.ALREADY, target)  # burned meanwhile
            voided = await self._invites.void_pending_in(conn, target.pseudonym, now)
            cancelled = await self._outbox.cancel_pending_to_in(conn, target.telegram_id)
            await self._hearings.forget_attendee_in(conn, target.telegram_id)
        self._wake_sender()  # withdrawn deliveries leave the sender's window; alerts complete
        await self._audit.record(
            at=now,
            actor=actor.pseudonym,
            action="burn",
            target=target.pseudonym,
            detail=f"{target.role.label}; invites voided: {voided}",
        )
        others = await self._users.with_role_at_least(Role.COORDINATOR)
        return BurnResult(
            BurnOutcome.BURNED,
            target,
            invites_voided=voided,
            deliveries_cancelled=cancelled,
            tell=[u for u in others if u.telegram_id != actor.telegram_id],
        )
