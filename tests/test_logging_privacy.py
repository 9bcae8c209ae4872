"""At INFO the log holds ids only: no token, no names, no usernames, no message texts."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.app import DabylApplication
from bot.roles import Role
from fakebotapi import FakeBotAPI
from tests.conftest import ADMIN_ID, TOKEN
from tests.scenario import join, message_containing

SECRETS = (
    TOKEN,
    TOKEN.split(":")[1],
    "Aigerim",
    "Nurlanovna",
    "Daniyar",
    "Marat",
    "marat_x",
    "Asel",
    "Saule",
    "Bekova",
    "Abay square",
    "taken into a van",
    "the photo is old",
)


async def test_a_whole_story_logs_no_names_and_no_texts_at_info(
    telegram: FakeBotAPI, bot: DabylApplication, caplog: pytest.LogCaptureFixture
) -> None:
    # As bot.logs.configure_logging does in production: httpx logs URLs, which hold the token.
    for noisy in ("httpx", "httpcore"):
        caplog.set_level(logging.WARNING, logger=noisy)
    caplog.set_level(logging.INFO)  # last: each call also sets the capturing handler's level

    await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await marat.send("/detained Saule Bekova; Abay square; taken into a van")
    request = await message_containing(daniyar, "Please verify this report")
    await daniyar.press(request, "✅ Confirm")
    await message_containing(asel, "Detained: Saule Bekova")
    await message_containing(daniyar, "Alert #")  # the summary: the sender has logged by now
    await marat.send("/health Saule Bekova; the photo is old")
    await message_containing(marat, "Report #2")
    await daniyar.send("/reject 2; the photo is old")
    await message_containing(daniyar, "rejected")
    await asel.send("/follow Saule Bekova")
    await asel.expect_reply()
    await asel.send("/forget")
    question = await asel.expect_reply()
    await asel.press(question, "🗑 Delete")
    await asel.expect_edit(question)

    for _ in range(100):  # the sender logs an alert's outcome just after its summary
        if any("Alert 1 done" in record.getMessage() for record in caplog.records):
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail("the alert's outcome was never logged: is the capture working?")
    lines = [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO]
    leaks = [(secret, line) for line in lines for secret in SECRETS if secret in line]
    assert leaks == []
