"""The visibility table: every field against every role."""

from __future__ import annotations

import pytest

from bot.roles import Role
from bot.visibility import LOWEST_ROLE, Field, may_see

PUBLIC = {Field.NAME, Field.STATUS, Field.CITY, Field.FACILITY, Field.POSTAL_ADDRESS,
          Field.PUBLIC_NOTES, Field.HEARINGS, Field.RELEASE}  # fmt: skip
MEMBERS = {Field.HEALTH, Field.BIRTHDAY}
COORDINATORS = {Field.LAWYER, Field.INTERNAL_NOTES, Field.UNVERIFIED_REPORTS, Field.REPORTERS}


def test_every_field_has_a_visibility() -> None:
    assert set(LOWEST_ROLE) == set(Field) == PUBLIC | MEMBERS | COORDINATORS


@pytest.mark.parametrize("field", list(Field))
@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_fields_only(field: Field, role: Role) -> None:
    expected = (
        (field in PUBLIC and role >= Role.SUBSCRIBER)
        or (field in MEMBERS and role >= Role.MEMBER)
        or (field in COORDINATORS and role >= Role.COORDINATOR)
    )
    assert may_see(field, role) == expected


def test_published_health_is_public_but_birthday_stays_private() -> None:
    assert may_see(Field.HEALTH, Role.SUBSCRIBER, health_public=True)
    assert not may_see(Field.HEALTH, Role.NONE, health_public=True)
    assert not may_see(Field.BIRTHDAY, Role.SUBSCRIBER, health_public=True)
    assert not may_see(Field.LAWYER, Role.MEMBER, health_public=True)
