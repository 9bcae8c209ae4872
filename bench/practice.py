"""Practice mode: how soon it is ready, and how fast the page shows a report going through.

``python -m bench.practice [--smoke]``. Three browser pages (Debian's chromium, through
Playwright, as in the browser tests) stay open on the member's, the coordinator's and a
subscriber's tab, like three phones on a training table. For each of ``ROUNDS`` reports:

- report to request: the member presses Enter on ``/detained …`` until the verification
  request is on the coordinator's page (the bot, its database, the fake Telegram, the live
  update and the page's rendering together);
- report to every copy: until the last coordinator (the admin) has the request too;
- confirm to alert (clicked once every copy is out, as a person reading it would): the
  coordinator clicks Confirm until the alert is on the subscriber's page
  (the broadcaster's outbox and pacing included).

Rounds are ``PAUSE`` apart after the previous one's deliveries, as people would be: back to
back, each chat's one-message-a-second pacing (bot/broadcaster.py) would be what is measured.

Start-up is measured from a fresh ``PracticeWorld`` to ready (plain, then with the drill).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.async_api import Page, async_playwright, expect  # noqa: E402

from bench.common import Figure, percentile, report  # noqa: E402
from bot.practice import ADMIN, COORDINATOR, MEMBER, PEOPLE, PracticeWorld  # noqa: E402
from fakebotapi import FakeUser  # noqa: E402
from fakebotapi.webchat import WEB_DIR  # noqa: E402
from tests.headless import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

ROUNDS = 20
# Three pages stand for three phones, each in someone's hand: none is a background tab whose
# timers and frames the browser would slow down.
FOREGROUND = [
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
PAUSE = 2.0  # seconds between rounds, after every delivery of the previous one
SUBSCRIBER = next(p for p in PEOPLE if p.caption == "Subscriber" and p.language == "en")
# Fictional and far apart, so the bot never asks the member which of two close names they meant.
NAMES = (
    "Nurlan Bekov",
    "Aliya Zhumabayeva",
    "Gulnara Sadykova",
    "Serik Omarov",
    "Dana Ismailova",
    "Yerbol Kuanyshev",
    "Aizhan Tokhtarova",
    "Murat Zhakenov",
    "Bibigul Nurpeisova",
    "Kairat Abdrakhmanov",
    "Laura Mukhametova",
    "Olzhas Baimukhanov",
    "Roza Ibrayeva",
    "Talgat Suleimenov",
    "Ulbolsyn Karimova",
    "Zhandos Yessenov",
    "Meruyert Ospanova",
    "Askar Kenzhebekov",
    "Dinara Rakhimova",
    "Yerlan Tulegenov",
)


async def timed_start(folder: Path, *, drill: bool) -> float:
    """Seconds from nothing to a ready practice world (greeted, and drilled if asked)."""
    began = time.perf_counter()
    world = PracticeWorld(folder / f"start-{drill}.sqlite3", port=0)
    try:
        await world.start()
        await world.say_hello()
        if drill:
            await world.drill()
        return time.perf_counter() - began
    finally:
        await world.stop()


async def on_tab(context: object, url: str, telegram_id: int) -> Page:
    page = await context.new_page()  # type: ignore[attr-defined]
    await page.goto(url)
    await expect(page.locator("#status")).to_have_attribute("data-state", "open")
    await page.locator(f'[role=tab][data-person="{telegram_id}"]').click()
    return page


async def wait_for_text(world: PracticeWorld, person: FakeUser, text: str) -> None:
    """Until a message to ``person`` (on the fake Telegram) contains ``text``."""
    arrived = await world.telegram.state.wait_for(
        lambda: any(text in (m.text or "") for m in person.messages), 30
    )
    assert arrived, f"{text!r} never reached {person.id}"


async def rounds(folder: Path, count: int) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds per report: report to request, report to every coordinator's copy, and
    confirm to alert."""
    to_request: list[float] = []
    to_copies: list[float] = []
    to_alert: list[float] = []
    world = PracticeWorld(folder / "rounds.sqlite3", port=0)
    try:
        await world.start()
        await world.say_hello()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS + FOREGROUND
            )
            context = await browser.new_context(viewport=PHONE)
            member = await on_tab(context, world.page_url, MEMBER.telegram_id)
            coordinator = await on_tab(context, world.page_url, COORDINATOR.telegram_id)
            subscriber = await on_tab(context, world.page_url, SUBSCRIBER.telegram_id)
            for number in range(1, count + 1):
                name = NAMES[(number - 1) % len(NAMES)]
                await member.locator("#composer").fill(f"/detained {name}; Astana Square; drill")
                began = time.perf_counter()
                await member.locator("#composer").press("Enter")
                request = coordinator.locator("#chat .msg.bot", has_text=f"Detained: {name}")
                confirm = request.locator(".inline-button", has_text="Confirm")
                await confirm.wait_for(state="visible", timeout=30_000)
                to_request.append((time.perf_counter() - began) * 1000)
                # The admin's copy of the request goes out last; Confirm follows it, as a
                # person reading the request would.
                await wait_for_text(world, world.person(ADMIN), name)
                to_copies.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                # force: else Playwright's "stable" check, on animation frames the browser holds
                # back for pages not in front, would be measured (about 2 s), not the bot.
                await confirm.click(force=True)
                alert = subscriber.locator("#chat .msg.bot", has_text=f"Detained: {name}")
                await alert.wait_for(state="visible", timeout=30_000)
                to_alert.append((time.perf_counter() - began) * 1000)
                # People do not report back to back: let every delivery finish and each chat's
                # one-message-a-second pacing pass, or the next round measures the pacing.
                await world.settled()
                await asyncio.sleep(PAUSE)
            await browser.close()
    finally:
        await world.stop()
    return to_request, to_copies, to_alert


def page_weight() -> float:
    """Kilobytes the page loads: HTML, script, styles (the sample photo only when sent)."""
    files = ("index.html", "app.js", "style.css")
    return sum((WEB_DIR / name).stat().st_size for name in files) / 1024


async def measure(smoke: bool) -> bool:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        plain = await timed_start(folder, drill=False)
        drilled = await timed_start(folder, drill=True)
        to_request, to_copies, to_alert = await rounds(folder, 3 if smoke else ROUNDS)
    figures = [
        Figure("start to ready", plain, "s", "<= 10"),
        Figure("start to ready, --drill", drilled, "s", "<= 30"),
        Figure("report to request p50", percentile(to_request, 0.5), "ms"),
        Figure("report to request p95", percentile(to_request, 0.95), "ms", "<= 1000"),
        Figure("report to every coordinator p95", percentile(to_copies, 0.95), "ms"),
        Figure("confirm to alert p50", percentile(to_alert, 0.5), "ms"),
        Figure("confirm to alert p95", percentile(to_alert, 0.95), "ms", "<= 1000"),
        Figure("page weight", page_weight(), "KB", "<= 100", "no framework, no CDN"),
    ]
    return report(
        "practice",
        "Practice mode: start-up, and a report through three phones' pages",
        figures,
        rounds=len(to_request),
        report_to_request_ms=to_request,
        report_to_every_copy_ms=to_copies,
        confirm_to_alert_ms=to_alert,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="3 rounds instead of 20")
    args = parser.parse_args(argv)
    return 0 if asyncio.run(measure(args.smoke)) else 1


if __name__ == "__main__":
    sys.exit(main())
