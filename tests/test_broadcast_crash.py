"""Durability as deployed: ``python -m bot`` killed in the middle of an alert, then restarted."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.broadcaster import MAX_CAPACITY
from fakebotapi import FakeBotAPI, FakeUser
from storage.database import Database
from storage.outbox import NewAlert, OutboxRepository
from tests.conftest import ADMIN_ID, TOKEN

ROOT = Path(__file__).resolve().parents[1]
TEXT = "🚨 <b>Detained</b>: Aigerim, near the akimat"
RECIPIENTS = 500


async def start_bot(
    tmp_path: Path, telegram: FakeBotAPI, **settings: str
) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.base_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_PATH": str(tmp_path / "dabyl.sqlite3"),
        "BROADCAST_RATE": "30",
        **settings,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def enqueue(path: Path, chat_ids: list[int], *, paid: bool = False) -> int:
    """The alert, queued in the database before the bot first starts."""
    db = await Database.open(path)
    await db.migrate()
    alert = NewAlert(kind="report", text=TEXT, priority=0, paid=paid)
    alert_id = await OutboxRepository(db).enqueue(alert, chat_ids, datetime.now(UTC))
    await db.close()
    return alert_id


async def finish(
    telegram: FakeBotAPI, process: asyncio.subprocess.Process, everyone: list[FakeUser]
) -> int:
    """Wait until everyone has the alert, stop the bot with SIGTERM; return the duplicates."""
    stderr = b""
    try:
        got_all = await telegram.state.wait_for(
            lambda: all(person.record.bot_messages for person in everyone), 60
        )
        assert got_all, f"{sum(1 for p in everyone if not p.messages)} subscribers got nothing"
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    counts = Counter(len(person.messages) for person in everyone)
    assert set(counts) <= {1, 2}, counts
    return sum((n - 1) * people for n, people in counts.items())


async def completion(path: Path, alert_id: int) -> tuple[int, int, bool]:
    """(sent, pending, completed) of the alert, read from the database after the run."""
    db = await Database.open(path)
    summary = await OutboxRepository(db).summary(alert_id)
    alert = await OutboxRepository(db).get(alert_id)
    await db.close()
    return summary.sent, summary.pending, alert is not None and alert.completed_at is not None


async def test_a_killed_bot_resumes_the_alert_and_nobody_is_missed(
    tmp_path: Path, telegram: FakeBotAPI
) -> None:
    everyone = [telegram.user(30_000 + i, f"Subscriber {i}") for i in range(RECIPIENTS)]
    path = tmp_path / "dabyl.sqlite3"
    alert_id = await enqueue(path, [p.id for p in everyone])

    process = await start_bot(tmp_path, telegram)
    try:
        assert await telegram.state.wait_for(lambda: telegram.stats.sends >= 150, 30)
    finally:
        process.kill()  # SIGKILL: no shutdown code runs
        await process.wait()
    at_kill = telegram.stats.sends
    process = await start_bot(tmp_path, telegram)
    duplicates = await finish(telegram, process, everyone)

    print(f"\nkilled after {at_kill} of {RECIPIENTS} sends; duplicates after restart: {duplicates}")
    assert await completion(path, alert_id) == (RECIPIENTS, 0, True)


async def test_a_paid_broadcast_killed_between_answers_and_their_commit_loses_nobody(
    tmp_path: Path, telegram: FakeBotAPI
) -> None:
    # At the paid rate outcomes are committed in batches: a kill loses the batch being
    # collected, so those chats get the alert again after the restart. A duplicate, never a loss.
    recipients = 1500
    everyone = [telegram.user(40_000 + i, f"Subscriber {i}") for i in range(recipients)]
    path = tmp_path / "dabyl.sqlite3"
    alert_id = await enqueue(path, [p.id for p in everyone], paid=True)

    paid = {"PAID_BROADCAST": "true"}
    process = await start_bot(tmp_path, telegram, **paid)
    try:
        assert await telegram.state.wait_for(lambda: telegram.stats.sends >= 400, 30)
    finally:
        process.kill()
        await process.wait()
    await asyncio.sleep(0.2)  # requests already on the wire are answered to no one
    at_kill = telegram.stats.sends
    recorded, _pending, _done = await completion(path, alert_id)
    process = await start_bot(tmp_path, telegram, **paid)
    duplicates = await finish(telegram, process, everyone)

    print(f"\nkilled after {at_kill} paid sends, {recorded} recorded; duplicates: {duplicates}")
    assert recorded <= at_kill  # nothing is recorded as sent before Telegram has it
    # Only sends whose outcome was not committed yet go again: at most what was on its way.
    assert duplicates <= at_kill - recorded <= MAX_CAPACITY + 100
    sent, pending, _done = await completion(path, alert_id)
    assert (sent, pending) == (recipients, 0)
