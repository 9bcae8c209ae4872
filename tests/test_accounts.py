"""Registration, access decisions and revocation rules, without Telegram."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.access import Decision
from bot.accounts import Registration, RevokeOutcome
from bot.clock import FrozenClock
from bot.commands import COMMANDS, Command
from bot.roles import Role
from bot.services import Services
from storage.database import Database
from tests.conftest import ADMIN_ID, make_settings, person, sender


async def test_open_network_registers_subscribers(services: Services) -> None:
    outcome, user = await services.accounts.register(sender(7001, "Aliya", "aliya_k"))
    assert outcome == Registration.CREATED
    assert user is not None
    assert (user.role, user.subscribed) == (Role.SUBSCRIBER, True)
    assert user.pseudonym.startswith("p-")
    again, _ = await services.accounts.register(sender(7001, "Aliya", "aliya_k"))
    assert again == Registration.EXISTING


async def test_closed_network_needs_an_invite_and_stores_nobody(
    tmp_path: Path, clock: FrozenClock
) -> None:
    settings = make_settings(tmp_path, open_subscriptions=False)
    db = await Database.open(settings.database_path)
    await db.migrate()
    services = Services.build(settings, clock, db)
    try:
        outcome, user = await services.accounts.register(sender(7002, "Yerlan"))
        assert (outcome, user) == (Registration.INVITE_NEEDED, None)
        assert await services.users.get(7002) is None
        admin_outcome, admin = await services.accounts.register(sender(ADMIN_ID, "Aigerim"))
        assert admin_outcome == Registration.CREATED
        assert admin is not None
        assert admin.role == Role.ADMIN
    finally:
        await db.close()


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.role > Role.SUBSCRIBER])
@pytest.mark.parametrize("role", [Role.SUBSCRIBER, Role.MEMBER, Role.COORDINATOR])
async def test_every_privileged_command_is_refused_to_lower_roles(
    services: Services, command: Command, role: Role
) -> None:
    someone = await person(services, 7100 + role, "Timur Akhmetov", role)
    decision = await services.access.check(someone, command.name)
    if role >= command.role:
        assert decision == Decision.ALLOWED
        return
    assert decision == Decision.DENIED
    entries = await services.audit.recent()
    assert (entries[0].actor, entries[0].action) == (someone.pseudonym, f"denied:/{command.name}")


async def test_strangers_are_pointed_to_start(services: Services) -> None:
    assert await services.access.check(None, "subscribe") == Decision.NOT_REGISTERED
    assert await services.access.check(None, "members") == Decision.DENIED
    assert await services.access.check(None, "help") == Decision.ALLOWED
    assert await services.access.check(None, "fly") == Decision.UNKNOWN_COMMAND


async def test_revocation_follows_rank(services: Services) -> None:
    admin = await person(services, ADMIN_ID, "Aigerim Nurlanovna", Role.ADMIN)
    coordinator = await person(services, 7201, "Daniyar Sarsenbayev", Role.COORDINATOR)
    other = await person(services, 7202, "Gulnara Bekova", Role.COORDINATOR)
    member = await person(services, 7203, "Marat Ospanov", Role.MEMBER)
    subscriber = await person(services, 7204, "Asel Nurpeis", Role.SUBSCRIBER)
    revoke = services.accounts.revoke
    assert (await revoke(coordinator, "@gulnara")).outcome == RevokeOutcome.NOT_ALLOWED
    assert (await revoke(coordinator, str(ADMIN_ID))).outcome == RevokeOutcome.CONFIGURED_ADMIN
    assert (await revoke(coordinator, "@asel")).outcome == RevokeOutcome.NOT_PRIVILEGED
    assert (await revoke(coordinator, "@nobody_here")).outcome == RevokeOutcome.NOT_FOUND
    assert (await revoke(coordinator, "drop table;")).outcome == RevokeOutcome.BAD_TARGET
    assert (await revoke(coordinator, "")).outcome == RevokeOutcome.BAD_TARGET
    assert (await revoke(admin, str(ADMIN_ID))).outcome == RevokeOutcome.SELF
    done = await revoke(coordinator, "7203")
    assert (done.outcome, done.new_role) == (RevokeOutcome.REVOKED, Role.SUBSCRIBER)
    assert (await services.users.get(member.telegram_id)).role == Role.SUBSCRIBER
    assert (await revoke(admin, "@GULNARA")).outcome == RevokeOutcome.REVOKED
    actions = [(e.action, e.target) for e in await services.audit.recent(3)]
    assert ("revoke", other.pseudonym) in actions
    assert subscriber.role == Role.SUBSCRIBER


async def test_admins_removed_from_config_are_demoted_at_start(
    tmp_path: Path, clock: FrozenClock
) -> None:
    first = make_settings(tmp_path, admin_ids="5001,5002")
    db = await Database.open(first.database_path)
    await db.migrate()
    services = Services.build(first, clock, db)
    await services.accounts.register(sender(5002, "Nurlan"))
    assert (await services.users.get(5002)).role == Role.ADMIN
    later = Services.build(make_settings(tmp_path, admin_ids="5001"), clock, db)
    assert await later.accounts.demote_unlisted_admins() == 1
    assert (await later.users.get(5002)).role == Role.SUBSCRIBER
    await db.close()
