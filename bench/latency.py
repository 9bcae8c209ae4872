"""Benchmark 3, report-to-alert latency while a 10,000-subscriber broadcast drains at the cap.

10,000 reminders (priority 2, one alert to every subscriber) are queued in the outbox before the
real bot starts; with the fake server capped at 30 messages a second and ``BROADCAST_RATE=30``
they take over five minutes to drain. Meanwhile 200 coordinators, one report each, send
``/detained <fictional name N>; <place>`` spread over a minute. For each report the figure is
the time from its update becoming available (``ServerProcess.send`` returned) to the server
accepting the first subscriber's alert about it.

Each report is about a different person, already known to the bot, and the subscribers get
alerts in "followed" mode: three of them follow each person. So each report's alert goes to
three subscribers (and never to the coordinators), 600 urgent deliveries in all, about 10 a
second: the urgent work stays within the cap, the reminders fill the rest, and the figure
measured is how soon an urgent alert overtakes the queued reminders.

    python -m bench.latency [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Figure, ServerOptions, ServerProcess, ServerStats, percentile, report
from bench.free_cap import RATE, bench_settings, insert_users, real_bot, user_row
from bot.people import clean_name, match_key
from bot.settings import Settings
from storage.database import Database, to_db_time
from storage.outbox import NewAlert, OutboxRepository

COORDINATOR_ID = 900_000
FOLLOWERS = 3  # subscribers who follow each reported person
REMINDER = "⏰ Reminder: hearing tomorrow at 10:00"


def name(n: int) -> str:
    return f"Fictional name {n}"


def alert_head(n: int) -> str:
    """How the alert about report ``n`` begins, as the server stores it (tags stripped)."""
    return f"🚨 Detained: {name(n)}\n"


def followers(n: int, subscribers: int, first: int) -> list[int]:
    """Three subscribers far apart in the queue, different for every person."""
    step = subscribers // FOLLOWERS
    return [first + (n * 7 + j * step) % subscribers for j in range(FOLLOWERS)]


async def prepare(settings: Settings, subscribers: int, reports: int, first: int) -> None:
    """Users, the people reported and their followers, and the queued reminders."""
    rows = [
        user_row(COORDINATOR_ID + n, "coordinator", alert_mode="followed") for n in range(reports)
    ]
    rows += [user_row(first + i, "subscriber", alert_mode="followed") for i in range(subscribers)]
    await insert_users(settings, rows)
    now = datetime.now(UTC)
    db = await Database.open(settings.database_path)
    try:
        async with db.transaction() as conn:
            for n in range(reports):
                cursor = await conn.execute(
                    "INSERT INTO people (name, match_key, created_at) VALUES (?, ?, ?)",
                    (clean_name(name(n)), match_key(name(n)), to_db_time(now)),
                )
                await conn.executemany(
                    "INSERT INTO follows (user_id, person_id, created_at) VALUES (?, ?, ?)",
                    [
                        (chat, cursor.lastrowid, to_db_time(now))
                        for chat in followers(n, subscribers, first)
                    ],
                )
        reminder = NewAlert(kind="reminder", text=REMINDER, priority=2)
        chats = range(first, first + subscribers)
        await OutboxRepository(db).enqueue(reminder, list(chats), now)
    finally:
        await db.close()


async def run(subscribers: int, reports: int, spread: float, latency: float) -> bool:
    options = ServerOptions(
        latency=latency, users=subscribers, per_second=RATE, per_chat_per_second=1, retry_after=1
    )
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(options) as server:
        settings = bench_settings(Path(tmp), server.base_url)
        await prepare(settings, subscribers, reports, options.first_id)
        async with real_bot(settings):
            await asyncio.sleep(3)  # the reminders are draining at the cap
            began = time.monotonic()
            available: list[float] = []
            for n in range(reports):
                await asyncio.sleep(max(0.0, began + n * spread / reports - time.monotonic()))
                text = f"/detained {name(n)}; Place {n}, Almaty"
                available.append(
                    await asyncio.to_thread(server.send, COORDINATOR_ID + n, f"Coord {n}", text)
                )
            stats = await wait_for_alerts(server, reports, seconds=30)
    return report(
        "latency",
        f"3. Report-to-alert latency ({reports} reports over {spread:.0f} s, "
        f"{subscribers:,} reminders draining, {latency * 1000:.0f} ms)",
        figures(stats, available),
        subscribers=subscribers,
        reports=reports,
        spread_seconds=spread,
        latency=latency,
        status_counts=stats.status_counts,
        sends=stats.sends,
    )


async def wait_for_alerts(server: ServerProcess, reports: int, seconds: float) -> ServerStats:
    """Poll the server until an alert about every report was accepted (or time runs out)."""
    deadline = time.monotonic() + seconds
    while True:
        stats = await asyncio.to_thread(server.stats)
        heads = {text for _, _, text in stats.send_log if text.startswith("🚨")}
        if len(heads) >= reports or time.monotonic() > deadline:
            return stats
        await asyncio.sleep(1.0)


def figures(stats: ServerStats, available: list[float]) -> list[Figure]:
    first_alert: dict[int, float] = {}
    heads = {alert_head(n): n for n in range(len(available))}
    reminder_times: list[float] = []
    for _, at, text in stats.send_log:
        if text.startswith(REMINDER[:20]):
            reminder_times.append(at)
            continue
        head = text[: text.find("\n") + 1] if "\n" in text else ""
        n = heads.get(head)
        if n is not None and n not in first_alert:
            first_alert[n] = at
    latencies = [1000 * (first_alert[n] - available[n]) for n in sorted(first_alert)]
    overtaken = [
        sum(1 for t in reminder_times if available[n] < t < first_alert[n]) for n in first_alert
    ]
    window = (min(available), max(first_alert.values(), default=max(available)))
    during = [t for t in reminder_times if window[0] <= t <= window[1]]
    rejected = [t for t in stats.rejected_send_times if t >= window[0]]
    return [
        Figure("report to first alert, p50", percentile(latencies, 0.50), "ms"),
        Figure("report to first alert, p95", percentile(latencies, 0.95), "ms"),
        Figure("report to first alert, p99", percentile(latencies, 0.99), "ms", "<= 250"),
        Figure("report to first alert, max", max(latencies, default=float("nan")), "ms"),
        Figure("reports with an alert", len(first_alert), "", f">= {len(available)}"),
        Figure(
            "reminders sent between a report and its first alert, max",
            max(overtaken, default=0),
            "",
            "",
            f"mean {sum(overtaken) / max(1, len(overtaken)):.2f}; "
            f"{sum(1 for c in overtaken if c == 0)} of {len(overtaken)} with none",
        ),
        Figure(
            "reminders sent meanwhile",
            len(during),
            "",
            "",
            f"{len(during) / max(1e-9, window[1] - window[0]):.1f} msg/s kept draining",
        ),
        Figure("429s during the reports", len(rejected), "", "", "reported only"),
        Figure(
            "most messages to one private chat in a second", stats.max_per_chat_second, "", "<= 1"
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="20 reports over 10 s, 1,000 reminders"
    )
    parser.add_argument("--latency", type=float, default=0.08)
    args = parser.parse_args()
    if args.smoke:
        ok = asyncio.run(run(1_000, 20, 10.0, args.latency))
    else:
        ok = asyncio.run(run(10_000, 200, 60.0, args.latency))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
