"""Following people, and choosing between every alert and only those about people one follows."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.clock import Clock
from bot.directory import PeopleDirectory
from bot.roles import Role
from storage.follows import FollowRepository
from storage.people import Person
from storage.users import User, UserRepository

ALERT_MODES = ("all", "followed")


class FollowStatus(enum.Enum):
    DONE = "done"
    UNCHANGED = "unchanged"  # already followed / was not followed
    UNKNOWN_PERSON = "unknown_person"
    CHOOSE = "choose"  # two people match closely: the person must write the full name


@dataclass(frozen=True, slots=True)
class FollowResult:
    status: FollowStatus
    person: Person | None = None
    candidates: tuple[str, ...] = ()


class FollowService:
    """Who follows whom; only people the bot already knows can be followed."""

    def __init__(
        self,
        directory: PeopleDirectory,
        follows: FollowRepository,
        users: UserRepository,
        clock: Clock,
    ) -> None:
        self._directory = directory
        self._follows = follows
        self._users = users
        self._clock = clock

    async def _person(self, name: str, reader: Role) -> Person | FollowResult:
        lookup = await self._directory.lookup(name, reader)
        if lookup.person is not None:
            return lookup.person
        if lookup.candidates:
            names = tuple(match.name for match in lookup.candidates)
            return FollowResult(FollowStatus.CHOOSE, candidates=names)
        return FollowResult(FollowStatus.UNKNOWN_PERSON)

    async def follow(self, user: User, name: str) -> FollowResult:
        person = await self._person(name, user.role)
        if isinstance(person, FollowResult):
            return person
        added = await self._follows.follow(user.telegram_id, person.id, self._clock.now())
        return FollowResult(FollowStatus.DONE if added else FollowStatus.UNCHANGED, person)

    async def unfollow(self, user: User, name: str) -> FollowResult:
        person = await self._person(name, user.role)
        if isinstance(person, FollowResult):
            return person
        removed = await self._follows.unfollow(user.telegram_id, person.id)
        return FollowResult(FollowStatus.DONE if removed else FollowStatus.UNCHANGED, person)

    async def following(self, user: User) -> list[Person]:
        return await self._follows.followed_by(user.telegram_id)

    async def set_mode(self, user: User, mode: str) -> bool:
        """Set "all" or "followed"; False for anything else."""
        if mode not in ALERT_MODES:
            return False
        await self._users.set_alert_mode(user.telegram_id, mode)
        return True
