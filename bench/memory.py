"""Benchmark 4, memory and scale: resident memory at rest and during a 100,000-subscriber
broadcast, and start-up time with 10,000 pending reminders.

Run from the repository root::

    python -m bench.memory            # 100,000 subscribers, 10,000 reminders
    python -m bench.memory --smoke    # 5,000 subscribers, 1,000 reminders

Memory: the real application (``bot.app.build_application``, long polling) runs against the fake
Bot API (its own process, 80 ms per request, uncapped) with ``PAID_BROADCAST=true``. After it has
idled, its resident set (``VmRSS`` from ``/proc/self/status``, sampled every 50 ms by a thread)
is the figure "at rest". Then the subscribers are inserted as rows, one broadcast is enqueued to
all of them the way the bot does (``Audience.about(None)`` then ``OutboxRepository.enqueue``,
one transaction), and the broadcaster is woken; the peak is taken over enqueueing and sending
until every delivery is done (or over the first ``--deliveries`` if given).

Start-up: a fresh database with hearings and releases in the future and their reminder rows
(hearing, attendee, release, release-day question: as ``bot.reminders`` plans them), then the
time from ``build_application`` to the bot polling with ``post_init`` done (the reminder jobs
rebuilt), as ``tests/harness.running_bot`` starts it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import FIRST_ID, TOKEN, Figure, ServerOptions, ServerProcess, report
from bot.app import DabylApplication, build_application, polling
from bot.audience import Audience
from bot.clock import SystemClock
from bot.context import SERVICES_KEY
from bot.people import match_key
from bot.reminders import ATTENDEE_LEAD
from bot.scheduler import PREFIX
from bot.services import Services
from bot.settings import Settings
from storage.database import Database, to_db_time
from storage.outbox import NewAlert

RSS_TARGET_MB = 150.0
STARTUP_TARGET_S = 2.0
SAMPLE_EVERY = 0.050
LATENCY = 0.080
COORDINATOR = 5001  # the admin from ADMIN_IDS; created_by of the hearings
BROADCAST = "<b>Gathering at the court at 10:00</b>, bring water. Суд в 10:00, возьмите воду."


def rss_mb() -> float:
    """This process's resident set size in MB (``VmRSS``), read from /proc."""
    text = Path("/proc/self/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
    assert match is not None
    return int(match.group(1)) / 1024


class Sampler:
    """Samples RSS every 50 ms on a thread (the event loop may be busy); keeps the peak."""

    def __init__(self) -> None:
        self.peak = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self.samples += 1
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def make_settings(path: Path, base_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        database_path=path,
        admin_ids=str(COORDINATOR),
        digest_time="",
        telegram_api_url=base_url,
        paid_broadcast=True,
    )


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[tuple[DabylApplication, float]]:
    """The application started as ``python -m bot`` does (long polling); yields it and how long
    it took from ``build_application`` to polling with ``post_init`` done."""
    began = time.perf_counter()
    application = build_application(settings, SystemClock())
    async with polling(application, poll_timeout=1):
        yield application, time.perf_counter() - began


async def insert_subscribers(db: Database, count: int) -> None:
    now = to_db_time(datetime.now(UTC))
    rows = (
        (FIRST_ID + i, None, f"Subscriber {i}", "subscriber", "ru" if i % 3 else "kk", 1,
         f"sub-{i:06d}", now, now)
        for i in range(count)
    )  # fmt: skip
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (telegram_id, username, first_name, role, language, subscribed,"
            " pseudonym, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


async def broadcast_memory(subscribers: int, deliveries: int | None) -> dict[str, Any]:
    """RSS at rest and its peak over a broadcast to ``subscribers``."""
    options = ServerOptions(latency=LATENCY, users=subscribers)
    with tempfile.TemporaryDirectory() as folder, ServerProcess(options) as server:
        settings = make_settings(Path(folder) / "dabyl.sqlite3", server.base_url)
        async with started(settings) as (application, _):
            services: Services = application.bot_data[SERVICES_KEY]
            await asyncio.sleep(2)  # idle: polling, nothing to do
            rest = rss_mb()
            await insert_subscribers(services.db, subscribers)
            await asyncio.sleep(0.5)
            after_insert = rss_mb()
            with Sampler() as sampler:
                began = time.perf_counter()
                chat_ids = await Audience(services.users, settings).about(None)
                alert = NewAlert(kind="broadcast", text=BROADCAST, priority=1, paid=True)
                alert_id = await services.outbox.enqueue(alert, chat_ids, services.clock.now())
                del chat_ids  # the bot's handler lets go of the list once enqueued, too
                services.broadcaster.wake()
                enqueued = time.perf_counter() - began
                enqueue_peak = sampler.peak
                goal = min(deliveries or subscribers, subscribers)
                while True:
                    await asyncio.sleep(0.5)
                    summary = await services.outbox.summary(alert_id)
                    done = summary.total - summary.pending
                    if done >= goal:
                        break
                elapsed = time.perf_counter() - began
            stats = server.stats()
    return {
        "rest": rest,
        "after_insert": after_insert,
        "enqueue_peak": enqueue_peak,
        "peak": sampler.peak,
        "samples": sampler.samples,
        "enqueue_s": enqueued,
        "elapsed_s": elapsed,
        "done": done,
        "sent": summary.sent,
        "server_sends": stats.sends,
    }


async def insert_reminders(db: Database, count: int, settings: Settings) -> int:
    """Hearings and releases in the future with their reminder rows; returns how many rows."""
    now = datetime.now(UTC)
    leads = [*settings.hearing_reminders, ATTENDEE_LEAD]  # the last: the attendee reminder
    release_leads = list(settings.release_reminders)
    people, hearings, reminders = [], [], []
    person_id = hearing_id = 0
    while len(reminders) < count:
        person_id += 1
        name = f"Person {person_id} Тестова"
        event = now + timedelta(days=8 + person_id % 60, hours=person_id % 24)  # 7-day lead ahead
        if person_id % 2:  # in custody with a release date: release reminders + the question
            people.append((person_id, name, match_key(name), "arrested", to_db_time(event)))
            for lead in release_leads:
                reminders.append(("release", None, person_id, event, lead))
            reminders.append(("release_check", None, person_id, event, timedelta(0)))
        else:  # free, with a hearing ahead: hearing reminders + the attendee one
            people.append((person_id, name, match_key(name), "free", None))
            hearing_id += 1
            hearings.append((hearing_id, person_id, to_db_time(event)))
            for index, lead in enumerate(leads):
                kind = "attendee" if index == len(leads) - 1 else "hearing"
                reminders.append((kind, hearing_id, None, event, lead))
    reminders = reminders[:count]
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT OR IGNORE INTO users (telegram_id, first_name, role, pseudonym, created_at,"
            " last_seen_at) VALUES (?, 'Coordinator', 'admin', 'coord', ?, ?)",
            (COORDINATOR, stamp, stamp),
        )
        await conn.executemany(
            "INSERT INTO people (id, name, match_key, status, release_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(*row, stamp) for row in people],
        )
        await conn.executemany(
            "INSERT INTO hearings (id, person_id, starts_at, place, created_by, created_at,"
            " updated_at) VALUES (?, ?, ?, 'Almaty city court', ?, ?, ?)",
            [(*row, COORDINATOR, stamp, stamp) for row in hearings],
        )
        await conn.executemany(
            "INSERT INTO reminders (kind, hearing_id, person_id, event_at, due_at, lead)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (kind, hid, pid, to_db_time(at), to_db_time(at - lead), int(lead.total_seconds()))
                for kind, hid, pid, at, lead in reminders
            ],
        )
    return len(reminders)


async def startup(reminders: int, runs: int) -> dict[str, Any]:
    """Start-up times (s) with ``reminders`` pending reminder rows; the jobs scheduled."""
    with tempfile.TemporaryDirectory() as folder, ServerProcess(ServerOptions()) as server:
        settings = make_settings(Path(folder) / "dabyl.sqlite3", server.base_url)
        db = await Database.open(settings.database_path)
        await db.migrate()
        rows = await insert_reminders(db, reminders, settings)
        await db.close()
        times, jobs = [], 0
        for _ in range(runs):
            async with started(settings) as (application, took):
                assert application.job_queue is not None
                jobs = sum(
                    1 for job in application.job_queue.jobs() if (job.name or "").startswith(PREFIX)
                )
                times.append(took)
    return {"rows": rows, "jobs": jobs, "times": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="5,000 subscribers, 1,000 reminders")
    parser.add_argument("--subscribers", type=int)
    parser.add_argument("--reminders", type=int)
    parser.add_argument(
        "--deliveries", type=int, help="take the peak over the first N deliveries only"
    )
    parser.add_argument("--runs", type=int, default=3, help="start-ups to time (best is shown)")
    args = parser.parse_args()
    subscribers = args.subscribers or (5_000 if args.smoke else 100_000)
    reminders = args.reminders or (1_000 if args.smoke else 10_000)
    logging.basicConfig(level=logging.WARNING)

    memory = asyncio.run(broadcast_memory(subscribers, args.deliveries))
    boot = asyncio.run(startup(reminders, args.runs))
    over = "every delivery" if memory["done"] >= subscribers else f"first {memory['done']:,}"
    rate = memory["done"] / memory["elapsed_s"]
    figures = [
        Figure("RSS at rest (idle, polling)", memory["rest"], "MB"),
        Figure(f"RSS after inserting {subscribers:,} users", memory["after_insert"], "MB"),
        Figure("RSS peak while enqueueing", memory["enqueue_peak"], "MB"),
        Figure(
            f"RSS peak, broadcast to {subscribers:,}",
            memory["peak"],
            "MB",
            f"<= {RSS_TARGET_MB:g}",
            f"over {over}; {memory['samples']} samples every 50 ms",
        ),
        Figure("broadcast rate (enqueue included)", rate, "msg/s", note="80 ms latency, paid"),
        Figure(
            f"start-up, {boot['rows']:,} pending reminders",
            min(boot["times"]),
            "s",
            f"<= {STARTUP_TARGET_S:g}",
            f"best of {len(boot['times'])}: "
            + ", ".join(f"{t:.2f}" for t in boot["times"])
            + f"; {boot['jobs']:,} jobs",
        ),
    ]
    ok = report(
        "memory",
        "4. Memory and scale" + (" (smoke)" if args.smoke else ""),
        figures,
        subscribers=subscribers,
        reminders=reminders,
        memory=memory,
        startup=boot,
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
