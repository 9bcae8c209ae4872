"""End to end: following people, and alerts only about them."""

from __future__ import annotations

import pytest

from bot.app import DabylApplication
from bot.roles import Role
from fakebotapi import FakeBotAPI
from tests.scenario import join, message_containing


async def test_followed_only_alerts_are_about_followed_people_and_announcements(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await asel.send("/follow Saule Bekova")
    assert "Nobody called Saule Bekova has been reported" in (await asel.expect_reply()).text
    await daniyar.send("/detained Saule Bekova; Abay square")
    await message_containing(asel, "Detained: Saule Bekova")

    await asel.send("/follow saule  bekova")
    assert (await asel.expect_reply()).text == "You now follow Saule Bekova."
    await asel.send("/alerts followed")
    assert "only about people you follow" in (await asel.expect_reply()).text
    await asel.send("/following")
    following = (await asel.expect_reply()).text
    assert "• Saule Bekova" in following
    assert "/alerts all" in following

    await daniyar.send("/detained Yerlan Abenov; Republic square")
    await message_containing(daniyar, "Detained: Yerlan Abenov")
    await daniyar.send("/released Saule Bekova; released at 18:00")
    await daniyar.send("/broadcast Gathering at the court at 10:00 <bring water>")
    released = await message_containing(asel, "Released: Saule Bekova")
    announcement = await message_containing(asel, "Announcement")
    assert "Gathering at the court at 10:00 <bring water>" in announcement.text
    assert "Yerlan" not in released.text + announcement.text

    await asel.send("/unfollow Saule Bekova")
    await message_containing(asel, "You no longer follow Saule Bekova.")
    await asel.send("/alerts sometimes")
    await message_containing(asel, "Example: /alerts followed")


@pytest.mark.parametrize("network", [{"verification": "second-person"}])
async def test_broadcast_waits_for_a_second_coordinator(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    gulnara = await join(telegram, bot, 6004, "Gulnara Bekova", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/broadcast Hearing moved to 15:00")
    assert "waiting for a coordinator" in (await daniyar.expect_reply()).text
    await asel.expect_no_reply(within=0.3)
    request = await message_containing(gulnara, "Please verify")
    await gulnara.press(request, "✅ Confirm")
    assert "Hearing moved to 15:00" in (await message_containing(asel, "Announcement")).text


async def test_follow_forgives_script_and_asks_between_close_names(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Aigerim Toregozhina; Abay square")
    await daniyar.send("/detained Marat Sarsenbayev; Abay square")
    await daniyar.send("/detained Marat Sarsenbekov; Abay square")
    question = await message_containing(daniyar, "Did you mean someone already known?")
    await daniyar.press(question, "name:new")
    await message_containing(daniyar, "Report #3 received")
    await asel.send("/follow Торегожина")
    await message_containing(asel, "You now follow Aigerim Toregozhina.")
    await asel.send("/follow Marat Sarsen")
    choice = await message_containing(asel, "Which one do you mean?")
    assert "• Marat Sarsenbayev" in choice.text
    assert "• Marat Sarsenbekov" in choice.text
    await asel.send("/following")
    assert "Sarsen" not in (await message_containing(asel, "You follow:")).text
