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
from storage.database import Database
from storage.outbox import NewAlert, OutboxRepository
from tests.conftest import ADMIN_ID, TOKEN
from tests.fakebotapi import FakeBotAPI

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


async def test_a_killed_bot_resumes_the_alert_and_nobody_is_missed(
    tmp_path: Path, telegram: FakeBotAPI
) -> None:
    everyone = [telegram.user(30_000 + i, f"Subscriber {i}") for i in range(RECIPIENTS)]
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    await db.migrate()
    outbox = OutboxRepository(db)
    alert_id = await outbox.enqueue(
        NewAlert(kind="report", text=TEXT, priority=0), [p.id for p in everyone], datetime.now(UTC)
    )
    await db.close()

    process = await start_bot(tmp_path, telegram)
    try:
        assert await telegram.state.wait_for(lambda: telegram.stats.sends >= 150, 30)
        process.kill()  # SIGKILL: no shutdown code runs
        await process.wait()
        at_kill = telegram.stats.sends
        process = await start_bot(tmp_path, telegram)
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
    duplicates = sum((n - 1) * people for n, people in counts.items())
    print(f"\nkilled after {at_kill} of {RECIPIENTS} sends; duplicates after restart: {duplicates}")
    assert set(counts) <= {1, 2}, counts
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    summary = await OutboxRepository(db).summary(alert_id)
    alert = await OutboxRepository(db).get(alert_id)
    await db.close()
    assert (summary.sent, summary.pending) == (RECIPIENTS, 0)
    assert alert is not None and alert.completed_at is not None


async def test_a_paid_broadcast_killed_between_answers_and_their_commit_loses_nobody(
    tmp_path: Path, telegram: FakeBotAPI
) -> None:
    # At the paid rate outcomes are committed in batches: a kill loses the batch being
    # collected, so those chats get the alert again after the restart. A duplicate, never a loss.
    recipients = 1500
    everyone = [telegram.user(40_000 + i, f"Subscriber {i}") for i in range(recipients)]
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    await db.migrate()
    outbox = OutboxRepository(db)
    alert = NewAlert(kind="report", text=TEXT, priority=0, paid=True)
    alert_id = await outbox.enqueue(alert, [p.id for p in everyone], datetime.now(UTC))
    await db.close()

    paid = {"PAID_BROADCAST": "true"}
    process = await start_bot(tmp_path, telegram, **paid)
    try:
        assert await telegram.state.wait_for(lambda: telegram.stats.sends >= 400, 30)
        process.kill()
        await process.wait()
        await asyncio.sleep(0.2)  # requests already on the wire are answered to no one
        at_kill = telegram.stats.sends
        db = await Database.open(tmp_path / "dabyl.sqlite3")
        recorded = (await OutboxRepository(db).summary(alert_id)).sent
        await db.close()
        process = await start_bot(tmp_path, telegram, **paid)
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
    duplicates = sum((n - 1) * people for n, people in counts.items())
    print(f"\nkilled after {at_kill} paid sends, {recorded} recorded; duplicates: {duplicates}")
    assert recorded <= at_kill  # nothing is recorded as sent before Telegram has it
    assert set(counts) <= {1, 2}, counts
    # Only sends whose outcome was not committed yet go again: at most what was on its way.
    assert duplicates <= at_kill - recorded <= MAX_CAPACITY + 100
    db = await Database.open(tmp_path / "dabyl.sqlite3")
    summary = await OutboxRepository(db).summary(alert_id)
    await db.close()
    assert (summary.sent, summary.pending) == (recipients, 0)
