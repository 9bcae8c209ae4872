"""Shared fixtures: settings, a clock that moves when told, a migrated database, services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.accounts import Sender
from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from fakebotapi import FakeBotAPI
from storage.database import Database
from storage.users import User
from tests.bot_api_schema import bot_api_schema
from tests.harness import running_bot

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
ADMIN_ID = 5001  # "Aigerim Nurlanovna", admin from ADMIN_IDS in every scenario


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test: no .env file is read, the database lives in ``tmp_path``."""
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "database_path": tmp_path / "dabyl.sqlite3",
        "admin_ids": str(ADMIN_ID),
        "digest_time": "",  # scenarios that want the digest ask for it
        # The frozen clock stands still, so a long scenario is "one minute" of typing; the flood
        # limit has its own tests (tests/test_flood.py).
        "commands_per_minute": 200,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def services(settings: Settings, clock: FrozenClock) -> AsyncIterator[Services]:
    db = await Database.open(settings.database_path)
    await db.migrate()
    yield Services.build(settings, clock, db)
    await db.close()


def sender(telegram_id: int, first_name: str, username: str | None = None) -> Sender:
    return Sender(telegram_id=telegram_id, username=username, first_name=first_name)


async def person(services: Services, telegram_id: int, name: str, role: Role) -> User:
    """Register someone directly with ``role`` (for service tests that skip the invite flow)."""
    user = await services.accounts.create(sender(telegram_id, name, name.split()[0].lower()), role)
    return user


@pytest.fixture
async def telegram() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API; the test fails if the bot sent anything the schema does not allow."""
    server = FakeBotAPI(bot_username="dabyl_test_bot", schema=bot_api_schema())
    await server.start()
    yield server
    await server.stop()
    assert server.schema_errors == []


@pytest.fixture
def network() -> dict[str, Any]:
    """Settings a test module or test changes (by overriding or parametrizing this fixture)."""
    return {}


@pytest.fixture
def bot_settings(tmp_path: Path, telegram: FakeBotAPI, network: dict[str, Any]) -> Settings:
    return make_settings(tmp_path, telegram_api_url=telegram.base_url, **network)


@pytest.fixture
async def bot(bot_settings: Settings, clock: FrozenClock) -> AsyncIterator[DabylApplication]:
    """The real application, long-polling the fake Bot API."""
    async with running_bot(bot_settings, clock) as application:
        yield application
