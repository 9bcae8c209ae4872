"""Benchmark 1, the paid-broadcast ceiling: one detention report to 10,000 subscribers.

The fake Bot API is uncapped and 80 ms away. The real application (``PAID_BROADCAST=true``),
long-polling it, receives one coordinator's own ``/detained`` report as a Telegram message and
alerts every subscriber (languages mixed kk/ru/en). The figure is messages per second end to end:
from the moment the report's update became available to the last delivery the server accepted,
with every database write on the way (the report, the outbox, each outcome). Next to it, two
baselines against the same server: (a) a plain ``await bot.send_message(...)`` loop and (b)
``asyncio.gather`` with a semaphore of 100, both over PTB's default transport (httpx).

    python -m bench.paid [--smoke] [--profile] [--skip-baselines]

``--profile`` samples the bot's process with pyinstrument during the broadcast and writes
``bench/results/paid-profile.txt``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import resource
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.request import HTTPXRequest

from bench.common import RESULTS, TOKEN, Figure, ServerOptions, ServerProcess, ServerStats, report
from bot.clock import SystemClock
from bot.settings import Settings
from storage.database import Database, to_db_time
from tests.harness import running_bot

COORDINATOR_ID = 900_000
REPORT = "/detained Saule Bekova; Abay square, Almaty; taken into a van near the akimat"
LANGUAGES = ("kk", "ru", "en")
# About the size of a real alert, in HTML, for the baselines.
BASELINE_TEXT = (
    "🚨 <b>Detained: Saule Bekova</b>\nWhere: Abay square, Almaty\n"
    "Details: taken into a van near the akimat\nWhen: 1 Mar 2026, 14:00\n"
    "Report #1 · reported by a coordinator"
)
BASELINE_CONCURRENCY = 100


@dataclass(frozen=True)
class Size:
    subscribers: int
    latency: float
    loop_chats: int  # baseline (a)
    gather_chats: int  # baseline (b)
    # The speed targets are the full run's: at 500 subscribers the fixed ~0.3 s from the report
    # to the first delivery dominates, so a smoke run checks only that nobody is missed.
    judged: bool = True


FULL = Size(subscribers=10_000, latency=0.08, loop_chats=300, gather_chats=2_000)
SMOKE = Size(subscribers=500, latency=0.02, loop_chats=100, gather_chats=200, judged=False)


@dataclass
class PaidRun:
    reported: float  # when the report's update became available (monotonic, server clock)
    committed: float  # when the bot had recorded every outcome and closed the alert
    stats: ServerStats
    chats: set[int]
    setup: float
    bot_cpu: float  # CPU seconds of this process (the bot) from the report to the last outcome
    server_cpu: float  # the same for the fake server's process


# -- the real bot -----------------------------------------------------------------------------
def bench_settings(workdir: Path, base_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        telegram_api_url=base_url,
        database_path=workdir / "dabyl.sqlite3",
        paid_broadcast=True,
        digest_time="",
        log_level="WARNING",
    )


async def insert_users(path: Path, coordinator: int, chats: list[int]) -> None:
    """Migrate the database and add everyone in one transaction, before the bot starts."""
    now = to_db_time(datetime.now(UTC))
    rows: list[tuple[Any, ...]] = [
        (coordinator, "Daniyar", "coordinator", "en", f"p-{coordinator:x}", now, now)
    ]
    rows += [
        (chat, f"Subscriber {i}", "subscriber", LANGUAGES[i % 3], f"p-{chat:x}", now, now)
        for i, chat in enumerate(chats)
    ]
    db = await Database.open(path)
    try:
        await db.migrate()
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO users (telegram_id, first_name, role, language, subscribed,"
                " pseudonym, created_at, last_seen_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
                rows,
            )
    finally:
        await db.close()


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process and by the fake server's (its only child)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    server = 0.0
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
            server += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own.ru_utime + own.ru_stime, server


class AlertsDone:
    """Whether every alert is completed, read through a connection of its own (WAL: it
    neither waits for nor blocks the bot's writes)."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def __call__(self) -> bool:
        total, open_ = self._conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE completed_at IS NULL) FROM alerts"
        ).fetchone()
        return bool(total) and not open_

    def close(self) -> None:
        self._conn.close()


@contextlib.contextmanager
def profiled(enabled: bool) -> Iterator[None]:
    """Sample this process with pyinstrument (every thread's time shows on the event loop's)."""
    if not enabled:
        yield
        return
    from pyinstrument import Profiler  # a development tool, imported only when asked for

    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        RESULTS.mkdir(parents=True, exist_ok=True)
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        (RESULTS / "paid-profile.txt").write_text(text)
        print(f"profile: {RESULTS / 'paid-profile.txt'}")


async def paid_run(server: ServerProcess, size: Size, workdir: Path, profile: bool) -> PaidRun:
    settings = bench_settings(workdir, server.base_url)
    first = server.options.first_id
    chats = list(range(first, first + size.subscribers))
    began = time.monotonic()
    await insert_users(settings.database_path, COORDINATOR_ID, chats)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    async with running_bot(settings, SystemClock()):
        setup = time.monotonic() - began
        with profiled(profile):
            cpu_before = cpu_seconds()
            reported = await asyncio.to_thread(server.send, COORDINATOR_ID, "Daniyar", REPORT)
            deadline = reported + size.subscribers / 50 + 30
            done = AlertsDone(settings.database_path)
            # The database has no change notification to wait on.
            while not await asyncio.to_thread(done) and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            committed = time.monotonic()
            done.close()
            cpu_after = cpu_seconds()
        await asyncio.sleep(0.5)  # anything late (there should be nothing)
        stats = await asyncio.to_thread(server.stats)
    bot_cpu, server_cpu = (
        after - before for after, before in zip(cpu_after, cpu_before, strict=True)
    )
    return PaidRun(reported, committed, stats, set(chats), setup, bot_cpu, server_cpu)


# -- baselines ----------------------------------------------------------------------------------
async def plain_loop(base_url: str, chats: list[int]) -> float:
    """Baseline (a): one send after the other with PTB's default Bot."""
    async with Bot(TOKEN, base_url=base_url) as bot:
        began = time.monotonic()
        for chat in chats:
            await bot.send_message(chat, BASELINE_TEXT, parse_mode=ParseMode.HTML)
    return began


async def gathered(base_url: str, chats: list[int]) -> float:
    """Baseline (b): asyncio.gather, at most 100 at once, PTB's default transport (httpx)."""
    request = HTTPXRequest(connection_pool_size=BASELINE_CONCURRENCY + 10, pool_timeout=30)
    limit = asyncio.Semaphore(BASELINE_CONCURRENCY)

    async def send(chat: int) -> None:
        async with limit:
            await bot.send_message(chat, BASELINE_TEXT, parse_mode=ParseMode.HTML)

    async with Bot(TOKEN, base_url=base_url, request=request) as bot:
        began = time.monotonic()
        await asyncio.gather(*(send(chat) for chat in chats))
    return began


async def baseline(server: ServerProcess, chats: list[int], gather: bool) -> tuple[float, int]:
    """Messages per second (start to the last accepted send) and sends counted by the server."""
    await asyncio.to_thread(server.reset)
    sender = gathered if gather else plain_loop
    began = await sender(server.base_url, chats)
    stats = await asyncio.to_thread(server.stats)
    return rate(began, stats.send_times, len(chats)), stats.sends


def rate(began: float, times: list[float], count: int) -> float:
    after = [t for t in times if t >= began]
    if not after:
        return float("nan")
    return count / (max(after) - began)


# -- the run ----------------------------------------------------------------------------------
async def run(size: Size, *, profile: bool, baselines: bool) -> bool:
    options = ServerOptions(latency=size.latency, users=size.subscribers)
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(options) as server:
        paid = await paid_run(server, size, Path(tmp), profile)
        sample = sorted(paid.chats)
        loop_rate = gather_rate = float("nan")
        loop_sends = gather_sends = 0
        if baselines:
            loop_rate, loop_sends = await baseline(server, sample[: size.loop_chats], False)
            gather_rate, gather_sends = await baseline(server, sample[: size.gather_chats], True)
    figures = paid_figures(paid, size.judged)
    paid_rate = figures[0].value
    figures += [
        Figure(
            "(a) plain send_message loop",
            loop_rate,
            "msg/s",
            note=f"{size.loop_chats} chats, {loop_sends} sends, PTB default Bot (httpx)",
        ),
        Figure(
            "(b) gather, semaphore 100, httpx",
            gather_rate,
            "msg/s",
            note=f"{size.gather_chats} chats, {gather_sends} sends",
        ),
        Figure("paid / (a)", paid_rate / loop_rate, "x", ">= 50" if size.judged else ""),
        Figure("paid / (b)", paid_rate / gather_rate, "x", ">= 5" if size.judged else ""),
    ]
    if not baselines:
        figures = figures[:-4]
    return report(
        "paid",
        f"1. Paid-broadcast ceiling ({size.subscribers:,} subscribers,"
        f" {size.latency * 1000:.0f} ms, uncapped)",
        figures,
        subscribers=size.subscribers,
        latency=size.latency,
        cores=os.cpu_count(),
        load_average=os.getloadavg(),
        setup_seconds=round(paid.setup, 2),
        status_counts=paid.stats.status_counts,
    )


def paid_figures(paid: PaidRun, judged: bool) -> list[Figure]:
    stats = paid.stats
    times = [t for t in stats.send_times if t >= paid.reported]
    last = max(times, default=paid.reported)
    reached = {chat: stats.per_chat.get(chat, 0) for chat in paid.chats}
    missed = sum(1 for n in reached.values() if n == 0)
    extra = sum(n - 1 for n in reached.values() if n > 1)
    subscribers = len(paid.chats)
    return [
        Figure(
            "paid broadcast, end to end",
            subscribers / (last - paid.reported) if times else float("nan"),
            "msg/s",
            ">= 900" if judged else "",
            "report available -> last delivery accepted, DB writes included",
        ),
        Figure("  report -> last delivery accepted", last - paid.reported, "s"),
        Figure("  report -> every outcome committed", paid.committed - paid.reported, "s"),
        Figure("  bot CPU per alert", paid.bot_cpu / subscribers * 1000, "ms", note="1 process"),
        Figure("  fake server CPU per alert", paid.server_cpu / subscribers * 1000, "ms"),
        Figure("  sends the server accepted", stats.sends, "", note="alerts, receipt, summary"),
        Figure("  subscribers without the alert", missed, "", "== 0"),
        Figure("  duplicate alerts", extra, "", "== 0"),
        Figure("  schema errors", len(stats.schema_errors), "", "== 0"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="500 subscribers, 20 ms")
    parser.add_argument("--subscribers", type=int, default=None)
    parser.add_argument("--latency", type=float, default=None, help="seconds per request")
    parser.add_argument("--profile", action="store_true", help="pyinstrument the broadcast")
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop's event loop")
    args = parser.parse_args()
    size = SMOKE if args.smoke else FULL
    size = Size(
        args.subscribers or size.subscribers,
        size.latency if args.latency is None else args.latency,
        size.loop_chats,
        size.gather_chats,
        size.judged and args.subscribers is None and args.latency is None,
    )
    main = run(size, profile=args.profile, baselines=not args.skip_baselines)
    if args.uvloop:
        # Measured, not adopted (more CPU per message here, see bench/README.md): not a
        # dependency, so ``pip install uvloop`` first.
        import uvloop

        ok = uvloop.run(main)
    else:
        ok = asyncio.run(main)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
