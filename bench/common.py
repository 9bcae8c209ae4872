"""Shared pieces of the benchmark suite: the fake Bot API in its own process, figures, results.

Every benchmark runs the fake Telegram Bot API server from the test harness (fakebotapi/)
in a process of its own, so the server does not share the bot's CPU time, with a delay per
request (default 80 ms, about what Telegram is away from a server in Almaty) so the figures
reflect a real network. The bot runs in the benchmark's own process, unchanged.

A benchmark reports :class:`Figure` rows; :func:`report` prints them as a table next to their
targets and writes them to ``bench/results/<name>.json``.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fakebotapi import FakeBotAPI  # noqa: E402
from tests.bot_api_schema import bot_api_schema  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
FIRST_ID = 100_000  # subscribers are FIRST_ID, FIRST_ID + 1, ...
DEFAULT_LATENCY = 0.080


@dataclass(frozen=True)
class ServerOptions:
    """How the fake server behaves. Picklable: it crosses to the server's process."""

    latency: float = DEFAULT_LATENCY  # seconds added to every request
    users: int = 0  # private chats FIRST_ID .. FIRST_ID + users - 1 that know the bot
    first_id: int = FIRST_ID
    per_second: float | None = None  # Telegram's global cap on sends (429 above it)
    per_chat_per_second: float | None = None  # Telegram's 1 message/s per private chat
    retry_after: int = 1  # seconds in the 429 answers
    # Anything else a benchmark needs set up in the server process (faults, ...): the name of
    # a function in bench.faults-like modules is not picklable as a closure, so pass a
    # module-level function: setup(server) runs once in the server process after start.
    setup: Callable[[FakeBotAPI], None] | None = None


@dataclass
class ServerStats:
    """What the server saw, as numbers (event-loop seconds for times)."""

    requests: int = 0
    sends: int = 0
    rate_limited: int = 0
    status_counts: dict[int, int] = field(default_factory=dict)
    send_times: list[float] = field(default_factory=list)
    rejected_send_times: list[float] = field(default_factory=list)
    schema_errors: list[str] = field(default_factory=list)
    # How many messages each chat received (accepted sends), and the most any single chat got
    # in one sliding second.
    per_chat: dict[int, int] = field(default_factory=dict)
    max_per_chat_second: int = 0
    # Every accepted send as (chat id, time, the first 40 characters of its text; "" for a
    # message without text), in time order: which alert reached whom, and when.
    send_log: list[tuple[int, float, str]] = field(default_factory=list)


def _serve(conn: Connection, options: ServerOptions) -> None:
    """The server's process: serve until told to stop; answer ``stats`` and ``reset``."""

    async def main() -> None:
        server = FakeBotAPI(latency=options.latency, schema=bot_api_schema())
        await server.start()
        for i in range(options.users):
            server.user(options.first_id + i, f"Subscriber {i}")
        if options.per_second is not None or options.per_chat_per_second is not None:
            server.rate_limit(
                options.per_second, options.per_chat_per_second, retry_after=options.retry_after
            )
        if options.setup is not None:
            options.setup(server)
        conn.send(server.base_url)
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if isinstance(command, tuple) and command[0] == "send":
                # A person writes to the bot: the update is queued for the bot's getUpdates.
                _, user_id, first_name, text = command
                await server.user(user_id, first_name).send(text)
                conn.send(loop.time())  # when the update became available, server clock
            elif command == "clock":
                conn.send(loop.time())
            elif command == "stats":
                conn.send(_stats(server))
            elif command == "reset":
                server.stats.send_times.clear()
                server.stats.rejected_send_times.clear()
                server.stats.chat_sends.clear()
                server.stats.status_counts.clear()
                server.stats.requests = server.stats.sends = server.stats.rate_limited = 0
                server.requests.clear()
                conn.send(True)
            else:
                break
        await server.stop()

    asyncio.run(main())


def _stats(server: FakeBotAPI) -> ServerStats:
    per_chat: dict[int, list[float]] = {}
    for chat, at in server.stats.chat_sends:
        per_chat.setdefault(int(chat), []).append(at)
    busiest = max((_max_in_second(times) for times in per_chat.values()), default=0)
    return ServerStats(
        requests=server.stats.requests,
        sends=server.stats.sends,
        rate_limited=server.stats.rate_limited,
        status_counts=dict(server.stats.status_counts),
        send_times=list(server.stats.send_times),
        rejected_send_times=list(server.stats.rejected_send_times),
        schema_errors=list(server.schema_errors),
        per_chat={chat: len(times) for chat, times in per_chat.items()},
        max_per_chat_second=busiest,
        send_log=_send_log(server, per_chat),
    )


def _send_log(server: FakeBotAPI, per_chat: dict[int, list[float]]) -> list[tuple[int, float, str]]:
    """Pair each chat's accepted send times with the messages it holds, in order.

    The server admits a send and then stores its message, one chat's sends in order, so the
    n-th accepted send to a chat is its n-th message from the bot.
    """
    log: list[tuple[int, float, str]] = []
    for chat, times in per_chat.items():
        record = server.state.chats.get(chat)
        messages = record.bot_messages if record is not None else []
        for at, message in zip(times, messages, strict=False):
            log.append((chat, at, (message.text or "")[:40]))
    log.sort(key=lambda entry: entry[1])
    return log


def _max_in_second(times: list[float]) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


class ServerProcess:
    """The fake Bot API in a child process: ``with ServerProcess(options) as server: ...``."""

    def __init__(self, options: ServerOptions | None = None) -> None:
        self.options = options or ServerOptions()
        self._conn: Connection | None = None
        self._process: multiprocessing.Process | None = None
        self.base_url = ""

    def __enter__(self) -> ServerProcess:
        parent, child = multiprocessing.Pipe()
        self._process = multiprocessing.Process(
            target=_serve, args=(child, self.options), daemon=True
        )
        self._process.start()
        self._conn = parent
        self.base_url = parent.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.send("stop")
        if self._process is not None:
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.kill()

    def stats(self) -> ServerStats:
        assert self._conn is not None
        self._conn.send("stats")
        stats: ServerStats = self._conn.recv()
        return stats

    def send(self, user_id: int, first_name: str, text: str) -> float:
        """Make ``user_id`` send ``text`` to the bot; returns when the update became available,
        on the server's clock (``time.monotonic`` in the server process; the same clock as
        ``ServerStats.send_times``)."""
        assert self._conn is not None
        self._conn.send(("send", user_id, first_name, text))
        at: float = self._conn.recv()
        return at

    def reset(self) -> None:
        assert self._conn is not None
        self._conn.send("reset")
        self._conn.recv()


# -- figures ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One measured number, its unit, and the target it must meet (if any)."""

    name: str
    value: float
    unit: str = ""
    target: str = ""  # e.g. ">= 900", "<= 250", "== 0"; empty: reported only
    note: str = ""

    @property
    def met(self) -> bool | None:
        if not self.target:
            return None
        operator, _, bound = self.target.partition(" ")
        limit = float(bound)
        checks: dict[str, Callable[[float, float], bool]] = {
            ">=": lambda a, b: a >= b,
            "<=": lambda a, b: a <= b,
            "==": lambda a, b: a == b,
            "<": lambda a, b: a < b,
            ">": lambda a, b: a > b,
        }
        return checks[operator](self.value, limit)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _value(figure: Figure) -> str:
    value = figure.value
    text = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"
    return f"{text} {figure.unit}".strip()


def report(name: str, title: str, figures: Iterable[Figure], **details: Any) -> bool:
    """Print ``figures`` as a table under ``title``; write ``bench/results/<name>.json``.

    Returns:
        True if every figure with a target met it.
    """
    rows = list(figures)
    print(f"\n== {title}")
    width = max((len(f.name) for f in rows), default=10)
    for figure in rows:
        met = figure.met
        mark = "" if met is None else ("ok" if met else "MISSED")
        target = f"target {figure.target}" if figure.target else ""
        note = f"  ({figure.note})" if figure.note else ""
        print(f"  {figure.name:<{width}}  {_value(figure):>16}  {target:<16} {mark}{note}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "title": title,
        "machine": machine(),
        "figures": [{**asdict(f), "met": f.met} for f in rows],
        "details": details,
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return all(f.met is not False for f in rows)


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` (0..1) percentile by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]
