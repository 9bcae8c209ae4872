"""/burn rules: who may burn whom, what a burn changes, and ADMIN_IDS against a burn."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.burn import BurnOutcome, may_burn
from bot.clock import FrozenClock
from bot.invites import RedeemOutcome
from bot.roles import Role
from bot.services import Services
from storage.database import Database
from storage.outbox import CANCELLED, NewAlert
from tests.conftest import make_settings, person, sender

RULES = [
    (Role.COORDINATOR, Role.SUBSCRIBER, True),
    (Role.COORDINATOR, Role.MEMBER, True),
    (Role.COORDINATOR, Role.COORDINATOR, False),
    (Role.COORDINATOR, Role.ADMIN, False),
    (Role.ADMIN, Role.MEMBER, True),
    (Role.ADMIN, Role.COORDINATOR, True),
    (Role.ADMIN, Role.ADMIN, True),
    (Role.MEMBER, Role.MEMBER, False),
]


@pytest.mark.parametrize(("actor_role", "target_role", "allowed"), RULES)
async def test_who_may_burn_whom(
    services: Services, actor_role: Role, target_role: Role, allowed: bool
) -> None:
    actor = await person(services, 7001, "Gulnara Bekova", actor_role)
    target = await person(services, 7002, "Yerlan Abenov", target_role)
    assert may_burn(actor, target) is allowed
    assert may_burn(actor, actor) is False


async def test_burn_replies_for_twice_unknown_self_and_a_coordinator(services: Services) -> None:
    gulnara = await person(services, 7001, "Gulnara Bekova", Role.COORDINATOR)
    await person(services, 7002, "Yerlan Abenov", Role.COORDINATOR)
    await person(services, 7003, "Saule Omarova", Role.MEMBER)
    burns = services.burns
    assert (await burns.burn(gulnara, "not a name!")).outcome is BurnOutcome.BAD_TARGET
    assert (await burns.burn(gulnara, "@nobody_here")).outcome is BurnOutcome.NOT_FOUND
    assert (await burns.burn(gulnara, "7001")).outcome is BurnOutcome.SELF
    assert (await burns.burn(gulnara, "@yerlan")).outcome is BurnOutcome.NOT_ALLOWED
    assert (await services.audit.recent(1))[0].action == "denied:burn"
    assert (await services.users.get(7002)).role == Role.COORDINATOR
    assert (await burns.burn(gulnara, "@saule")).outcome is BurnOutcome.BURNED
    assert (await burns.burn(gulnara, "7003")).outcome is BurnOutcome.ALREADY


async def test_burn_takes_everything_at_once(services: Services, clock: FrozenClock) -> None:
    aigerim = await person(services, 7000, "Aigerim Nurlanovna", Role.ADMIN)
    gulnara = await person(services, 7001, "Gulnara Bekova", Role.COORDINATOR)
    yerlan = await person(services, 7002, "Yerlan Abenov", Role.COORDINATOR)
    used = await services.invites.create(yerlan, Role.MEMBER)
    pending = await services.invites.create(yerlan, Role.MEMBER)
    assert used is not None and pending is not None
    redeemed = await services.invites.redeem(sender(7005, "Timur Ospanov", "timur"), used.code)
    assert redeemed.outcome is RedeemOutcome.GRANTED
    alert_id = await services.outbox.enqueue(
        NewAlert(kind="broadcast", text="Court at 10:00", priority=1, summary_chat_id=7002),
        [7001, 7002],
        clock.now(),
    )

    result = await services.burns.burn(aigerim, "@yerlan")

    assert result.outcome is BurnOutcome.BURNED
    assert (result.invites_voided, result.deliveries_cancelled) == (1, 1)
    assert [u.telegram_id for u in result.tell] == [gulnara.telegram_id]
    burned = await services.users.get(7002)
    assert (burned.role, burned.subscribed, burned.burned_at) == (Role.NONE, False, clock.now())
    states = {d.chat_id: (d.state, d.error) for d in await services.outbox.deliveries(alert_id)}
    assert states == {7001: ("pending", ""), 7002: ("failed", CANCELLED)}
    assert (await services.outbox.get(alert_id)).summary_chat_id is None
    assert 7002 not in await services.users.alert_recipients(None)
    late = await services.invites.redeem(sender(7006, "Arman Zhaksylykov"), pending.code)
    assert late.outcome is RedeemOutcome.EXPIRED
    assert (await services.users.get(7005)).role == Role.MEMBER  # a used invite stays used
    entry = (await services.audit.recent(1))[0]
    assert (entry.actor, entry.action, entry.target) == (
        aigerim.pseudonym,
        "burn",
        yerlan.pseudonym,
    )
    assert "Yerlan" not in entry.detail and "7002" not in entry.detail


async def test_burned_person_is_not_even_seen(services: Services, clock: FrozenClock) -> None:
    aigerim = await person(services, 7000, "Aigerim Nurlanovna", Role.ADMIN)
    await person(services, 7003, "Saule Omarova", Role.MEMBER)
    await services.burns.burn(aigerim, "7003")
    before = await services.users.get(7003)
    clock.advance(timedelta(hours=1))
    seen = await services.accounts.identify(sender(7003, "Someone Else", "other_name"))
    assert seen == before
    assert services.access.ignores(seen)
    assert not services.access.ignores(await services.users.get(7000))
    assert not services.access.ignores(None)


async def test_admin_from_admin_ids_stays_burned_until_the_id_leaves(
    tmp_path: Path, clock: FrozenClock
) -> None:
    settings = make_settings(tmp_path, admin_ids="7000,7009")
    db = await Database.open(settings.database_path)
    await db.migrate()
    services = Services.build(settings, clock, db)
    aigerim = await person(services, 7000, "Aigerim Nurlanovna", Role.ADMIN)
    await person(services, 7009, "Bolat Kassymov", Role.ADMIN)
    assert (await services.burns.burn(aigerim, "7009")).outcome is BurnOutcome.BURNED
    bolat = sender(7009, "Bolat", "bolat")
    assert (await services.accounts.identify(bolat)).role == Role.NONE
    await db.close()

    # A restart with the id still listed: the start-up steps leave the burn in place.
    db = await Database.open(settings.database_path)
    services = Services.build(settings, clock, db)
    assert await services.accounts.lift_unlisted_burns() == 0
    await services.accounts.demote_unlisted_admins()
    user = await services.accounts.identify(bolat)
    assert (user.role, user.burned) == (Role.NONE, True)
    await db.close()

    # The id leaves ADMIN_IDS: the burn is lifted, the role is not given back.
    settings = make_settings(tmp_path, admin_ids="7000")
    db = await Database.open(settings.database_path)
    services = Services.build(settings, clock, db)
    assert await services.accounts.lift_unlisted_burns() == 1
    user = await services.accounts.identify(bolat)
    assert (user.role, user.burned, user.subscribed) == (Role.NONE, False, False)
    assert (await services.audit.recent(1))[0].action == "burn_lifted"
    await db.close()

    # Listed again (a new phone, by the operator's hand): an admin again.
    settings = make_settings(tmp_path, admin_ids="7000,7009")
    db = await Database.open(settings.database_path)
    services = Services.build(settings, clock, db)
    assert (await services.accounts.identify(bolat)).role == Role.ADMIN
    await db.close()


async def test_a_burned_coordinator_is_not_burned_free_by_a_restart(
    services: Services,
) -> None:
    aigerim = await person(services, 7000, "Aigerim Nurlanovna", Role.ADMIN)
    await person(services, 7001, "Gulnara Bekova", Role.COORDINATOR)
    await services.burns.burn(aigerim, "7001")
    assert await services.accounts.lift_unlisted_burns() == 0
    assert (await services.users.get(7001)).burned
