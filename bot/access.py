"""The single place where a command is allowed or refused, by role."""

from __future__ import annotations

import enum

from bot.clock import Clock
from bot.commands import required_role
from bot.roles import Role
from storage.audit import AuditRepository
from storage.users import User


class Decision(enum.Enum):
    ALLOWED = "allowed"
    UNKNOWN_COMMAND = "unknown_command"
    NOT_REGISTERED = "not_registered"
    DENIED = "denied"


class AccessService:
    """Checks a command against the command table; refusals go to the audit log."""

    def __init__(self, audit: AuditRepository, clock: Clock) -> None:
        self._audit = audit
        self._clock = clock

    @staticmethod
    def ignores(actor: User | None) -> bool:
        """True for a burned person (``/burn``): whatever they send, the bot answers only as
        it answers an unknown command, and nothing they send is stored or acted on."""
        return actor is not None and actor.burned

    async def check(self, actor: User | None, command: str) -> Decision:
        """Decide whether ``actor`` (None: someone the bot does not know) may run ``/command``."""
        needed = required_role(command)
        if needed is None:
            return Decision.UNKNOWN_COMMAND
        role = actor.role if actor else Role.NONE
        if role >= needed:
            return Decision.ALLOWED
        if needed <= Role.SUBSCRIBER:
            # Not a privileged command: the person just has not joined (yet).
            return Decision.NOT_REGISTERED
        await self._audit.record(
            at=self._clock.now(),
            actor=actor.pseudonym if actor else None,
            action=f"denied:/{command.lower()}",
            detail=role.label,
        )
        return Decision.DENIED
