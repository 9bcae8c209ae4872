"""Benchmark 2, adherence at the free cap: one detention report to 1,500 subscribers at 30/s.

The fake Bot API enforces Telegram's free limits (30 messages a second in all, one a second to a
private chat; 429 with ``retry_after`` above them). The real application, long-polling it with
``BROADCAST_RATE=30`` and ``PAID_BROADCAST`` off, receives one coordinator's ``/detained``
report as a Telegram message and alerts every subscriber. Figures: the sustained rate (first to
last accepted send) over 30/s, the 429s (in all and after the first second), and the most
messages one private chat got in any second.

    python -m bench.free_cap [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import TOKEN, Figure, ServerOptions, ServerProcess, ServerStats, report
from bot.app import DabylApplication
from bot.clock import SystemClock
from bot.settings import Settings
from storage.database import Database, to_db_time
from tests.harness import running_bot

RATE = 30.0
COORDINATOR_ID = 900_000  # coordinators are COORDINATOR_ID, COORDINATOR_ID + 1, ...
REPORT = "/detained Aigerim Nurlanovna; Abay square, Almaty"
ALERT = "🚨 Detained: Aigerim"  # how the alert's text begins


def bench_settings(workdir: Path, base_url: str, **overrides: Any) -> Settings:
    """The bot's settings for a benchmark: free cap, no digest, no flood limit in the way."""
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "telegram_api_url": base_url,
        "database_path": workdir / "dabyl.sqlite3",
        "broadcast_rate": RATE,
        "paid_broadcast": False,
        "digest_time": "",
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def user_row(telegram_id: int, role: str, *, alert_mode: str = "all") -> tuple[Any, ...]:
    now = to_db_time(datetime.now(UTC))
    return (telegram_id, f"Person {telegram_id}", role, f"p-{telegram_id:x}", now, now, alert_mode)


async def insert_users(settings: Settings, rows: Iterable[tuple[Any, ...]]) -> None:
    """Create the database and its users in one transaction, before the bot starts."""
    db = await Database.open(settings.database_path)
    try:
        await db.migrate()
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO users (telegram_id, first_name, role, language, subscribed,"
                " pseudonym, created_at, last_seen_at, alert_mode)"
                " VALUES (?, ?, ?, 'en', 1, ?, ?, ?, ?)",
                list(rows),
            )
    finally:
        await db.close()


@asynccontextmanager
async def real_bot(settings: Settings) -> AsyncIterator[DabylApplication]:
    """The real application, started the way tests/harness.py starts it."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta
    async with running_bot(settings, SystemClock()) as application:
        yield application


async def wait_for_chats(
    server: ServerProcess, chats: set[int], seconds: float
) -> tuple[ServerStats, bool]:
    """Poll the server until every chat in ``chats`` got a message (or ``seconds`` pass)."""
    deadline = time.monotonic() + seconds
    while True:
        stats = await asyncio.to_thread(server.stats)
        if chats <= stats.per_chat.keys():
            return stats, True
        if time.monotonic() > deadline:
            return stats, False
        await asyncio.sleep(1.0)


def sustained_rate(times: list[float]) -> float:
    """Messages per second from the first to the last of ``times``."""
    if len(times) < 2:
        return float("nan")
    ordered = sorted(times)
    return (len(ordered) - 1) / (ordered[-1] - ordered[0])


async def run(subscribers: int, latency: float) -> bool:
    options = ServerOptions(
        latency=latency, users=subscribers, per_second=RATE, per_chat_per_second=1, retry_after=1
    )
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(options) as server:
        settings = bench_settings(Path(tmp), server.base_url)
        first = options.first_id
        chats = set(range(first, first + subscribers))
        setup_began = time.monotonic()
        await insert_users(
            settings,
            [user_row(COORDINATOR_ID, "coordinator")]
            + [user_row(chat, "subscriber") for chat in chats],
        )
        async with real_bot(settings):
            setup = time.monotonic() - setup_began
            reported = await asyncio.to_thread(server.send, COORDINATOR_ID, "Coordinator", REPORT)
            stats, done = await wait_for_chats(server, chats, seconds=subscribers / RATE * 3 + 30)
            await asyncio.sleep(3)  # the "delivered N of M" summary, and anything late
            stats = await asyncio.to_thread(server.stats)
    return report(
        "free_cap",
        f"2. Adherence at the free cap ({subscribers:,} subscribers, {latency * 1000:.0f} ms)",
        figures(stats, reported, chats, done),
        subscribers=subscribers,
        latency=latency,
        setup_seconds=round(setup, 2),
        status_counts=stats.status_counts,
        sends=stats.sends,
    )


def figures(stats: ServerStats, reported: float, chats: set[int], done: bool) -> list[Figure]:
    # The alert's deliveries: the reporter's receipt and the "delivered N of M" summary are
    # sends too (they count against the cap, and in the 429s) but not part of the broadcast.
    times = [t for _, t, text in stats.send_log if t >= reported and text.startswith(ALERT)]
    rate = sustained_rate(times)
    rejected = [t for t in stats.rejected_send_times if t >= reported]
    first = min(times, default=reported)
    late = [t for t in rejected if t > first + 1.0]
    span = (max(times) - min(times)) if times else 0.0
    reached = len(chats & stats.per_chat.keys())
    return [
        Figure(
            "achieved rate / 30",
            100 * rate / RATE,
            "%",
            ">= 95",
            f"{rate:.2f} msg/s, {len(times):,} alert sends over {span:.1f} s",
        ),
        Figure("429s received, in all", len(rejected), "", "", "reported only"),
        Figure("429s after the first second", len(late), "", "== 0"),
        Figure(
            "most messages to one private chat in a second", stats.max_per_chat_second, "", "<= 1"
        ),
        Figure(
            "subscribers reached",
            reached,
            "",
            f">= {len(chats)}",
            "" if done else "timed out waiting",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="150 subscribers")
    parser.add_argument("--subscribers", type=int, default=None)
    parser.add_argument("--latency", type=float, default=0.08)
    args = parser.parse_args()
    subscribers = args.subscribers or (150 if args.smoke else 1500)
    ok = asyncio.run(run(subscribers, args.latency))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
