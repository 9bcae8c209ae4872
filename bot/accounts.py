"""Who someone is to the bot: registration, subscription, roles and revocation."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from bot.clock import Clock
from bot.i18n import LANGUAGES, language_of
from bot.roles import Role
from bot.settings import Settings
from storage.audit import AuditRepository
from storage.users import User, UserRepository


@dataclass(frozen=True, slots=True)
class Sender:
    """The Telegram identity behind an update, as the handlers pass it in."""

    telegram_id: int
    username: str | None
    first_name: str
    language_code: str | None = None


class Registration(enum.Enum):
    """What ``/start`` did for someone."""

    CREATED = "created"
    EXISTING = "existing"
    INVITE_NEEDED = "invite_needed"


class RevokeOutcome(enum.Enum):
    """What ``/revoke`` did."""

    REVOKED = "revoked"
    BAD_TARGET = "bad_target"  # not an id or @username
    NOT_FOUND = "not_found"
    NOT_PRIVILEGED = "not_privileged"  # the target has no role to take away
    NOT_ALLOWED = "not_allowed"  # the target's role is not below the actor's
    CONFIGURED_ADMIN = "configured_admin"  # admins from ADMIN_IDS cannot be revoked
    SELF = "self"


@dataclass(frozen=True, slots=True)
class RevokeResult:
    outcome: RevokeOutcome
    target: User | None = None
    new_role: Role | None = None


_TARGET = re.compile(r"^(?:(\d{1,15})|@?([A-Za-z][A-Za-z0-9_]{3,31}))$")


def parse_target(target_ref: str) -> int | str | None:
    """A person named as ``/revoke`` and ``/burn`` take them: a user id (int) or a username
    (str, without ``@``); None if ``target_ref`` is neither."""
    match = _TARGET.match(target_ref.strip())
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else match.group(2)


class AccountService:
    """Decides who is registered, with which role, and who may change whose role."""

    def __init__(
        self, users: UserRepository, audit: AuditRepository, settings: Settings, clock: Clock
    ) -> None:
        self._users = users
        self._audit = audit
        self._settings = settings
        self._clock = clock

    def language_for(self, language_code: str | None) -> str:
        """The language to speak to a new person, from Telegram's ``language_code``:
        Kazakh, Russian or English, else ``DEFAULT_LANGUAGE``."""
        return language_of(language_code) or self._settings.default_language

    async def set_language(self, user: User, language: str) -> User:
        """Speak ``language`` (one of :data:`bot.i18n.LANGUAGES`) to ``user`` from now on."""
        if language not in LANGUAGES:
            raise ValueError(f"not a language of the bot: {language!r}")
        if user.language != language:
            await self._users.set_language(user.telegram_id, language)
        updated = await self._users.get(user.telegram_id)
        assert updated is not None
        return updated

    async def identify(self, sender: Sender) -> User | None:
        """Look up the sender, note that they were seen, and apply ``ADMIN_IDS``.

        Returns:
            The stored person, or None if the bot does not know them.
        """
        user = await self._users.get(sender.telegram_id)
        if user is None:
            return None
        if user.burned:
            # Nothing they send is stored, not even that they were seen; and ADMIN_IDS does
            # not make them an admin again (see lift_unlisted_burns).
            return user
        if (
            user.username != sender.username
            or user.first_name != sender.first_name
            or (self._clock.now() - user.last_seen_at).total_seconds() >= 60
        ):
            await self._users.touch(
                sender.telegram_id,
                username=sender.username,
                first_name=sender.first_name,
                now=self._clock.now(),
            )
        if sender.telegram_id in self._settings.admin_ids and user.role != Role.ADMIN:
            await self._users.set_role(sender.telegram_id, Role.ADMIN)
            await self._audit.record(
                at=self._clock.now(), actor=None, action="admin_from_config", target=user.pseudonym
            )
        return await self._users.get(sender.telegram_id)

    async def register(self, sender: Sender) -> tuple[Registration, User | None]:
        """Register the sender of ``/start`` if the network's rules allow it."""
        user = await self.identify(sender)
        if user is not None and user.role != Role.NONE:
            return Registration.EXISTING, user
        if user is not None:  # revoked in a closed network: only an invite lets them back
            return Registration.INVITE_NEEDED, user
        if sender.telegram_id in self._settings.admin_ids:
            role = Role.ADMIN
        elif self._settings.open_subscriptions:
            role = Role.SUBSCRIBER
        else:
            return Registration.INVITE_NEEDED, None
        return Registration.CREATED, await self.create(sender, role)

    async def create(self, sender: Sender, role: Role) -> User:
        """Store a new person with ``role``."""
        user = await self._users.create(
            sender.telegram_id,
            username=sender.username,
            first_name=sender.first_name,
            role=role,
            language=self.language_for(sender.language_code),
            now=self._clock.now(),
        )
        await self._audit.record(
            at=self._clock.now(), actor=user.pseudonym, action="register", detail=role.label
        )
        return user

    async def set_subscribed(self, user: User, subscribed: bool) -> bool:
        """Turn alerts on or off for ``user``; returns False if nothing changed."""
        if user.subscribed == subscribed:
            return False
        await self._users.set_subscribed(user.telegram_id, subscribed)
        return True

    async def members(self) -> list[User]:
        """Members, coordinators and admins, highest role first."""
        return await self._users.with_role_at_least(Role.MEMBER)

    async def revoke(self, actor: User, target_ref: str) -> RevokeResult:
        """Take ``target_ref``'s role away if ``actor`` outranks them; audited when done."""
        match = _TARGET.match(target_ref.strip())
        if not match:
            return RevokeResult(RevokeOutcome.BAD_TARGET)
        if match.group(1):
            target = await self._users.get(int(match.group(1)))
        else:
            target = await self._users.get_by_username(match.group(2))
        if target is None:
            return RevokeResult(RevokeOutcome.NOT_FOUND)
        if target.telegram_id == actor.telegram_id:
            return RevokeResult(RevokeOutcome.SELF, target)
        if target.telegram_id in self._settings.admin_ids:
            return RevokeResult(RevokeOutcome.CONFIGURED_ADMIN, target)
        if target.role < Role.MEMBER:
            return RevokeResult(RevokeOutcome.NOT_PRIVILEGED, target)
        if target.role >= actor.role:
            await self._audit.record(
                at=self._clock.now(),
                actor=actor.pseudonym,
                action="denied:revoke",
                target=target.pseudonym,
                detail=target.role.label,
            )
            return RevokeResult(RevokeOutcome.NOT_ALLOWED, target)
        # In an open network a former member still may read public alerts; in a closed one
        # the revoked person loses access altogether.
        new_role = Role.SUBSCRIBER if self._settings.open_subscriptions else Role.NONE
        await self._users.set_role(target.telegram_id, new_role)
        if new_role == Role.NONE:
            await self._users.set_subscribed(target.telegram_id, False)
        await self._audit.record(
            at=self._clock.now(),
            actor=actor.pseudonym,
            action="revoke",
            target=target.pseudonym,
            detail=f"{target.role.label}->{new_role.label}",
        )
        return RevokeResult(RevokeOutcome.REVOKED, target, new_role)

    async def lift_unlisted_burns(self) -> int:
        """At start: admins burned while in ``ADMIN_IDS`` whose id has left the setting are
        burned no longer. They keep no role and no alerts: re-adding the id to ``ADMIN_IDS``
        (or an invite) brings them back. Returns how many."""
        lifted = await self._users.burned_admins_not_in(self._settings.admin_ids)
        for user in lifted:
            await self._users.lift_burn(user.telegram_id)
            await self._audit.record(
                at=self._clock.now(), actor=None, action="burn_lifted", target=user.pseudonym
            )
        return len(lifted)

    async def demote_unlisted_admins(self) -> int:
        """At start: admins whose id left ``ADMIN_IDS`` become subscribers. Returns how many."""
        demoted = await self._users.admins_not_in(self._settings.admin_ids)
        for user in demoted:
            await self._users.set_role(user.telegram_id, Role.SUBSCRIBER)
            await self._audit.record(
                at=self._clock.now(), actor=None, action="admin_removed", target=user.pseudonym
            )
        return len(demoted)
