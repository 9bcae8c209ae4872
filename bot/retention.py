"""Keeping as little as possible for as short as possible: the nightly retention run and /forget."""

from __future__ import annotations

import enum
from datetime import timedelta

from bot.clock import Clock
from bot.roles import Role
from bot.settings import Settings
from storage.audit import AuditRepository
from storage.retention import RetentionRepository, RetentionResult
from storage.users import User


class ForgetOutcome(enum.Enum):
    """What ``/forget`` did."""

    FORGOTTEN = "forgotten"
    NOT_REGISTERED = "not_registered"
    CONFIGURED_ADMIN = "configured_admin"  # in ADMIN_IDS: the next message would recreate them


class RetentionService:
    """Deletes people who asked for it, and ages out identities after ``RETENTION_DAYS``."""

    def __init__(
        self,
        records: RetentionRepository,
        audit: AuditRepository,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self._records = records
        self._audit = audit
        self._settings = settings
        self._clock = clock

    async def run(self) -> RetentionResult:
        """One retention pass (idempotent: a second run the same day changes nothing).

        Returns:
            How many reports lost their reporter and how many people were deleted.
        """
        now = self._clock.now()
        cutoff = now - timedelta(days=self._settings.retention_days)
        result = await self._records.apply(cutoff, self._settings.admin_ids)
        if result.reports_anonymised or result.users_deleted:
            await self._audit.record(
                at=now,
                actor=None,
                action="retention",
                detail=f"reports:{result.reports_anonymised} users:{result.users_deleted}",
            )
        return result

    async def forget(self, user: User | None) -> ForgetOutcome:
        """Delete ``user``'s account: their reports stay without them, the audit trail stays.

        An admin from ``ADMIN_IDS`` is refused: their next message would make them admin again,
        so the id must leave the setting first.
        """
        if user is None:
            return ForgetOutcome.NOT_REGISTERED
        if user.telegram_id in self._settings.admin_ids:
            return ForgetOutcome.CONFIGURED_ADMIN
        # Recorded first, under the pseudonym that is about to lose its link to the person.
        detail = user.role.label if user.role >= Role.MEMBER else ""
        await self._audit.record(
            at=self._clock.now(), actor=user.pseudonym, action="forget", detail=detail
        )
        if not await self._records.delete_user(user.telegram_id):
            return ForgetOutcome.NOT_REGISTERED
        return ForgetOutcome.FORGOTTEN
