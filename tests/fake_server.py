"""Fixtures for tests of the fake Bot API itself: the server, and a plain PTB ``Bot`` on it.

Import them into a test module (``from tests.fake_server import bot, server``); end-to-end
tests of Dabyl use ``conftest.py``'s ``telegram`` and ``bot`` (the whole application) instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from fakebotapi import FakeBotAPI
from tests.bot_api_schema import bot_api_schema

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeBotAPI]:
    """A running fake server; the test fails if the bot misused the Bot API."""
    # Opt in to PTB's future RetryAfter.retry_after type (avoids a deprecation warning).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake = FakeBotAPI(bot_username="dabyl_test_bot", schema=bot_api_schema())
    await fake.start()
    yield fake
    await fake.stop()
    fake.assert_clean()


@pytest.fixture
async def bot(server: FakeBotAPI) -> AsyncIterator[Bot]:
    """A real PTB ``Bot`` talking to the fake server."""
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as client:
        yield client
