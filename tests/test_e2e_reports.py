"""End to end: a detention is reported, verified and delivered, through real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.people import Status
from bot.roles import Role
from fakebotapi import FakeBotAPI
from storage.reports import ReportState
from tests.conftest import ADMIN_ID, make_settings
from tests.harness import running_bot
from tests.scenario import join, message_containing, services_of

CHANNEL = -100777


@pytest.fixture
def network() -> dict[str, Any]:
    """Settings changed by a test before the bot starts (see ``bot`` below)."""
    return {"alert_chat_ids": str(CHANNEL)}


async def test_member_reports_coordinator_confirms_subscribers_receive(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    channel = telegram.channel(CHANNEL, "Dabyl alerts")
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")

    await marat.send("/detained Saule Bekova; Abay square, Almaty; taken into a van <fast> & *2*")
    receipt = await marat.expect_reply()
    assert receipt.text == (
        "Report #1 received at 1 Mar 2026, 14:00. It is waiting for a coordinator to verify it; "
        "you will be told the outcome.\nWhat to do next: /guide friend"
    )
    await asel.expect_no_reply(within=0.3)  # nothing goes out before a coordinator confirms

    request = await message_containing(daniyar, "Please verify this report from Marat")
    admin_copy = await message_containing(aigerim, "Please verify this report")
    assert "Detained: Saule Bekova" in request.text
    await daniyar.press(request, "✅ Confirm")
    assert "confirmed" in (await daniyar.expect_callback_answer()).text
    await aigerim.expect_edit(admin_copy)
    assert "✅ Confirmed by Daniyar (@daniyar_x) at 1 Mar 2026, 14:00." in admin_copy.text
    assert admin_copy.buttons == []

    assert "verified" in (await message_containing(marat, "Your report #1")).text
    for person in (asel, marat, daniyar, aigerim):
        alert = await message_containing(person, "Detained: Saule Bekova")
        assert "Where: Abay square, Almaty" in alert.text
        assert "Details: taken into a van <fast> & *2*" in alert.text  # exactly as typed
        assert "When: 1 Mar 2026, 14:00" in alert.text
        assert "Report #1 · verified by a coordinator" in alert.text
    assert "Detained: Saule Bekova" in (await channel.expect_reply()).text
    summary = await message_containing(daniyar, "Alert #")
    assert "delivered to 5 of 5" in summary.text

    services = services_of(bot)
    daniyar_user = await services.users.get(6001)
    audit = [(e.actor, e.action, e.target) for e in await services.audit.recent()]
    assert (daniyar_user.pseudonym, "verify", "report:1") in audit
    saule = await services.reports.find_person("saule  bekova")
    assert saule is not None
    assert (saule.status, saule.held_at) == (Status.DETAINED, "Abay square, Almaty")


async def test_guided_report_with_location_and_photo(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")

    await daniyar.send("/report")
    step = await daniyar.expect_reply()
    assert step.text == "What happened?"
    await daniyar.press(step, "Detained")
    step = await daniyar.expect_edit(step)
    assert "Who?" in step.text
    await daniyar.send("Saule Bekova")
    step = await daniyar.expect_reply()
    assert "Where?" in step.text
    await daniyar.send_location(43.2389, 76.8897)
    step = await daniyar.expect_reply()
    assert "Details?" in step.text
    await daniyar.send_photo(caption="bruises on her arm")
    preview = await daniyar.expect_reply()
    assert "Detained: Saule Bekova" in preview.text
    assert "Attached: photo." in preview.text
    await daniyar.press(preview, "Send")
    assert "It is being sent to subscribers now." in (await message_containing(daniyar, "#1")).text

    alert = await message_containing(asel, "Detained: Saule Bekova")
    assert "Where: see the location below" in alert.text
    location, photo = await asel.expect_replies(2)
    assert location.raw["location"]["latitude"] == pytest.approx(43.2389)
    assert "photo" in photo.raw

    # Five taps or fewer when the person was reported before: kind, name, Skip, Skip, Send.
    await daniyar.send("/report")
    step = await message_containing(daniyar, "What happened?")
    await daniyar.press(step, "Released")
    step = await daniyar.expect_edit(step)
    await daniyar.press(step, "Saule Bekova")
    await daniyar.press(await daniyar.expect_edit(step), "Skip")
    await daniyar.press(await daniyar.expect_edit(step), "Skip")
    await daniyar.press(await daniyar.expect_edit(step), "Send")
    assert "Report #2" in (await message_containing(daniyar, "Report #2")).text
    saule = await services_of(bot).reports.find_person("Saule Bekova")
    assert saule is not None
    assert saule.status == Status.FREE


async def test_cancel_leaves_at_any_step_and_saves_nothing(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    await marat.send("/report")
    step = await marat.expect_reply()
    await marat.press(step, "Health update")
    await marat.expect_edit(step)
    await marat.send("Saule Bekova")
    await marat.expect_reply()
    await marat.send("/cancel")
    assert (await marat.expect_reply()).text == "Cancelled. Nothing was saved."
    assert await services_of(bot).db.fetch_all("SELECT id FROM reports") == []
    await marat.send("Saule Bekova")  # no longer inside the conversation
    assert "commands only" in (await marat.expect_reply()).text


@pytest.mark.parametrize("network", [{"verification": "off", "alert_chat_ids": ""}])
async def test_verification_off_sends_at_once_labelled_unverified(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/released Saule Bekova; at the gate of SIZO-1")
    assert "being sent to subscribers now" in (await marat.expect_reply()).text
    alert = await message_containing(asel, "Released: Saule Bekova")
    assert "Report #1 · NOT VERIFIED yet" in alert.text
    request = await message_containing(daniyar, "Please verify this report from Marat")
    assert "NOT VERIFIED yet" in request.text  # sent already; the buttons still confirm it
    await daniyar.send("/verify #1")
    assert "Report #1 confirmed" in (await message_containing(daniyar, "Report #1 confirmed")).text
    follow_up = await message_containing(asel, "✅ Report #1")
    assert "was verified by a coordinator" in follow_up.text
    # The delivery summary tells the network's size: a member never gets it.
    assert not any("delivered to" in (m.text or "") for m in marat.messages)


@pytest.mark.parametrize("network", [{"verification": "second-person", "alert_chat_ids": ""}])
async def test_second_person_nobody_confirms_their_own_report(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Saule Bekova; Abay square")
    assert "waiting for a coordinator" in (await daniyar.expect_reply()).text
    await daniyar.send("/verify 1")
    assert "cannot decide on your own report #1" in (await daniyar.expect_reply()).text
    await asel.expect_no_reply(within=0.3)
    request = await message_containing(aigerim, "Please verify")
    await aigerim.press(request, "✅ Confirm")
    await message_containing(asel, "Detained: Saule Bekova")
    report = await services_of(bot).reports.get(1)
    assert report is not None
    assert (report.state, report.decided_by) == (ReportState.CONFIRMED, ADMIN_ID)


async def test_a_name_in_another_script_is_not_guessed(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await daniyar.send("/detained Aigerim Toregozhina; Abay square")
    await message_containing(daniyar, "Report #1 received")
    await daniyar.send("/released Торегожина Айгерим; at 18:00")
    question = await message_containing(daniyar, "Did you mean someone already known?")
    assert len(await services_of(bot).db.fetch_all("SELECT id FROM reports")) == 1
    await daniyar.press(question, "Aigerim Toregozhina")
    await message_containing(daniyar, "Report #2 received")
    people = await services_of(bot).db.fetch_all("SELECT name, status FROM people")
    assert [tuple(row) for row in people] == [("Aigerim Toregozhina", "free")]
    await daniyar.send("/hearing Toregozhina A.; 05.03.2026 10:00; Medeu district court")
    question = await message_containing(daniyar, "Did you mean someone already known?")
    await daniyar.press(question, "Aigerim Toregozhina")
    assert (
        "Hearing #1 recorded: Aigerim Toregozhina"
        in (await message_containing(daniyar, "Hearing #1 recorded")).text
    )


async def test_report_time_is_when_it_was_sent_not_when_it_was_read(
    telegram: FakeBotAPI, tmp_path: Path
) -> None:
    # The bot reads the message two hours late (it was down): the alert keeps the sending time.
    late = FrozenClock(datetime.now(UTC) + timedelta(hours=2))
    settings = make_settings(tmp_path, telegram_api_url=telegram.base_url)
    async with running_bot(settings, late) as application:
        daniyar = await join(telegram, application, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
        sent = await daniyar.send("/detained Saule Bekova; Abay square")
        await message_containing(daniyar, "Report #1 received")
        report = await services_of(application).reports.get(1)
        assert report is not None
        assert report.reported_at == datetime.fromtimestamp(sent.raw["date"], UTC)
        assert report.reported_at < late.now() - timedelta(hours=1)
