"""End to end: check-ins through the fake Bot API, across restarts."""

from __future__ import annotations

from datetime import timedelta

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.roles import Role
from bot.settings import Settings
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID
from tests.harness import running_bot
from tests.scenario import join, message_containing, services_of

# The shared clock starts at 2026-03-01 09:00 UTC, 14:00 in Almaty (UTC+5).


async def test_a_missed_checkin_alerts_every_coordinator_once_and_a_safe_one_nobody(
    telegram: FakeBotAPI, bot_settings: Settings, clock: FrozenClock
) -> None:
    async with running_bot(bot_settings, clock) as application:
        aigerim = await join(telegram, application, ADMIN_ID, "Aigerim Nurlanovna")
        daniyar = await join(telegram, application, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
        marat = await join(telegram, application, 6002, "Marat Ospanov", Role.MEMBER)
        bolat = await join(telegram, application, 6004, "Bolat Abenov", Role.MEMBER)
        asel = await join(telegram, application, 6003, "Asel Nurpeis")
        await marat.send("/checkin 1h; Republic Square; going to the rally")
        confirmation = await message_containing(marat, "Check-in set")
        assert "by 15:00 (in 1 hour)" in confirmation.text
        assert "Where: Republic Square" in confirmation.text
        assert "Still OK?" in confirmation.text
        await marat.send("/checkin")
        assert "Note: going to the rally" in (await message_containing(marat, "runs out")).text

        await bolat.send("/checkin 30m")
        bolat_confirmation = await message_containing(bolat, "Check-in set")
        await bolat.send("/checkin 40m; Abay square")
        assert (
            "This replaces your previous check-in"
            in (await message_containing(bolat, "Check-in set")).text
        )
        await bolat.press(bolat_confirmation, "✅ I'm safe")  # the replaced one: not running
        assert "no longer running" in (await bolat.expect_callback_answer()).text
        await bolat.send("/checkin")
        latest = await message_containing(bolat, "runs out")
        await bolat.press(latest, "✅ I'm safe")
        await message_containing(bolat, "Glad you are safe")
        await bolat.send("/safe")
        await message_containing(bolat, "You have no check-in running")

        clock.advance(timedelta(minutes=50))
        await services_of(application).checkins.fire_due()
        question = await message_containing(marat, "Still OK?")
        assert "runs out at 15:00 (in 10 minutes)" in question.text
        assert question.button("✅ I'm safe")["callback_data"] == "checkin:safe:1"

    clock.advance(timedelta(hours=1))  # down while Marat's check-in ran out
    async with running_bot(bot_settings, clock):
        for coordinator in (aigerim, daniyar):
            alert = await message_containing(coordinator, "Missed check-in: Marat (@marat_x)")
            assert "ran out at 1 Mar 2026, 15:00" in alert.text
            assert "Note: going to the rally" in alert.text
            assert "Sent late: the bot was offline" in alert.text
            assert alert.params.get("protect_content") is True
            assert alert.button("Report as detained")
        await aigerim.expect_no_reply(within=0.5)
    async with running_bot(bot_settings, clock):
        for person in (aigerim, daniyar, marat, bolat, asel):
            await person.expect_no_reply(within=0.3)  # nothing twice, nothing about Bolat
        # Marat turns up: /safe after the alert tells the coordinators, once, not the others.
        await marat.send("/safe")
        await message_containing(marat, "the coordinators were alerted")
        for coordinator in (aigerim, daniyar):
            news = await message_containing(coordinator, "Checked in after the alert: Marat")
            assert "make sure by other means" in news.text
            assert news.params.get("protect_content") is True
        await marat.send("/safe")
        await message_containing(marat, "You have no check-in running")
        for person in (aigerim, daniyar, bolat, asel):
            await person.expect_no_reply(within=0.3)
    for person in (aigerim, daniyar, asel):
        assert not any("Bolat" in (m.text or "") for m in person.messages)
    assert not any("Missed check-in" in (m.text or "") for m in marat.messages + asel.messages)


async def test_report_as_detained_opens_a_prefilled_preview(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    await marat.send("/checkin 18:30; Republic Square")
    await message_containing(marat, "by 18:30 (in 4 hours 30 minutes)")
    clock.advance(timedelta(hours=4, minutes=30))
    await services_of(bot).checkins.fire_due()
    alert = await message_containing(daniyar, "Missed check-in: Marat")
    assert "Sent late" not in alert.text
    await marat.press(alert, "Report as detained")  # someone else's button: refused
    assert "not available to you" in (await marat.expect_callback_answer()).text
    await daniyar.press(alert, "Report as detained")
    preview = await message_containing(daniyar, "Send this report?")
    assert "Marat" in preview.text
    assert "Where: Republic Square" in preview.text
    assert "Missed check-in" in alert.text  # the alert stays as it was
    await daniyar.press(preview, "Send")
    await message_containing(daniyar, "Report #1")
    report = await services_of(bot).reports.get(1)
    assert report is not None
    assert (report.kind.value, report.place) == ("detention", "Republic Square")


async def test_subscribers_cannot_check_in_and_bad_input_gets_an_example(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await asel.send("/checkin 2h")
    assert "/checkin is not available to you" in (await asel.expect_reply()).text
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    for typed, reason in (
        ("/checkin soon", "I cannot read that time."),
        ("/checkin 2", "I cannot read that time."),
        ("/checkin 3m", "at least 5 minutes"),
        ("/checkin 25h", "at most 24 hours"),
        ("/checkin 2h; " + "x" * 201, "The place is too long"),
    ):
        await marat.send(typed)
        reply = (await marat.expect_reply()).text
        assert reason in reply, reply
        assert "Example: /checkin 2h; Republic Square; going to the rally" in reply
        assert "Nothing was saved." in reply
    await marat.send("/checkin")
    assert "You have no check-in running" in (await marat.expect_reply()).text
    assert await services_of(bot).db.fetch_all("SELECT id FROM checkins") == []


async def test_coordinators_list_running_check_ins_soonest_first_protected(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    bolat = await join(telegram, bot, 6004, "Bolat Abenov", Role.MEMBER)
    await daniyar.send("/checkins")
    assert "No check-in is running" in (await daniyar.expect_reply()).text

    await marat.send("/checkin 1h; Republic Square; going to the rally")
    await message_containing(marat, "Check-in set")
    await bolat.send("/checkin 30m; Abay square")
    await message_containing(bolat, "Check-in set")
    clock.advance(timedelta(minutes=18))  # 14:18: Bolat's runs out at 14:30, Marat's at 15:00
    await daniyar.send("/checkins")
    listed = await daniyar.expect_reply()
    assert listed.params.get("protect_content") is True
    text = listed.text
    assert text.index("Bolat (@bolat_x)") < text.index("Marat (@marat_x)")
    assert "Runs out at 14:30 (in 12 minutes); set at 14:00." in text
    assert "Runs out at 15:00 (in 42 minutes); set at 14:00." in text
    assert "Where: Republic Square" in text
    assert "Note: going to the rally" in text
    assert "“Still OK?” will be asked at 14:50." in text

    clock.advance(timedelta(minutes=12))  # Bolat's ran out; Marat is asked at 14:50 later
    await services_of(bot).checkins.fire_due()
    await message_containing(daniyar, "Missed check-in: Bolat")
    await daniyar.send("/checkins")
    text = (await message_containing(daniyar, "Check-ins")).text
    assert text.index("ALERTED: Bolat (@bolat_x)") < text.index("Marat (@marat_x)")
    assert "The coordinators were alerted at 14:30" in text

    await marat.send("/checkins")  # a member: the gate refuses, as for any coordinator command
    assert (await marat.expect_reply()).text == (
        "Sorry, /checkins is not available to you. See /help."
    )


async def test_a_long_list_of_check_ins_is_split_between_check_ins(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    for n in range(6):
        member = await join(telegram, bot, 6100 + n, f"Member{n} Ospanov", Role.MEMBER)
        await member.send(f"/checkin {n + 1}h; Republic Square; " + "x" * 1500)
        await message_containing(member, "Check-in set")
    await daniyar.send("/checkins")
    parts = [await daniyar.expect_reply() for _ in range(3)]
    assert all(len(part.text) <= 4096 and part.params.get("protect_content") for part in parts)
    joined = "\n".join(part.text for part in parts)
    positions = [joined.index(f"Member{n} (@member{n}_x)") for n in range(6)]
    assert positions == sorted(positions)
    assert joined.count("x" * 1500) == 6  # no check-in cut in two


async def test_a_member_demoted_during_a_check_in_can_still_end_it(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    bolat = await join(telegram, bot, 6004, "Bolat Abenov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/checkin 1h; Republic Square")
    await message_containing(marat, "Check-in set")
    await bolat.send("/checkin 1h")
    bolat_confirmation = await message_containing(bolat, "Check-in set")
    await aigerim.send("/revoke @marat_x")
    await message_containing(aigerim, "is now: subscriber")
    await services_of(bot).users.set_role(6004, Role.NONE)  # revoked in a closed network

    await marat.send("/safe")
    await message_containing(marat, "Glad you are safe")
    await bolat.press(bolat_confirmation, "✅ I'm safe")
    await bolat.expect_callback_answer()
    await message_containing(bolat, "Glad you are safe")
    await asel.send("/safe")  # a subscriber who never had a check-in
    assert (await asel.expect_reply()).text == "You have no check-in running."
    await asel.send("/help")
    assert "/safe" not in (await asel.expect_reply()).text  # only where /checkin is

    clock.advance(timedelta(hours=2))
    await services_of(bot).checkins.fire_due()
    await aigerim.send("/checkins")
    assert "No check-in is running" in (await message_containing(aigerim, "check-in")).text
    assert not any("Missed check-in" in (m.text or "") for m in aigerim.messages)


async def test_a_burned_members_safe_is_unknown_and_the_alert_goes_out(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    await marat.send("/checkin 1h; Republic Square")
    confirmation = await message_containing(marat, "Check-in set")
    await daniyar.send("/burn @marat_x")
    await message_containing(daniyar, "is burned")

    await marat.send("/safe")  # whoever holds the seized phone
    assert (await marat.expect_reply()).text == "I don't know /safe. See /help for what you can do."
    await marat.press(confirmation, "✅ I'm safe")
    assert not (await marat.expect_callback_answer()).text
    await marat.expect_no_reply(within=0.3)
    clock.advance(timedelta(hours=1))
    await services_of(bot).checkins.fire_due()
    alert = await message_containing(daniyar, "Missed check-in: Marat (@marat_x)")
    assert alert.params.get("protect_content") is True
    row = await services_of(bot).db.fetch_one("SELECT state FROM checkins WHERE member_id = 6002")
    assert row is not None
    assert row["state"] == "alerted"
