"""Helpers that keep end-to-end scenarios short and readable."""

from __future__ import annotations

import asyncio

from bot.app import DabylApplication
from bot.roles import Role
from bot.services import Services
from fakebotapi import FakeBotAPI, FakeUser
from fakebotapi.state import SentMessage


def services_of(application: DabylApplication) -> Services:
    return application.bot_data["services"]


async def join(
    telegram: FakeBotAPI,
    application: DabylApplication,
    user_id: int,
    name: str,
    role: Role = Role.SUBSCRIBER,
) -> FakeUser:
    """Someone sends /start and is given ``role`` (the invite flow has its own tests)."""
    person = telegram.user(user_id, name.split()[0], username=name.split()[0].lower() + "_x")
    await person.send("/start")
    await person.expect_reply()
    if role != Role.SUBSCRIBER:
        await services_of(application).users.set_role(user_id, role)
    return person


async def message_containing(person: FakeUser, text: str, within: float = 10) -> SentMessage:
    """The next message to ``person`` that contains ``text`` (others on the way are skipped)."""
    async with asyncio.timeout(within):
        while True:
            message = await person.expect_reply(timeout=within)
            if text in (message.text or ""):
                return message
