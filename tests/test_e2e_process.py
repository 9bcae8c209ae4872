"""End to end as deployed: ``python -m bot`` in its own process, stopped by a signal."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID, TOKEN

ROOT = Path(__file__).resolve().parents[1]
SECRET_WORDS = "Aigerim was taken near the akimat"


async def start_bot(
    tmp_path: Path, telegram: FakeBotAPI, log_level: str
) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.base_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "LOG_LEVEL": log_level,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def stop_bot(process: asyncio.subprocess.Process, sig: signal.Signals) -> tuple[float, str]:
    """Send ``sig``; return how long the bot took to exit, and everything it logged."""
    began = time.monotonic()
    process.send_signal(sig)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    return time.monotonic() - began, stderr.decode()


@pytest.mark.parametrize(("log_level", "sig"), [("INFO", signal.SIGTERM), ("DEBUG", signal.SIGINT)])
async def test_bot_runs_as_a_process_and_stops_cleanly(
    tmp_path: Path, telegram: FakeBotAPI, log_level: str, sig: signal.Signals
) -> None:
    aigerim = telegram.user(ADMIN_ID, "Aigerim", username="aigerim_n")
    process = await start_bot(tmp_path, telegram, log_level)
    try:
        await aigerim.send("/start")
        assert "You are: admin." in (await aigerim.expect_reply(timeout=30)).text
        await aigerim.send(SECRET_WORDS)
        await aigerim.expect_reply()
    finally:
        if process.returncode is None:
            elapsed, log = await stop_bot(process, sig)
    assert process.returncode == 0, log
    assert elapsed < 5, f"took {elapsed:.1f}s to stop"
    assert "Traceback" not in log
    assert "Dabyl is ready as @dabyl_test_bot" in log
    # The start-up line says which mode runs (practice mode says PRACTICE: test_practice.py).
    host = telegram.url.removeprefix("http://")
    assert f"Dabyl starting: the real bot on {host} (long polling), database data/dabyl" in log
    assert "PRACTICE" not in log
    assert "Dabyl stopped" in log
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log
    if log_level == "INFO":
        assert SECRET_WORDS not in log
    assert (tmp_path / "data" / "dabyl.sqlite3").exists()
    assert ("default", "") in telegram.commands
