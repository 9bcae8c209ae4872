"""Invites: who may invite whom; codes are random, hashed, single-use and expire."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.invites import RedeemOutcome, hash_code
from bot.roles import Role
from bot.services import Services
from storage.users import User
from tests.conftest import ADMIN_ID, person, sender


@pytest.fixture
async def admin(services: Services) -> User:
    return await person(services, ADMIN_ID, "Aigerim Nurlanovna", Role.ADMIN)


async def test_coordinator_invites_member_but_not_coordinator(services: Services) -> None:
    coordinator = await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    assert await services.invites.create(coordinator, Role.MEMBER) is not None
    assert await services.invites.create(coordinator, Role.COORDINATOR) is None
    denied = [e for e in await services.audit.recent() if e.action == "denied:/invite"]
    assert [(e.actor, e.detail) for e in denied] == [(coordinator.pseudonym, "coordinator")]


@pytest.mark.parametrize("role", [Role.SUBSCRIBER, Role.MEMBER])
async def test_lower_roles_cannot_invite(services: Services, role: Role) -> None:
    someone = await person(services, 6002, "Saule Omarova", role)
    assert await services.invites.create(someone, Role.MEMBER) is None


async def test_admin_cannot_invite_an_admin(services: Services, admin: User) -> None:
    assert await services.invites.create(admin, Role.ADMIN) is None


async def test_code_is_random_long_and_only_its_hash_is_stored(
    services: Services, admin: User
) -> None:
    codes = {(await services.invites.create(admin, Role.MEMBER)).code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(code) >= 16 for code in codes)  # 96 bits in URL-safe base64
    rows = await services.db.fetch_all("SELECT * FROM invites")
    stored = " ".join(str(value) for row in rows for value in tuple(row))
    assert not any(code in stored for code in codes)
    assert {row["code_hash"] for row in rows} == {hash_code(code) for code in codes}


async def test_redeem_grants_role_once(services: Services, admin: User) -> None:
    created = await services.invites.create(admin, Role.COORDINATOR)
    daniyar = sender(6001, "Daniyar", "daniyar_s")
    result = await services.invites.redeem(daniyar, created.code)
    assert result.outcome == RedeemOutcome.GRANTED
    assert (await services.users.get(6001)).role == Role.COORDINATOR
    again = await services.invites.redeem(sender(6002, "Saule"), created.code)
    assert again.outcome == RedeemOutcome.USED
    assert await services.users.get(6002) is None  # a refused stranger is not stored


async def test_expired_code_is_refused(services: Services, admin: User, clock: FrozenClock) -> None:
    created = await services.invites.create(admin, Role.MEMBER)
    clock.advance(services.settings.invite_ttl + timedelta(seconds=1))
    result = await services.invites.redeem(sender(6003, "Arman"), created.code)
    assert result.outcome == RedeemOutcome.EXPIRED
    assert await services.users.get(6003) is None


async def test_unknown_code_is_refused_and_audited(services: Services) -> None:
    result = await services.invites.redeem(sender(6004, "Bolat"), "not-a-real-code")
    assert result.outcome == RedeemOutcome.UNKNOWN
    assert [e.action for e in await services.audit.recent()] == ["invite_unknown"]


async def test_higher_role_keeps_role_and_code_stays_valid(services: Services, admin: User) -> None:
    created = await services.invites.create(admin, Role.MEMBER)
    result = await services.invites.redeem(sender(ADMIN_ID, "Aigerim"), created.code)
    assert result.outcome == RedeemOutcome.ALREADY
    assert (await services.users.get(ADMIN_ID)).role == Role.ADMIN
    later = await services.invites.redeem(sender(6005, "Dana"), created.code)
    assert later.outcome == RedeemOutcome.GRANTED
