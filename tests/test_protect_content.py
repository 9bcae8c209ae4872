"""Coordinator-only messages go with protect_content; alerts to subscribers do not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot import jobs
from bot.app import DabylApplication
from bot.clock import FrozenClock
from bot.release_check import TelegramReleaseAsker
from bot.roles import Role
from fakebotapi import FakeBotAPI, FakeUser
from fakebotapi.state import SentMessage
from tests.conftest import ADMIN_ID
from tests.scenario import join, message_containing, services_of


@pytest.fixture
def network() -> dict[str, Any]:
    return {"verify_escalate_after": "10m"}


def protected(message: SentMessage) -> bool:
    # JSON requests carry a boolean; multipart uploads (documents) carry its text.
    return str(message.params.get("protect_content", "")).lower() == "true"


async def replies(person: FakeUser, count: int) -> list[SentMessage]:
    return [await person.expect_reply() for _ in range(count)]


async def test_verification_requests_and_escalations_are_protected_alerts_are_not(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    marat = await join(telegram, bot, 6002, "Marat Ospanov", Role.MEMBER)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")

    await marat.send("/detained Saule Bekova; Abay square, Almaty; taken into a van")
    request = await message_containing(daniyar, "Please verify this report")
    assert protected(request)
    assert protected(await message_containing(aigerim, "Please verify this report"))

    clock.advance(timedelta(minutes=11))
    await jobs.escalate_reports(bot_context(bot))
    escalation = await message_containing(daniyar, "Still waiting for verification")
    assert protected(escalation)

    await daniyar.press(escalation, "✅ Confirm")
    await daniyar.expect_callback_answer()
    alert = await message_containing(asel, "Detained: Saule Bekova")
    assert not protected(alert)  # people may forward alerts on purpose
    assert not protected(await message_containing(marat, "Your report #1"))


async def test_members_audit_and_export_are_protected(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)

    await aigerim.send("/members")
    listing = await aigerim.expect_reply()
    assert "Members and coordinators" in (listing.text or "")
    assert protected(listing)

    await aigerim.send("/audit")
    trail = await aigerim.expect_reply()
    assert "Audit log" in (trail.text or "")
    assert protected(trail)

    await aigerim.send("/export")
    documents = await replies(aigerim, 2)
    assert [m.file is not None for m in documents] == [True, True]
    assert all(protected(m) for m in documents)

    await aigerim.send("/help")
    assert not protected(await aigerim.expect_reply())  # ordinary replies stay forwardable


def bot_context(bot: DabylApplication) -> Any:
    """The little a job callback reads from its context: the services."""

    class Context:
        services = services_of(bot)

    return Context()


async def test_the_coordinators_digest_and_release_question_are_protected(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    await asel.send("/digest on")
    await asel.expect_reply()
    services = services_of(bot)

    assert await services.agenda.send_digest()
    assert protected(await message_containing(daniyar, "Daily digest"))  # lists pending reports
    assert not protected(await message_containing(asel, "Daily digest"))

    await daniyar.send("/detained Saule Bekova; Abay square")
    await message_containing(daniyar, "Report #1")
    saule = await services.sentences.person("Saule Bekova")
    assert saule is not None
    asker = TelegramReleaseAsker(bot.bot, services.users, services.settings)
    await asker.ask_release(saule, [daniyar.id])
    assert protected(await message_containing(daniyar, "Was Saule Bekova released today?"))
