"""How fast the broadcaster delivers one alert to many recipients, against the fake Bot API.

Run from the repository root::

    python benchmarks/broadcast.py                 # 1000 recipients at 30/s, then paid
    python benchmarks/broadcast.py --recipients 5000 --latency 0.05

The fake server runs in a process of its own (so it does not share the bot's CPU) and answers
like Telegram, with its flood limits switched off. The unpaid run should come out at the
configured rate; the paid run (``PAID_BROADCAST=true`` and a paid alert, up to 1000/s) shows how
fast this machine can go. Send latency is measured in the bot, request to answer.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Bot  # noqa: E402
from telegram.request import RequestData  # noqa: E402

from bot.broadcaster import Broadcaster, sending_capacity  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.roles import Role  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.transport import AiohttpRequest  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.outbox import NewAlert, OutboxRepository  # noqa: E402
from storage.users import UserRepository  # noqa: E402
from tests.fakebotapi import FakeBotAPI  # noqa: E402

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
FIRST_ID = 100_000


def serve(conn: Connection, recipients: int, latency: float) -> None:
    """Child process: run the fake server; answer "times" with the accepted send times."""

    async def main() -> None:
        server = FakeBotAPI(latency=latency)
        await server.start()
        for i in range(recipients):
            server.user(FIRST_ID + i, f"Subscriber {i}")
        conn.send(server.base_url)
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "times":
                conn.send((list(server.stats.send_times), list(server.schema_errors)))
                server.stats.send_times.clear()
            else:
                break
        await server.stop()

    asyncio.run(main())


class TimedRequest(AiohttpRequest):
    """The broadcaster's transport, timing every send."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.latencies: list[float] = []

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **kw: Any
    ) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            return await super().do_request(url, method, request_data, **kw)
        finally:
            if "/send" in url:
                self.latencies.append(time.perf_counter() - began)


async def run_once(
    base_url: str, recipients: int, *, paid: bool, rate: float, folder: Path
) -> dict[str, float]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        telegram_api_url=base_url,
        database_path=folder / f"{'paid' if paid else 'free'}.sqlite3",
        broadcast_rate=rate,
        paid_broadcast=paid,
    )
    db = await Database.open(settings.database_path)
    await db.migrate()
    outbox = OutboxRepository(db)
    users = UserRepository(db)
    request = TimedRequest(connection_pool_size=sending_capacity(settings))
    bot = Bot(TOKEN, base_url=base_url, request=request)
    clock = SystemClock()
    broadcaster = Broadcaster(outbox, users, bot, settings, clock)
    await broadcaster.start()
    # Readers in the three languages, so each send picks its reader's text as in real use.
    languages = ("kk", "ru", "en")
    for i in range(recipients):
        await users.create(
            FIRST_ID + i,
            username=None,
            first_name="Reader",
            role=Role.SUBSCRIBER,
            language=languages[i % 3],
            now=datetime.now(UTC),
        )
    texts = {language: f"🚨 <b>Benchmark</b> alert ({language})" for language in languages}
    alert = NewAlert(kind="report", text=texts, priority=0, paid=paid)
    began = time.perf_counter()
    await outbox.enqueue(alert, [FIRST_ID + i for i in range(recipients)], datetime.now(UTC))
    broadcaster.wake()
    await broadcaster.drain(timeout=600)
    wall = time.perf_counter() - began
    await broadcaster.stop()
    await db.close()
    latencies = sorted(request.latencies)
    return {
        "wall": wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "sends": len(latencies),
    }


def report(label: str, result: dict[str, float], times: list[float]) -> None:
    span = max(times) - min(times) if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else float("nan")
    print(
        f"{label:<28} {len(times):>5} msgs  {rate:7.1f} msg/s (first to last send)"
        f"  {result['wall']:6.2f} s wall  latency p50 {result['p50']:.1f} ms"
        f"  p95 {result['p95']:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=30.0, help="BROADCAST_RATE (<= 30)")
    parser.add_argument("--latency", type=float, default=0.0, help="fake server delay, s")
    parser.add_argument("--skip-free", action="store_true", help="only the paid run")
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(
        target=serve, args=(child, args.recipients, args.latency), daemon=True
    )
    server.start()
    base_url = parent.recv()
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        runs = [(False, f"BROADCAST_RATE={args.rate:g}")] if not args.skip_free else []
        runs.append((True, "paid (PAID_BROADCAST=true)"))
        for paid, label in runs:
            result = asyncio.run(
                run_once(base_url, args.recipients, paid=paid, rate=args.rate, folder=Path(folder))
            )
            parent.send("times")
            times, problems = parent.recv()
            errors += problems
            report(label, result, times)
    parent.send("stop")
    server.join(timeout=5)
    if errors:
        print("Bot API misuse:", *errors[:5], sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
