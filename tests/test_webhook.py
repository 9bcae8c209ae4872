"""Webhook mode on loopback: only requests carrying WEBHOOK_SECRET reach the bot."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import DabylApplication, build_application
from bot.clock import FrozenClock
from bot.settings import Settings
from bot.webhook import webhook_options
from fakebotapi import FakeBotAPI
from fakebotapi.people import FakeUser
from tests.conftest import TOKEN, make_settings

ROOT = Path(__file__).resolve().parents[1]
SECRET = "Zq3_vB8-kT1nW6yR0pLs4XcJ9hGd2MfA-webhook"
URL = "https://bot.example.org/dabyl/updates"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
FORGED = "wrong_secret_of_the_right_shape_0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def webhook_bot(settings: Settings, clock: FrozenClock) -> AsyncIterator[DabylApplication]:
    """Start the application with the webhook server ``run_webhook`` would start."""
    application = build_application(settings, clock)
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    await application.start()
    assert application.updater is not None
    # Returns once the server is listening.
    await application.updater.start_webhook(**webhook_options(settings))
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)


@pytest.fixture
def webhook_settings(tmp_path: Path, telegram: FakeBotAPI) -> Settings:
    return make_settings(
        tmp_path,
        telegram_api_url=telegram.base_url,
        webhook_url=URL,
        webhook_secret=SECRET,
        webhook_port=free_port(),
    )


def endpoint(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.webhook_port}/dabyl/updates"


async def typed(telegram: FakeBotAPI, user: FakeUser, text: str) -> dict[str, Any]:
    """``user`` types ``text``; the update Telegram would post to the webhook."""
    message = await user.send(text)
    return next(u for u in telegram.pending_updates if u["update_id"] == message.update_id)


async def post(
    http: aiohttp.ClientSession, url: str, update: dict[str, Any], secret: str | None
) -> int:
    headers = {HEADER: secret} if secret is not None else {}
    async with http.post(url, json=update, headers=headers) as response:
        return response.status


async def test_webhook_registers_the_url_and_the_secret_with_telegram(
    webhook_settings: Settings, telegram: FakeBotAPI, clock: FrozenClock
) -> None:
    async with webhook_bot(webhook_settings, clock):
        (call,) = telegram.calls("setWebhook")
    assert call["url"] == URL
    assert call["secret_token"] == SECRET
    assert set(call["allowed_updates"]) >= {"message", "callback_query"}
    assert telegram.calls("getUpdates") == []


async def test_update_with_the_secret_is_handled(
    webhook_settings: Settings, telegram: FakeBotAPI, clock: FrozenClock
) -> None:
    saule = telegram.user(7101, "Saule", username="saule_k")
    async with webhook_bot(webhook_settings, clock) as bot, aiohttp.ClientSession() as http:
        update = await typed(telegram, saule, "/start")
        assert await post(http, endpoint(webhook_settings), update, SECRET) == 200
        await saule.expect_reply()
        assert await bot.bot_data["services"].users.get(7101) is not None


@pytest.mark.parametrize(
    "secret",
    [None, "", FORGED, SECRET[:-1], SECRET + "x"],
    ids=["missing", "empty", "wrong", "prefix", "longer"],
)
async def test_update_without_the_right_secret_gets_403_and_changes_nothing(
    webhook_settings: Settings, telegram: FakeBotAPI, clock: FrozenClock, secret: str | None
) -> None:
    bolat = telegram.user(7102, "Bolat", username="bolat_t")
    saule = telegram.user(7101, "Saule", username="saule_k")
    async with webhook_bot(webhook_settings, clock) as bot, aiohttp.ClientSession() as http:
        forged = await typed(telegram, bolat, "/start")
        assert await post(http, endpoint(webhook_settings), forged, secret) == 403
        # Updates are handled one at a time, in order: once a later genuine update has been
        # answered, a forged one that got through would have been answered already.
        genuine = await typed(telegram, saule, "/start")
        assert await post(http, endpoint(webhook_settings), genuine, SECRET) == 200
        await saule.expect_reply()
        users = bot.bot_data["services"].users
        assert await users.get(7102) is None
        assert await users.get(7101) is not None
    assert bolat.messages == []


async def test_the_webhook_answers_only_on_its_path(
    webhook_settings: Settings, telegram: FakeBotAPI, clock: FrozenClock
) -> None:
    bolat = telegram.user(7102, "Bolat", username="bolat_t")
    async with webhook_bot(webhook_settings, clock), aiohttp.ClientSession() as http:
        update = await typed(telegram, bolat, "/start")
        wrong = f"http://127.0.0.1:{webhook_settings.webhook_port}/{TOKEN}"
        assert await post(http, wrong, update, SECRET) == 404


async def test_python_m_bot_serves_the_webhook_and_never_logs_the_secrets(
    tmp_path: Path, telegram: FakeBotAPI
) -> None:
    saule = telegram.user(7101, "Saule", username="saule_k")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.base_url,
        "WEBHOOK_URL": URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
        # DEBUG: PTB then logs every API call with its parameters, setWebhook's secret included.
        "LOG_LEVEL": "DEBUG",
        "DIGEST_TIME": "",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    lines: list[str] = []
    listening = asyncio.Event()

    async def read_log() -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            lines.append(raw.decode())
            if "Webhook server started" in lines[-1]:  # PTB, once the port is open
                listening.set()

    reader = asyncio.create_task(read_log())
    try:
        await asyncio.wait_for(listening.wait(), timeout=30)
        url = f"http://127.0.0.1:{port}/dabyl/updates"
        async with aiohttp.ClientSession() as http:
            forged = await typed(telegram, saule, "/help")
            assert await post(http, url, forged, FORGED) == 403
            update = await typed(telegram, saule, "/start")
            assert await post(http, url, update, SECRET) == 200
            await saule.expect_reply(timeout=30)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
        await reader
    log = "".join(lines)
    assert process.returncode == 0, log
    # (At DEBUG, PTB logs the refused request's 403 with a traceback; nothing is an error.)
    assert " ERROR " not in log, log
    assert "Dabyl stopped" in log
    assert len(saule.messages) == 1  # the forged /help was never handled
    assert telegram.calls("setWebhook")[0]["secret_token"] == SECRET
    for secret in (TOKEN, TOKEN.split(":")[1], SECRET):
        assert secret not in log
    (set_webhook,) = [line for line in lines if "endpoint `setWebhook` with parameters" in line]
    assert "'secret_token': '[redacted]'" in set_webhook
