"""End to end: people join, invite each other, and lose roles, through real HTTP."""

from __future__ import annotations

import re

import pytest

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.commands import COMMANDS, Command
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID
from tests.harness import running_bot

INVITE_LINK = re.compile(r"https://t\.me/dabyl_test_bot\?start=([A-Za-z0-9_-]{16,64})")


def services_of(application: DabylApplication) -> Services:
    return application.bot_data["services"]


def invite_code(text: str) -> str:
    match = INVITE_LINK.search(text)
    assert match, f"no invite link in {text!r}"
    return match.group(1)


async def test_chain_of_invites_survives_a_restart(
    telegram: FakeBotAPI, bot_settings: Settings, clock: FrozenClock
) -> None:
    aigerim = telegram.user(ADMIN_ID, "Aigerim", username="aigerim_n", last_name="Nurlanovna")
    daniyar = telegram.user(6001, "Daniyar", username="daniyar_s")
    marat = telegram.user(6002, "Marat", username="marat_o")
    async with running_bot(bot_settings, clock) as application:
        await aigerim.send("/start")
        welcome = await aigerim.expect_reply()
        assert "You are: admin." in welcome.text
        assert "/invite" in welcome.text

        await aigerim.send("/invite coordinator")
        coordinator_invite = await aigerim.expect_reply()
        assert "valid once until 3 Mar 2026, 14:00:" in coordinator_invite.text  # 48h, Almaty time
        await daniyar.send(f"/start {invite_code(coordinator_invite.text)}")
        assert "You are now: coordinator." in (await daniyar.expect_reply()).text

        await daniyar.send("/invite member")
        member_invite = await daniyar.expect_reply()
        await marat.send(f"/start {invite_code(member_invite.text)}")
        assert "You are now: member." in (await marat.expect_reply()).text

        # A member's menu lists the member commands; a coordinator's adds /invite.
        member_menu = telegram.commands[("chat:6002", "")]
        assert "invite" not in [c["command"] for c in member_menu]
        assert "invite" in [c["command"] for c in telegram.commands[("chat:6001", "")]]
        actions = [e.action for e in await services_of(application).audit.recent()]
        assert actions.count("invite_redeemed") == 2

    async with running_bot(bot_settings, clock) as application:
        await daniyar.send("/members")
        listing = (await daniyar.expect_reply()).text
        assert "Aigerim (@aigerim_n) — admin" in listing
        assert "Daniyar (@daniyar_s) — coordinator" in listing
        assert "Marat (@marat_o) — member" in listing


async def test_bad_codes_are_refused_without_a_role_change(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    aigerim = telegram.user(ADMIN_ID, "Aigerim", username="aigerim_n")
    saule = telegram.user(6003, "Saule", username="saule_b")
    arman = telegram.user(6004, "Arman")
    await aigerim.send("/start")
    await aigerim.expect_reply()

    await saule.send("/start thisCodeWasNeverIssued1")
    assert "not valid" in (await saule.expect_reply()).text

    await aigerim.send("/invite member")
    code = invite_code((await aigerim.expect_reply()).text)
    await saule.send(f"/start {code}")
    assert "You are now: member." in (await saule.expect_reply()).text
    await arman.send(f"/start {code}")
    assert "already been used" in (await arman.expect_reply()).text

    await aigerim.send("/invite member")
    late_code = invite_code((await aigerim.expect_reply()).text)
    clock.advance(bot.bot_data["services"].settings.invite_ttl)
    await arman.send(f"/start {late_code}")
    assert "expired" in (await arman.expect_reply()).text
    users = services_of(bot).users
    assert (await users.get(6003)).role == Role.MEMBER
    assert await users.get(6004) is None


async def test_subscriber_cannot_use_privileged_commands(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    asel = telegram.user(6005, "Asel", username="asel_n")
    await asel.send("/start")
    welcome = (await asel.expect_reply()).text
    assert "You are: subscriber." in welcome
    assert "/invite" not in welcome
    assert "/members" not in welcome
    for command in ("/invite member", "/members", "/revoke @daniyar_s"):
        await asel.send(command)
        assert "not available to you" in (await asel.expect_reply()).text
    audit = await services_of(bot).audit.recent()
    assert {e.action for e in audit} >= {"denied:/invite", "denied:/members", "denied:/revoke"}
    assert await services_of(bot).users.with_role_at_least(Role.MEMBER) == []


PRIVILEGED = [
    (command, role)
    for command in COMMANDS
    if command.role > Role.SUBSCRIBER
    for role in Role
    if Role.SUBSCRIBER <= role < command.role
]


@pytest.mark.parametrize(
    ("command", "role"), PRIVILEGED, ids=[f"{c.name}-{r.label}" for c, r in PRIVILEGED]
)
async def test_every_privileged_command_refuses_every_lower_role(
    telegram: FakeBotAPI, bot: DabylApplication, command: Command, role: Role
) -> None:
    services = services_of(bot)
    timur = telegram.user(6010, "Timur", username="timur_a")
    await timur.send("/start")
    await timur.expect_reply()
    await services.users.set_role(6010, role)
    await timur.send(f"/{command.name} member")
    assert (await timur.expect_reply()).text == (
        f"Sorry, /{command.name} is not available to you. See /help."
    )
    latest = (await services.audit.recent(1))[0]
    user = await services.users.get(6010)
    assert (latest.actor, latest.action) == (user.pseudonym, f"denied:/{command.name}")
    assert user.role == role
    assert await services.db.fetch_all("SELECT id FROM invites") == []


async def test_coordinator_cannot_invite_a_coordinator(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    services = services_of(bot)
    daniyar = telegram.user(6001, "Daniyar", username="daniyar_s")
    await daniyar.send("/start")
    await daniyar.expect_reply()
    await services.users.set_role(6001, Role.COORDINATOR)
    await daniyar.send("/invite coordinator")
    assert (await daniyar.expect_reply()).text == "Sorry, you cannot invite a coordinator."
    assert (await services.audit.recent(1))[0].action == "denied:/invite"
    assert await services.db.fetch_all("SELECT id FROM invites") == []


async def test_revoke_is_audited_and_ranked(telegram: FakeBotAPI, bot: DabylApplication) -> None:
    services = services_of(bot)
    aigerim = telegram.user(ADMIN_ID, "Aigerim", username="aigerim_n")
    daniyar = telegram.user(6001, "Daniyar", username="daniyar_s")
    marat = telegram.user(6002, "Marat", username="marat_o")
    for person in (aigerim, daniyar, marat):
        await person.send("/start")
        await person.expect_reply()
    await services.users.set_role(6001, Role.COORDINATOR)
    await services.users.set_role(6002, Role.MEMBER)

    await daniyar.send(f"/revoke {ADMIN_ID}")
    assert "cannot be revoked" in (await daniyar.expect_reply()).text
    await daniyar.send("/revoke")
    assert "Example: /revoke @daniyar_s" in (await daniyar.expect_reply()).text
    await daniyar.send("/revoke @marat_o")
    assert "Marat (@marat_o) is now: subscriber." in (await daniyar.expect_reply()).text
    await aigerim.send("/revoke 6001")
    assert "is now: subscriber." in (await aigerim.expect_reply()).text

    assert (await services.users.get(6002)).role == Role.SUBSCRIBER
    assert (await services.users.get(6001)).role == Role.SUBSCRIBER
    revokes = [e for e in await services.audit.recent() if e.action == "revoke"]
    marat_user, daniyar_user = await services.users.get(6002), await services.users.get(6001)
    assert [(e.target, e.detail) for e in revokes] == [
        (daniyar_user.pseudonym, "coordinator->subscriber"),
        (marat_user.pseudonym, "member->subscriber"),
    ]
    await marat.send("/invite member")
    assert "not available to you" in (await marat.expect_reply()).text


async def test_subscribe_and_unsubscribe(telegram: FakeBotAPI, bot: DabylApplication) -> None:
    asel = telegram.user(6005, "Asel")
    await asel.send("/subscribe")
    assert "Send /start first" in (await asel.expect_reply()).text
    await asel.send("/start")
    await asel.expect_reply()
    await asel.send("/unsubscribe")
    assert "Alerts are off" in (await asel.expect_reply()).text
    assert (await services_of(bot).users.get(6005)).subscribed is False
    await asel.send("/unsubscribe")
    assert "already off" in (await asel.expect_reply()).text
    await asel.send("/subscribe")
    assert "Alerts are on" in (await asel.expect_reply()).text
    assert (await services_of(bot).users.get(6005)).subscribed is True


async def test_admin_reads_the_audit_log_by_pseudonym(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    services = services_of(bot)
    aigerim = telegram.user(ADMIN_ID, "Aigerim", username="aigerim_n")
    asel = telegram.user(6005, "Asel", username="asel_n")
    for person in (aigerim, asel):
        await person.send("/start")
        await person.expect_reply()
    await asel.send("/members")
    await asel.expect_reply()
    await asel.send("/audit")
    assert "not available to you" in (await asel.expect_reply()).text
    await aigerim.send("/audit 5")
    log = (await aigerim.expect_reply()).text
    asel_user = await services.users.get(6005)
    assert f"{asel_user.pseudonym} · denied:/members · subscriber" in log
    assert f"{asel_user.pseudonym} · denied:/audit" in log
    assert "6005" not in log
    assert "asel" not in log.lower()
    await aigerim.send("/audit all")
    assert "Example: /audit 50" in (await aigerim.expect_reply()).text
