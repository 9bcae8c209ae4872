"""End to end: case files and status, as far as each reader may see."""

from __future__ import annotations

from datetime import timedelta

from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.roles import Role
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID
from tests.scenario import join, message_containing, services_of


async def test_status_shows_each_reader_what_their_role_may_see(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Saule Bekova; Abay square")
    await daniyar.send("/sentence Saule Bekova; 15 суток")
    await message_containing(daniyar, "Sentence recorded")
    await daniyar.send("/set Saule Bekova; facility; Special detention centre, Almaty")
    await message_containing(daniyar, "Saved: facility")
    await daniyar.send("/set Saule Bekova; lawyer; Advocate Gulnara B., +7 700 000 00 00")
    await message_containing(daniyar, "Saved: lawyer")
    for text, days_later in (
        ("weight 62 kg, hunger strike started", 3),
        ("day 4 of hunger strike, вес 58 кг", 2),
        ("weight 55,5 kg", 0),
    ):
        await daniyar.send(f"/health Saule Bekova; {text}")
        await message_containing(daniyar, "received")  # before the clock moves on
        clock.advance(timedelta(days=days_later))

    await marat.send("/status saule bekova")
    status = (await message_containing(marat, "Status: Saule Bekova")).text
    assert "arrested since 1 Mar 2026, 14:00" in status
    assert "Held at: Special detention centre, Almaty" in status
    assert "Expected release: 16 Mar 2026, 09:00 (in 10 days)" in status
    assert "Weight: 55.5 kg (−6.5 kg since 1 Mar 2026)" in status
    assert "Hunger strike: day 6" in status
    assert "Advocate" not in status  # lawyer contact: coordinators only

    await asel.send("/status Saule Bekova")
    public = (await message_containing(asel, "Status: Saule Bekova")).text
    assert "Held at: Special detention centre, Almaty" in public
    assert "Weight" not in public
    assert "Hunger strike" not in public
    assert "weight" not in public.lower()
    await asel.send("/person Saule Bekova")
    assert "Advocate" not in (await message_containing(asel, "Case file: Saule Bekova")).text

    await daniyar.send("/set Saule Bekova; health; public")
    await message_containing(daniyar, "Health details of Saule Bekova: public.")
    await asel.send("/status Saule Bekova")
    published = (await message_containing(asel, "Status: Saule Bekova")).text
    assert "Weight: 55.5 kg" in published
    assert "Hunger strike: day 6" in published

    await daniyar.send("/person Saule Bekova")
    case_file = (await message_containing(daniyar, "Case file: Saule Bekova")).text
    assert "Lawyer: Advocate Gulnara B., +7 700 000 00 00" in case_file
    await daniyar.send("/set Saule Bekova; shoe size; 38")
    assert "There is no field shoe size" in (await message_containing(daniyar, "no field")).text
    await asel.send("/set Saule Bekova; facility; nowhere")
    await message_containing(asel, "not available to you")
    audit = [e.detail for e in await services_of(bot).audit.recent() if e.action == "set"]
    assert "lawyer" in audit  # a private value is not copied into the audit log
    assert not any("Advocate" in detail for detail in audit)


async def test_overview_custody_and_paged_history(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await aigerim.send("/detained Saule Bekova; Abay square")
    await aigerim.send("/detained Yerlan Abenov; Republic square")
    await aigerim.send("/release_date Yerlan Abenov; 05.03.2026")
    await message_containing(aigerim, "Release date of Yerlan")
    for day in range(11):
        clock.advance(timedelta(hours=7))  # apart enough not to count as duplicates
        await aigerim.send(f"/health Saule Bekova; check {day}")
        await message_containing(aigerim, "received")

    await asel.send("/status")
    overview = (await message_containing(asel, "Overview")).text
    assert "In custody: 2" in overview
    assert "waiting for verification" not in overview
    await asel.send("/custody")
    custody = (await message_containing(asel, "In custody")).text.splitlines()
    assert custody[1].startswith("• Yerlan Abenov · detained")
    assert "release 5 Mar 2026" in custody[1]
    assert custody[2].startswith("• Saule Bekova · detained")

    await aigerim.send("/history Saule Bekova")
    first = await message_containing(aigerim, "history, page 1")
    assert len([line for line in first.text.splitlines() if line.startswith("• ")]) == 10
    assert "check 10" in first.text
    await aigerim.press(first, "Next ▶")
    second = await aigerim.expect_edit(first)
    assert "history, page 2" in second.text
    assert "Detained · Abay square" in second.text
    await aigerim.press(second, "◀ Previous")
    assert "page 1" in (await aigerim.expect_edit(second)).text
    await asel.send("/history Saule Bekova")
    public = await message_containing(asel, "history, page 1")
    assert "check" not in public.text  # health reports are for members and up
    assert "Detained · Abay square" in public.text
    assert public.buttons == []


async def test_find_across_scripts_and_choose_between_close_names(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await aigerim.send("/detained Айгерим Торегожина; Abay square")
    await aigerim.send("/detained Daniyar Sarsenbayev; Republic square")
    await aigerim.send("/detained Daniyar Sarsenbekov; Republic square")
    question = await message_containing(aigerim, "Did you mean someone already known?")
    assert [text for text, _ in question.buttons] == [
        "Daniyar Sarsenbayev",
        "New person: Daniyar Sarsenbekov",
    ]
    await aigerim.press(question, "New person: Daniyar Sarsenbekov")
    await message_containing(aigerim, "Report #3 received")
    for query in ("Toregozhina", "Торегожина", "Торегожина Б.", "toregozina"):
        await asel.send(f"/find {query}")
        found = (await message_containing(asel, "Found:")).text
        assert "• Айгерим Торегожина · detained" in found, query
    await asel.send("/find Nobody Atall")
    assert "Nobody found" in (await message_containing(asel, "Nobody found")).text

    await asel.send("/status Daniyar Sarsen")
    choice = await message_containing(asel, "Which one do you mean?")
    assert sorted(text for text, _ in choice.buttons) == [
        "Daniyar Sarsenbayev",
        "Daniyar Sarsenbekov",
    ]
    await asel.press(choice, "Daniyar Sarsenbekov")
    assert "Status: Daniyar Sarsenbekov" in (await asel.expect_edit(choice)).text
    await asel.send("/status Toregozhina")
    assert "Status: Айгерим Торегожина" in (await message_containing(asel, "Status:")).text


async def test_health_alerts_reach_members_only_until_published(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/health Saule Bekova; day 3 of hunger strike")
    await message_containing(marat, "Health update: Saule Bekova")
    await message_containing(daniyar, "Alert #1: delivered to 2 of 2")
    assert not any("Saule" in (m.text or "") for m in asel.messages)

    await daniyar.send("/set Saule Bekova; health; public")
    await message_containing(daniyar, "Health details of Saule Bekova: public.")
    clock.advance(timedelta(hours=7))
    await daniyar.send("/health Saule Bekova; day 4 of hunger strike")
    assert "day 4" in (await message_containing(asel, "Health update: Saule Bekova")).text


async def test_stats_chart_for_coordinators(telegram: FakeBotAPI, bot: DabylApplication) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await daniyar.send("/detained Saule Bekova; Abay square")
    await daniyar.send("/hearing Saule Bekova; 01.03.2026 20:00; Medeu district court")
    await message_containing(daniyar, "Hearing #1 recorded")
    await daniyar.send("/stats 1")
    chart = await daniyar.expect_reply()
    while chart.file is None:
        chart = await daniyar.expect_reply()
    assert chart.file.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Detentions: 1\nReleases: 0\nHearings: 1" in (chart.text or "")
    await daniyar.send("/stats forever")
    await message_containing(daniyar, "Example: /stats 6")
    await asel.send("/stats")
    await message_containing(asel, "not available to you")


async def test_a_rejected_false_alarm_cannot_be_found_by_subscribers(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/detained Saule Bekova; Abay square")
    request = await message_containing(daniyar, "Please verify")
    await daniyar.press(request, "❌ Reject")
    await message_containing(marat, "was rejected")
    for command in ("/find Saule Bekova", "/status Saule Bekova", "/follow Saule Bekova"):
        await asel.send(command)
        reply = await asel.expect_reply()
        assert "Saule Bekova ·" not in reply.text
        assert "Status: Saule" not in reply.text
        assert "You now follow" not in reply.text
    await daniyar.send("/find Saule Bekova")  # coordinators see unsent reports
    assert "• Saule Bekova" in (await message_containing(daniyar, "Found:")).text
