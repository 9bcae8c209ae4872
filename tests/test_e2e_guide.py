"""End to end: every guide file goes through Telegram as valid HTML, in every language."""

from __future__ import annotations

import pytest

from bot.app import DabylApplication
from bot.guide import GUIDES, guide_path, render_guide
from fakebotapi import FakeBotAPI
from tests.scenario import join, message_containing, services_of


@pytest.mark.parametrize(
    ("language", "question"),
    [("en", "Which guide?"), ("ru", "Какая памятка вам нужна?"), ("kk", "Қай жадынама керек?")],
    ids=["en", "ru", "kk"],
)
async def test_every_guide_is_sent_in_the_readers_language(
    telegram: FakeBotAPI, bot: DabylApplication, language: str, question: str
) -> None:
    asel = await join(telegram, bot, 6003, "Asel Nurpeis")
    async with services_of(bot).db.transaction() as conn:
        await conn.execute("UPDATE users SET language = ? WHERE telegram_id = 6003", (language,))
    await asel.send("/guide")
    menu = await message_containing(asel, question)
    for index, name in enumerate(GUIDES):
        expected = render_guide(guide_path(name, language).read_text(encoding="utf-8"))
        assert guide_path(name, language).parent.name == language
        if index == 0:
            await asel.press(menu, f"guide:{name}")
        else:
            await asel.send("/guide friend")
        sent = await asel.expect_replies(len(expected))
        assert [m.params["text"] for m in sent] == expected
        assert all(m.params["parse_mode"] == "HTML" for m in sent)
    assert telegram.schema_errors == []


async def test_a_stranger_may_read_the_guide(telegram: FakeBotAPI, bot: DabylApplication) -> None:
    stranger = telegram.user(6099, "Bolat")
    await stranger.send("/guide detained")
    first = await stranger.expect_reply()
    assert first.text
    assert "not available" not in first.text
