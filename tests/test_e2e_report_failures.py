"""End to end: reports keep their promises when Telegram or the input misbehaves."""

from __future__ import annotations

from bot.app import DabylApplication
from bot.roles import Role
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID
from tests.scenario import join, message_containing, services_of


async def test_a_failed_verification_request_does_not_stop_the_others_or_the_receipt(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")  # asked first
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    telegram.fail_next("sendMessage", 502)  # the request to the admin is lost
    await marat.send("/detained Saule Bekova; Abay square")
    await message_containing(daniyar, "Please verify this report from Marat")
    assert "waiting for a coordinator" in (await message_containing(marat, "Report #1")).text
    await aigerim.expect_no_reply(within=0.3)


async def test_the_decision_stands_when_telling_the_reporter_fails(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/detained Saule Bekova; Abay square")
    await message_containing(daniyar, "Please verify")
    await marat.expect_reply()
    services = services_of(bot)
    await services.broadcaster.stop()  # so the one failing sendMessage is the outcome's
    telegram.fail_next("sendMessage", 502)
    await daniyar.send("/verify 1")
    assert "confirmed" in (await message_containing(daniyar, "Report #1 confirmed")).text
    rows = await services.db.fetch_all("SELECT chat_id FROM deliveries ORDER BY chat_id")
    assert [row["chat_id"] for row in rows] == [6001, 6002, 6003]


async def test_every_photo_and_video_added_to_a_pending_report_goes_out(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/detained Saule Bekova; Abay square")
    await marat.expect_reply()
    await marat.send_photo()
    assert "Added to report #1" in (await marat.expect_reply()).text
    await marat.send_video()
    assert "Added to report #1" in (await marat.expect_reply()).text
    await daniyar.send("/verify 1")
    await message_containing(asel, "Detained: Saule Bekova")
    received = await asel.expect_replies(3, timeout=10)
    assert sum("photo" in m.raw for m in received) == 1
    assert sum("video" in m.raw for m in received) == 1


async def test_an_overlong_reason_is_refused_and_nothing_is_retracted(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Saule Bekova; Abay square")
    await message_containing(asel, "Detained: Saule Bekova")
    await daniyar.send("/retract 1; " + "x" * 4000)  # a correction this long cannot be sent
    reply = await message_containing(daniyar, "Nothing was saved")
    assert "The reason is too long (at most 2000 characters)" in reply.text
    assert "Example: /retract 12; a false alarm" in reply.text
    report = await services_of(bot).reports.get(1)
    assert report is not None
    assert report.state.value == "confirmed"


async def test_the_guided_report_asks_again_for_a_field_it_cannot_take(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    await marat.send("/report")
    step = await marat.expect_reply()
    await marat.press(step, "Health update")
    step = await marat.expect_edit(step)
    await marat.send("S" * 250)  # a pasted post, not a name
    assert "The name is too long" in (await marat.expect_reply()).text
    await marat.send("Saule Bekova")
    step = await marat.expect_reply()
    assert "Where?" in step.text
    await marat.send("P" * 201)
    assert "The place is too long" in (await marat.expect_reply()).text
    await marat.press(step, "Skip")
    step = await marat.expect_edit(step)
    await marat.press(step, "Skip")  # a health update needs its details
    assert "The details are missing" in (await marat.expect_edit(step)).text
    await marat.send("x" * 2001)
    assert "The details are too long" in (await marat.expect_reply()).text
    await marat.send("day 12 of hunger strike")
    preview = await marat.expect_reply()
    assert "Health update: Saule Bekova" in preview.text
    await marat.press(preview, "Send")
    assert "Report #1 received" in (await message_containing(marat, "Report #1")).text


async def test_a_coordinators_own_report_sends_a_matching_report_still_waiting(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/detained Saule Bekova; Abay square")
    await message_containing(daniyar, "Please verify")
    # The coordinator saw it too and reports it: under VERIFICATION=coordinator that goes out.
    await daniyar.send("/detained Saule Bekova; Abay square, near the fountain")
    receipt = await message_containing(daniyar, "This matches report #1")
    assert "it is being sent to subscribers now" in receipt.text
    alert = await message_containing(asel, "Detained: Saule Bekova")
    assert "Report #1 · verified by a coordinator · 2 reports" in alert.text
    assert "verified" in (await message_containing(marat, "Your report #1")).text
