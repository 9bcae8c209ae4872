"""Finding the person a typed name means: the one place names are matched.

An exact match (case, spaces and ё/е ignored: :func:`bot.people.match_key`) wins; otherwise the
forgiving matcher of :mod:`bot.names` (scripts, Kazakh letters, typos, initials) decides, and
when two people match closely the caller asks which one instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.names import Candidate, Match, Resolution, rank, resolve
from bot.people import match_key
from bot.roles import Role
from bot.visibility import Field, may_see
from storage.people import PeopleRepository, Person


@dataclass(frozen=True, slots=True)
class Lookup:
    """A typed name: the person it means, or close candidates (empty when nobody matches)."""

    person: Person | None
    candidates: list[Match]


async def recorded(people: PeopleRepository, name: str) -> Person | None:
    """The person recorded under exactly this name or alias (the oldest if several), whoever
    asks: for commands that create a person when the name is new."""
    found = await people.find_by_key(match_key(name))
    return found[0] if found else None


class PeopleDirectory:
    """Name lookups over the people repository."""

    def __init__(self, people: PeopleRepository) -> None:
        self._people = people
        # Every name and alias, ready to rank, with the names_version it was read at: reading
        # and preparing 1,000 people's names took about half of a /find (bench/queries.py).
        self._candidates: tuple[int, list[Candidate]] | None = None

    async def _all_names(self) -> list[Candidate]:
        """Every person's names, re-read only after a name or alias changed in the database."""
        version = await self._people.names_version()
        if self._candidates is None or self._candidates[0] != version:
            names = await self._people.names()
            self._candidates = (version, [Candidate(pid, names) for pid, names in names])
        return self._candidates[1]

    async def _visible(self, reader: Role, person_ids: list[int]) -> set[int]:
        """Which of ``person_ids`` ``reader`` may find (coordinators see unsent reports too)."""
        if may_see(Field.UNVERIFIED_REPORTS, reader):
            return set(person_ids)
        return await self._people.known_publicly(person_ids)

    async def exact(self, name: str, reader: Role) -> Person | None:
        """The person recorded under exactly this name or alias (the oldest if several)."""
        found = await self._people.find_by_key(match_key(name))
        visible = await self._visible(reader, [p.id for p in found])
        found = [p for p in found if p.id in visible]
        return found[0] if found else None

    async def search(self, text: str, reader: Role, limit: int = 5) -> list[Match]:
        """People whose name or alias matches ``text`` across scripts and typos, best first."""
        candidates = await self._all_names()
        # Rank everyone, then keep whom the reader may find (a few lookups by primary key).
        ranked = rank(text, candidates, limit=limit * 4)
        visible = await self._visible(reader, [m.person_id for m in ranked])
        return [m for m in ranked if m.person_id in visible][:limit]

    async def lookup(self, name: str, reader: Role) -> Lookup:
        """The one person ``name`` means to ``reader``, or the close candidates to choose from."""
        found = await self._people.find_by_key(match_key(name))
        visible = await self._visible(reader, [p.id for p in found])
        exact = [p for p in found if p.id in visible]
        if len(exact) == 1:
            return Lookup(exact[0], [])
        matches = await self.search(name, reader)
        decision = resolve(matches)
        if decision == Resolution.ONE:
            return Lookup(await self._people.get(matches[0].person_id), [])
        return Lookup(None, matches if decision == Resolution.CHOOSE else [])
