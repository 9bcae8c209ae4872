"""Reliability figures: one alert to 2,000 subscribers through faults and five SIGKILLs.

The fake Bot API (its own process, 80 ms per request) fails sends at random, seeded: 10% get a
5xx at once, 5% hang longer than the bot's read timeout (half of them carried out before the
answer is lost, so a retry makes a duplicate; half lost before delivery), and every few seconds
every send gets 429 ``retry_after=1`` for a moment. The bot is the real ``python -m bot`` in a
subprocess (settings from the environment, ``PAID_BROADCAST=true``); it is SIGKILLed at random
moments of the broadcast (when the server has accepted a seeded-random number of sends) and
started again, five times. The alert is enqueued directly in the database before the first
start (an alert written by a report takes the same outbox path; the report step has its own
benchmarks), so every kill lands in the broadcast.

At the end, when no delivery is pending and the alert is complete: lost deliveries
(subscribers that never had a send accepted: must be 0), duplicates (chats with more than one
accepted send) split into those a kill caused and those a delivered-then-lost timeout caused,
``PRAGMA integrity_check`` and ``foreign_key_check``, and the deliveries by state.

    python -m bench.faults [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.common import FIRST_ID, ROOT, TOKEN, Figure, ServerOptions, ServerProcess, report
from fakebotapi import FakeBotAPI
from storage.database import Database
from storage.outbox import NewAlert, OutboxRepository

ADMIN_ID = 5001
TEXT = "🚨 <b>Detained</b>: Aigerim Nurlanovna, Abay square, Almaty"
SEED = 20260301
READ_TIMEOUT = 10.0  # bot.broadcaster.make_sender_bot's default
DEADLINE = 150.0  # seconds for the whole broadcast, kills and restarts included


@dataclass(frozen=True)
class FaultPlan:
    """The server's faults (picklable: it crosses to the server's process)."""

    error_rate: float = 0.10
    timeout_rate: float = 0.05
    hang: float = READ_TIMEOUT + 1.0
    burst_every: float = 3.0
    burst_length: float = 0.3
    seed: int = SEED


def install_faults(plan: FaultPlan, dump: str, server: FakeBotAPI) -> None:
    """``ServerOptions.setup``: turn the faults on; keep ``dump`` up to date with what the
    server accepted and which faults it drew (the benchmark reads it at the end)."""
    server.random_faults(
        plan.error_rate,
        plan.timeout_rate,
        plan.hang,
        plan.burst_every,
        plan.burst_length,
        plan.seed,
    )
    # Held by the server object so that the task is not garbage-collected.
    server.fault_dumper = asyncio.get_running_loop().create_task(  # type: ignore[attr-defined]
        _dump_forever(server, Path(dump))
    )


async def _dump_forever(server: FakeBotAPI, path: Path) -> None:
    written = (-1, -1)
    while True:
        now = (len(server.stats.chat_sends), len(server.stats.random_faults))
        if now != written:
            data = {"sends": server.stats.chat_sends, "faults": server.stats.random_faults}
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(data))
            temporary.replace(path)
            written = now
        await asyncio.sleep(0.2)


async def enqueue(database: Path, chat_ids: list[int]) -> int:
    """The alert and its deliveries, written before the bot first starts."""
    db = await Database.open(database)
    await db.migrate()
    alert = NewAlert(kind="report", text=TEXT, priority=0, paid=True)
    alert_id = await OutboxRepository(db).enqueue(alert, chat_ids, datetime.now(UTC))
    await db.close()
    return alert_id


def start_bot(workdir: Path, base_url: str, life: int) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": base_url,
        "DATABASE_PATH": str(workdir / "dabyl.sqlite3"),
        "ADMIN_IDS": str(ADMIN_ID),
        "PAID_BROADCAST": "true",
        "DIGEST_TIME": "",
    }
    log = (workdir / f"bot-{life}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def alert_state(database: Path, alert_id: int) -> tuple[int, bool]:
    """(pending deliveries, alert completed), read while the bot runs (WAL: readers welcome)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
        (pending,) = conn.execute(
            "SELECT count(*) FROM deliveries WHERE alert_id = ? AND state = 'pending'",
            (alert_id,),
        ).fetchone()
        (completed,) = conn.execute(
            "SELECT completed_at IS NOT NULL FROM alerts WHERE id = ?", (alert_id,)
        ).fetchone()
    return pending, bool(completed)


def checks(database: Path, alert_id: int) -> tuple[str, int, dict[str, int]]:
    """integrity_check, foreign_key_check rows, deliveries by state."""
    with sqlite3.connect(database) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = len(conn.execute("PRAGMA foreign_key_check").fetchall())
        states = dict(
            conn.execute(
                "SELECT state, count(*) FROM deliveries WHERE alert_id = ? GROUP BY state",
                (alert_id,),
            ).fetchall()
        )
    return integrity, foreign, states


def run(subscribers: int, kills: int, seed: int) -> bool:
    chat_ids = [FIRST_ID + i for i in range(subscribers)]
    rng = random.Random(seed)
    # Kill when the server has accepted this many sends in all: seeded-random moments spread
    # over the broadcast (two kills may fall close together, as crashes can).
    low, high = int(0.05 * subscribers), int(0.95 * subscribers)
    kill_at = sorted(rng.sample(range(low, high), kills))
    with tempfile.TemporaryDirectory(prefix="dabyl-faults-") as tmp:
        workdir = Path(tmp)
        database = workdir / "dabyl.sqlite3"
        dump = workdir / "server.json"
        alert_id = asyncio.run(enqueue(database, chat_ids))
        plan = FaultPlan(seed=seed)
        options = ServerOptions(
            users=subscribers, setup=functools.partial(install_faults, plan, str(dump))
        )
        kill_times: list[float] = []
        with ServerProcess(options) as server:
            began = time.monotonic()
            for life, threshold in enumerate(kill_at):
                process = start_bot(workdir, server.base_url, life)
                while server.stats().sends < threshold and process.poll() is None:
                    if time.monotonic() - began > DEADLINE:
                        raise TimeoutError(f"life {life}: {server.stats().sends} sends")
                    time.sleep(0.02)
                process.kill()  # SIGKILL: no shutdown code runs
                process.wait()
                kill_times.append(time.monotonic())
            process = start_bot(workdir, server.base_url, kills)
            while alert_state(database, alert_id) != (0, True):
                if time.monotonic() - began > DEADLINE or process.poll() is not None:
                    process.kill()
                    raise TimeoutError(f"not final: {alert_state(database, alert_id)}")
                time.sleep(0.2)
            elapsed = time.monotonic() - began
            process.send_signal(signal.SIGTERM)
            exit_code = process.wait(timeout=30)
            time.sleep(0.5)  # the dump catches up
            stats = server.stats()
            seen = json.loads(dump.read_text())
        integrity, foreign, states = checks(database, alert_id)
        logs = [path.read_text(errors="replace") for path in sorted(workdir.glob("bot-*.log"))]

    accepted = Counter(stats.per_chat.get(chat, 0) for chat in chat_ids)
    lost = accepted[0]
    sends_by_chat: dict[int, list[float]] = {}
    for chat, at in seen["sends"]:
        sends_by_chat.setdefault(int(chat), []).append(at)
    faults = Counter(kind for kind, _, _ in seen["faults"])
    delivered_then_lost = {int(chat) for kind, chat, _ in seen["faults"] if kind == "delivered"}
    per_kill = [0] * kills
    by_timeout = 0
    duplicated = [chat for chat in chat_ids if stats.per_chat.get(chat, 0) > 1]
    for chat in duplicated:
        if chat in delivered_then_lost:
            by_timeout += 1
            continue
        first = min(sends_by_chat[chat])
        # The kill that cut the first send off before its outcome was committed.
        index = next((i for i, at in enumerate(kill_times) if at >= first), kills - 1)
        per_kill[index] += 1
    by_kill = len(duplicated) - by_timeout
    tracebacks = sum(log.count("Traceback") for log in logs)

    figures = [
        Figure("lost deliveries", lost, "", "== 0", f"of {subscribers} subscribers"),
        Figure(
            "duplicates (chats with >1 accepted send)",
            len(duplicated),
            "",
            note=f"{by_kill} after a kill, {by_timeout} after a delivered-then-lost timeout",
        ),
        Figure(
            "duplicates per kill",
            by_kill / kills if kills else 0,
            "",
            note="per kill: " + ", ".join(map(str, per_kill)),
        ),
        Figure("most accepted sends to one chat", max(accepted), ""),
        Figure("integrity_check ok", float(integrity == "ok"), "", "== 1", integrity),
        Figure("foreign_key_check rows", foreign, "", "== 0"),
        Figure("deliveries pending at the end", states.get("pending", 0), "", "== 0"),
        Figure("deliveries failed (gave up)", states.get("failed", 0), "", "== 0"),
        Figure("deliveries sent", states.get("sent", 0), "", f"== {subscribers}"),
        Figure("tracebacks in the bot's logs", tracebacks, "", "== 0"),
        Figure("clean exit after SIGTERM", float(exit_code == 0), "", "== 1"),
        Figure("time to all deliveries final", elapsed, "s", note=f"{kills} kills and restarts"),
        Figure(
            "faults injected",
            sum(faults.values()),
            "",
            note=(
                f"{faults['error']} 5xx, {faults['lost']} timeouts lost before delivery, "
                f"{faults['delivered']} delivered then lost, {faults['burst']} 429 in bursts"
            ),
        ),
    ]
    return report(
        "faults",
        f"Faults: one alert to {subscribers:,} subscribers, 10% 5xx, 5% timeouts, 429 bursts,"
        f" {kills} SIGKILLs",
        figures,
        subscribers=subscribers,
        kills=kills,
        seed=seed,
        kill_after_accepted_sends=kill_at,
        duplicates_per_kill=per_kill,
        duplicates_after_timeouts=by_timeout,
        deliveries=states,
        faults=dict(faults),
        plan=plan.__dict__,
        server_status_counts=stats.status_counts,
        accepted_sends=stats.sends,
        enqueued="directly in the database before the first start",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="300 subscribers, 2 kills")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    subscribers, kills = (300, 2) if args.smoke else (2000, 5)
    return 0 if run(subscribers, kills, args.seed) else 1


if __name__ == "__main__":
    sys.exit(main())
