"""Take the README's screenshot of practice mode: ``python docs/practice_screenshot.py``.

Runs the practice world with the drill on free loopback ports, opens the page in Debian's
chromium through Playwright (as the browser tests do) at a phone's size, and saves a
subscriber's tab to ``docs/practice-mode.png``. Install ``fonts-noto-color-emoji`` first, or
the alerts' emoji show as boxes.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright, expect  # noqa: E402

from bot.practice import PEOPLE, PracticeWorld  # noqa: E402
from tests.headless import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUTPUT = ROOT / "docs" / "practice-mode.png"
SUBSCRIBER = next(p for p in PEOPLE if p.caption == "Subscriber" and p.language == "en")


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        world = PracticeWorld(Path(folder) / "practice.sqlite3", port=0)
        try:
            await world.start()
            await world.say_hello()
            await world.drill()
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                page = await browser.new_page(
                    viewport={"width": 390, "height": 720}, device_scale_factor=1.5
                )
                await page.goto(world.page_url)
                await expect(page.locator("#status")).to_have_attribute("data-state", "open")
                await page.locator(f'[data-person="{SUBSCRIBER.telegram_id}"]').click()
                last = page.locator("#chat .msg.bot").last
                await expect(last).to_be_visible()
                await last.scroll_into_view_if_needed()
                await page.wait_for_timeout(300)
                await page.screenshot(path=OUTPUT)
                await browser.close()
        finally:
            await world.stop()
    print(f"saved {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
