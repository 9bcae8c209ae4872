"""End to end: duplicates, retractions, attachments, escalation, bad input, re-delivered updates."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.roles import Role
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID
from tests.scenario import join, message_containing, services_of


async def test_duplicate_makes_no_second_alert_and_retract_reaches_exactly_the_recipients(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    gulnara = await join(telegram, bot, 6004, "Gulnara Bekova", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Saule Bekova; Abay square")
    await message_containing(asel, "Detained: Saule Bekova")
    await message_containing(daniyar, "Alert #1: delivered to 3 of 3")

    clock.advance(timedelta(hours=5))
    await gulnara.send("/detained SAULE  BEKOVA; near the akimat")
    duplicate = await message_containing(gulnara, "This matches")
    assert (
        "This matches report #1 from 1 Mar 2026, 14:00, which now has 2 reports." in duplicate.text
    )
    await asel.expect_no_reply(within=0.5)

    late = await join(telegram, bot, 6005, "Bolat Abenov")  # joined after the alert went out
    await gulnara.send("/retract 1; she was released before the van left")
    await message_containing(gulnara, "Report #1 retracted")
    correction = await message_containing(asel, "Correction: report #1")
    assert "Reason: she was released before the van left" in correction.text
    await message_containing(daniyar, "Correction: report #1")
    await message_containing(gulnara, "Correction: report #1")
    await late.expect_no_reply(within=0.5)
    report = await services_of(bot).reports.get(1)
    assert report is not None
    assert (report.state.value, report.corroborations) == ("retracted", 2)
    saule = await services_of(bot).reports.find_person("Saule Bekova")
    assert saule is not None
    assert (saule.status.value, saule.status_since, saule.held_at) == ("free", None, "")


async def test_photo_after_a_pending_report_goes_out_with_it(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/detained Saule Bekova; Abay square")
    await marat.expect_reply()
    await marat.send_photo()
    assert "Added to report #1" in (await marat.expect_reply()).text
    await daniyar.send("/verify 1")
    await message_containing(asel, "Detained: Saule Bekova")
    assert "photo" in (await asel.expect_reply()).raw


async def test_report_waiting_too_long_is_sent_again_to_coordinators(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    await marat.send("/health Saule Bekova; day 12 of hunger strike, weight 45 kg")
    await message_containing(daniyar, "Please verify")
    await message_containing(aigerim, "Please verify")
    services = services_of(bot)
    clock.advance(timedelta(minutes=9))
    assert await services.reports.escalate() == []
    clock.advance(timedelta(minutes=2))
    assert [r.id for r in await services.reports.escalate()] == [1]
    assert await services.reports.escalate() == []  # once
    again = await message_containing(daniyar, "Still waiting for verification")
    await message_containing(aigerim, "Still waiting for verification")
    await daniyar.press(again, "❌ Reject")
    await daniyar.expect_callback_answer()
    assert "rejected" in (await message_containing(marat, "Your report #1")).text


async def test_bad_report_input_gets_the_format_and_stores_nothing(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    cases = {
        "/detained": "Whom is this about?",
        "/detained Saule Bekova": "Where did it happen?",
        "/detained " + "S" * 201 + "; Abay square": "The name is too long (at most 200",
        "/health Saule Bekova": "The details are missing.",
        "/released Saule; " + "x" * 2001: "The details are too long (at most 2000",
    }
    for command, problem in cases.items():
        await marat.send(command)
        reply = (await marat.expect_reply()).text
        assert reply.startswith(problem), reply
        assert "Nothing was saved." in reply
        assert "Example: /" in reply
    services = services_of(bot)
    assert await services.db.fetch_all("SELECT id FROM reports") == []
    assert await services.db.fetch_all("SELECT id FROM people") == []
    await marat.send("/verify 1")
    assert "not available to you" in (await marat.expect_reply()).text


async def test_an_update_delivered_twice_is_applied_once(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    sent = await marat.send("/detained Saule Bekova; Abay square")
    await marat.expect_reply()
    again = Update.de_json({"update_id": sent.update_id, "message": sent.raw}, bot.bot)
    await bot.process_update(again)
    await marat.expect_no_reply(within=0.3)
    assert len(await services_of(bot).db.fetch_all("SELECT id FROM reports")) == 1
