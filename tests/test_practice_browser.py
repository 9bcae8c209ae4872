"""Practice mode in a real browser (issue 9's acceptance test).

Playwright drives Debian's chromium (tests/headless.py). The practice world (fake Telegram,
the real bot, the web chat) runs in the test's event loop on free loopback ports; the browser
only sees the page, as a trainee would. Screenshots go to ``test-output/<test name>/``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from bot.practice import ALERT_CHANNEL, COORDINATOR, MEMBER, PEOPLE, PLACES, PracticeWorld
from tests import headless
from tests.headless import PHONE

# Debian's chromium, a browser on it, and test-output/<test name>/ (tests/headless.py).
chromium, browser, output_dir = headless.chromium, headless.browser, headless.output_dir

SUBSCRIBER = next(p for p in PEOPLE if p.caption == "Subscriber" and p.language == "en")
RUSSIAN_SUBSCRIBER = next(p for p in PEOPLE if p.caption == "Subscriber" and p.language == "ru")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[PracticeWorld]:
    practice = PracticeWorld(tmp_path / "practice.sqlite3", port=0)
    try:
        await practice.start()
        await practice.say_hello()
        yield practice
    finally:
        await practice.stop()
    assert practice.telegram.schema_errors == []


@pytest.fixture
async def page(browser: Browser, world: PracticeWorld) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2)
    phone = await context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    await phone.goto(world.page_url)
    await expect(phone.locator("#status")).to_have_attribute("data-state", "open")
    yield phone
    await context.close()
    assert errors == []  # no JavaScript error on the way


async def open_tab(page: Page, telegram_id: int) -> None:
    tab = page.locator(f'[role=tab][data-person="{telegram_id}"]')
    await tab.click()
    await expect(tab).to_have_attribute("aria-selected", "true")


def bot_message(page: Page, text: str) -> Locator:
    return page.locator("#chat .msg.bot", has_text=text).last


async def pinned(page: Page, message: Locator) -> Locator:
    """The same bubble, found by its message id: it stays found when an edit changes its text."""
    await expect(message).to_be_visible()
    message_id = await message.get_attribute("data-message-id")
    return page.locator(f'#chat .msg.bot[data-message-id="{message_id}"]')


async def say(page: Page, text: str) -> None:
    await page.locator("#composer").fill(text)
    await page.locator("#composer").press("Enter")


async def test_member_reports_coordinator_confirms_subscriber_sees_the_alert(
    page: Page, world: PracticeWorld, output_dir: Path
) -> None:
    # A member reports a detention from her phone.
    await open_tab(page, MEMBER.telegram_id)
    await say(page, "/detained Nurlan Bekov; Astana Square, Almaty; taken by police after a picket")
    await expect(page.locator("#chat .msg.me").last).to_contain_text("/detained Nurlan Bekov")
    await expect(bot_message(page, "Report #1 received")).to_be_visible()

    # The coordinator's tab shows a new message; he confirms it with the button.
    coordinator_tab = page.locator(f'[role=tab][data-person="{COORDINATOR.telegram_id}"]')
    await expect(coordinator_tab.locator(".badge")).to_be_visible()
    await open_tab(page, COORDINATOR.telegram_id)
    request = bot_message(page, "Please verify this report from Zhanar")
    await expect(request).to_contain_text("Detained: Nurlan Bekov")
    await request.locator(".inline-button", has_text="Confirm").click()
    await expect(page.locator(".toast").last).to_contain_text("confirmed")
    await expect(request).to_contain_text("Confirmed by Daniyar")
    await expect(request.locator(".inline-button")).to_have_count(0)

    # A subscriber sees the alert, marked as practice.
    await open_tab(page, SUBSCRIBER.telegram_id)
    alert = bot_message(page, "Detained: Nurlan Bekov")
    await expect(alert).to_contain_text("Where: Astana Square, Almaty")
    await expect(alert.locator(".practice-mark")).to_have_text("PRACTICE")
    # Its time is the bot's (Almaty) time on a 24-hour clock, like the "When:" in its text.
    zone = world.services.settings.timezone
    now = world.services.clock.now().astimezone(zone)
    shown = await alert.locator(".time").text_content()
    minutes = {(now - timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)}
    assert shown in minutes, (shown, minutes)
    await expect(page.locator("#banner")).to_contain_text("PRACTICE")
    await alert.scroll_into_view_if_needed()
    await page.screenshot(path=output_dir / "subscriber-sees-the-alert.png")

    # The network's alert channel shows it too, read-only.
    await open_tab(page, ALERT_CHANNEL)
    await expect(bot_message(page, "Detained: Nurlan Bekov")).to_contain_text("Astana Square")
    await expect(page.locator("#composer")).to_be_hidden()

    # The one in Russian reads it in Russian; the member's report is in the database.
    await open_tab(page, RUSSIAN_SUBSCRIBER.telegram_id)
    await expect(bot_message(page, "Nurlan Bekov")).to_contain_text("Задержан")
    report = await world.services.reports.get(1)
    assert report is not None and report.place == "Astana Square, Almaty"
    assert (output_dir / "subscriber-sees-the-alert.png").stat().st_size > 10_000


async def test_guided_report_with_a_place_from_the_list_and_the_sample_photo(
    page: Page, world: PracticeWorld
) -> None:
    """The coordinator's own guided report: buttons, a place from the list, the sample photo."""
    await open_tab(page, COORDINATOR.telegram_id)
    await say(page, "/report")
    step = await pinned(page, bot_message(page, "What happened?"))
    await step.locator(".inline-button", has_text="Detained").click()
    await expect(step).to_contain_text("Who?")
    await say(page, "Saule Bekova")
    await expect(bot_message(page, "Where?")).to_be_visible()
    await page.locator("#attach").click()
    await page.locator('#attach-menu [data-action="location"]').click()
    await page.locator('.place-button[data-place="0"]').click()
    await expect(page.locator("#chat .msg.me .location").last).to_contain_text(PLACES[0].name)
    await expect(bot_message(page, "Details?")).to_be_visible()
    await page.locator("#composer").fill("bruises on her arm")
    await page.locator("#attach").click()
    await page.locator('#attach-menu [data-action="photo"]').click()
    await expect(page.locator("#chat .msg.me img.photo").last).to_be_visible()
    preview = bot_message(page, "Attached: photo.")
    await expect(preview).to_contain_text("Detained: Saule Bekova")
    await preview.locator(".inline-button", has_text="Send").click()

    await open_tab(page, SUBSCRIBER.telegram_id)
    await expect(bot_message(page, "Detained: Saule Bekova")).to_be_visible()
    await expect(page.locator("#chat .msg.bot .location").last).to_contain_text(PLACES[0].name)
    await expect(page.locator("#chat .msg.bot img.photo").last).to_be_visible()
    report = await world.services.reports.get(1)
    assert report is not None
    assert (report.latitude, report.longitude) == (PLACES[0].latitude, PLACES[0].longitude)


async def test_calendar_and_export_are_download_links(page: Page, world: PracticeWorld) -> None:
    await world.drill()
    await open_tab(page, COORDINATOR.telegram_id)
    await say(page, "/calendar")
    calendar = page.locator("#chat .msg.bot a.document", has_text=".ics").last
    async with page.expect_download() as download_info:
        await calendar.click()
    download = await download_info.value
    content = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    assert download.suggested_filename == "PRACTICE-dabyl.ics"
    # Imported into a phone's calendar, a drill's hearing must not pass for a real one.
    assert "X-WR-CALNAME:Dabyl PRACTICE" in content
    assert "SUMMARY:[PRACTICE] Hearing: Marat Ospanov" in content
    await say(page, "/export")
    export = page.locator("#chat .msg.bot a.document", has_text=".json").last
    async with page.expect_download() as download_info:
        await export.click()
    download = await download_info.value
    assert download.suggested_filename.startswith("PRACTICE-dabyl-events-")
    content = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    assert json.loads(content)["practice"] is True
