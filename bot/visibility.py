"""Who may see what about a person: one table, applied by every query.

Subscribers may include people hostile to the network. Public: name, status and since when,
facility, postal address, public notes, hearings, release date. Members and up: health and
birthday (health becomes public when a coordinator publishes it for the family). Coordinators:
lawyer contact, internal notes, unverified reports and who reported what.
"""

from __future__ import annotations

import enum

from bot.roles import Role


class Field(enum.StrEnum):
    NAME = "name"
    STATUS = "status"
    CITY = "city"
    FACILITY = "facility"
    POSTAL_ADDRESS = "postal_address"
    PUBLIC_NOTES = "public_notes"
    HEARINGS = "hearings"
    RELEASE = "release"
    HEALTH = "health"
    BIRTHDAY = "birthday"
    LAWYER = "lawyer"
    INTERNAL_NOTES = "internal_notes"
    UNVERIFIED_REPORTS = "unverified_reports"
    REPORTERS = "reporters"


LOWEST_ROLE: dict[Field, Role] = {
    Field.NAME: Role.SUBSCRIBER,
    Field.STATUS: Role.SUBSCRIBER,
    Field.CITY: Role.SUBSCRIBER,
    Field.FACILITY: Role.SUBSCRIBER,
    Field.POSTAL_ADDRESS: Role.SUBSCRIBER,
    Field.PUBLIC_NOTES: Role.SUBSCRIBER,
    Field.HEARINGS: Role.SUBSCRIBER,
    Field.RELEASE: Role.SUBSCRIBER,
    Field.HEALTH: Role.MEMBER,
    Field.BIRTHDAY: Role.MEMBER,
    Field.LAWYER: Role.COORDINATOR,
    Field.INTERNAL_NOTES: Role.COORDINATOR,
    Field.UNVERIFIED_REPORTS: Role.COORDINATOR,
    Field.REPORTERS: Role.COORDINATOR,
}


def may_see(field: Field, reader: Role, *, health_public: bool = False) -> bool:
    """Whether someone with role ``reader`` may see ``field`` of a person."""
    if field == Field.HEALTH and health_public:
        return reader >= Role.SUBSCRIBER
    return reader >= LOWEST_ROLE[field]
