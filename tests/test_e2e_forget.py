"""End to end: /forget asks first, then deletes the account; a later /start starts afresh."""

from __future__ import annotations

from bot.app import DabylApplication
from bot.roles import Role
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID
from tests.scenario import join, message_containing, services_of


async def test_forget_deletes_the_account_and_keeps_the_report_without_its_reporter(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    services = services_of(bot)
    await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    await marat.send("/detained Saule Bekova; Abay square, Almaty; taken into a van")
    await message_containing(marat, "Report #1 received")
    await marat.send("/follow Saule Bekova")
    await marat.expect_reply()
    before = await services.users.get(6002)
    assert before is not None

    await marat.send("/forget")
    question = await marat.expect_reply()
    assert "Delete your account?" in (question.text or "")
    await marat.press(question, "🗑 Delete")
    await marat.expect_edit(question)
    assert question.text == "Your account is deleted. Send /start if you ever want to join again."
    assert question.buttons == []

    assert await services.users.get(6002) is None
    report = await services.reports.get(1)
    assert report is not None
    assert (report.reporter_id, report.details) == (None, "taken into a van")
    for table, column in (("follows", "user_id"), ("deliveries", "chat_id")):
        row = await services.db.fetch_one(
            f"SELECT count(*) FROM {table} WHERE {column} = 6002"  # fixed names
        )
        assert row is not None and row[0] == 0, table
    trail = [(e.actor, e.action) for e in await services.audit.recent()]
    assert (before.pseudonym, "forget") in trail
    row = await services.db.fetch_one(
        "SELECT count(*) FROM users WHERE pseudonym = ?", (before.pseudonym,)
    )
    assert row is not None and row[0] == 0

    await marat.send("/follow Saule Bekova")  # the bot no longer knows him
    assert (await marat.expect_reply()).text == "Send /start first to join."
    await marat.send("/start")
    assert (await marat.expect_reply()).text.startswith("Welcome to Dabyl!")
    again = await services.users.get(6002)
    assert again is not None
    assert (again.role, again.pseudonym != before.pseudonym) == (Role.SUBSCRIBER, True)


async def test_keep_leaves_everything_as_it_was(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    before = await services_of(bot).users.get(6003)

    await asel.send("/forget")
    question = await asel.expect_reply()
    await asel.press(question, "Keep")
    await asel.expect_edit(question)

    assert question.text == "Nothing was deleted. Your account stays."
    assert await services_of(bot).users.get(6003) == before


async def test_an_admin_from_admin_ids_is_told_to_leave_the_setting_first(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")

    await aigerim.send("/forget")
    reply = await aigerim.expect_reply()

    assert "ADMIN_IDS" in (reply.text or "")
    assert reply.buttons == []
    assert await services_of(bot).users.get(ADMIN_ID) is not None


async def test_a_stranger_has_nothing_to_forget(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    bolat = telegram.user(6004, "Bolat")

    await bolat.send("/forget")

    assert (await bolat.expect_reply()).text == (
        "The bot has no account of yours. Nothing was deleted."
    )
    assert await services_of(bot).users.get(6004) is None
