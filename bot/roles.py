"""Roles, lowest to highest; each role may do everything the roles below it may."""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    """A person's standing with the network."""

    NONE = 0  # known to the bot but without access (revoked in a closed network)
    SUBSCRIBER = 1
    MEMBER = 2
    COORDINATOR = 3
    ADMIN = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role | None:
        """Return the role named ``text`` (case-insensitive), or None."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            return None
