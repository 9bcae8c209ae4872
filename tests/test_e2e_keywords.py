"""End to end: the keywords after commands may be typed in Kazakh, Russian or English."""

from __future__ import annotations

import re

from bot.app import DabylApplication
from bot.guide import guide_path, render_guide
from bot.i18n import translator
from bot.roles import Role
from fakebotapi import FakeBotAPI
from fakebotapi.people import FakeUser
from tests.conftest import ADMIN_ID
from tests.scenario import message_containing, services_of

INVITE_CODE = re.compile(r"\?start=([A-Za-z0-9_-]{16,64})")


async def speaking(
    telegram: FakeBotAPI,
    bot: DabylApplication,
    user_id: int,
    name: str,
    language: str,
    role: Role = Role.SUBSCRIBER,
) -> FakeUser:
    """Someone whose Telegram app is in ``language`` joins with ``role``."""
    person = telegram.user(user_id, name, language_code=language)
    await person.send("/start")
    await person.expect_reply()
    if role != Role.SUBSCRIBER:
        await services_of(bot).users.set_role(user_id, role)
    return person


async def test_a_russian_coordinator_turns_the_digest_off_with_vykl(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    ruslan = await speaking(telegram, bot, 6301, "Ruslan", "ru", Role.COORDINATOR)
    users = services_of(bot).users
    await ruslan.send("/digest вкл")
    reply = await ruslan.expect_reply()
    assert reply.text == translator("ru")(
        "You will get the daily digest of hearings, releases and who is in custody."
    )
    user = await users.get(ruslan.id)
    assert user is not None and user.digest

    await ruslan.send("/digest выкл")
    reply = await ruslan.expect_reply()
    assert reply.text == translator("ru")("The daily digest is off.")
    user = await users.get(ruslan.id)
    assert user is not None and not user.digest


async def test_a_kazakh_subscriber_chooses_followed_alerts_in_kazakh_and_back_in_latin(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    dana = await speaking(telegram, bot, 6302, "Dana", "kk")
    users = services_of(bot).users
    await dana.send("/alerts бақыланатын")
    reply = await dana.expect_reply()
    _ = translator("kk")
    assert reply.text == _(
        "You will receive alerts only about people you follow, and announcements."
    )
    user = await users.get(dana.id)
    assert user is not None and user.alert_mode == "followed"

    await dana.send("/alerts barlygy")  # a phone without a Kazakh keyboard
    assert (await dana.expect_reply()).text == _("You will receive every alert.")
    user = await users.get(dana.id)
    assert user is not None and user.alert_mode == "all"


async def test_invite_uchastnik_makes_a_member_invite(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    ruslan = await speaking(telegram, bot, 6303, "Ruslan", "ru", Role.COORDINATOR)
    await ruslan.send("/invite участник")
    invite = await ruslan.expect_reply()
    assert "?start=" in invite.text
    code = invite.text.split("?start=")[1].split()[0]

    aidos = telegram.user(6304, "Aidos", language_code="kk")
    await aidos.send(f"/start {code}")
    await aidos.expect_reply()
    user = await services_of(bot).users.get(aidos.id)
    assert user is not None and user.role == Role.MEMBER


async def test_guide_drug_sends_the_friend_guide(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    ruslan = await speaking(telegram, bot, 6305, "Ruslan", "ru")
    await ruslan.send("/guide друг")
    expected = render_guide(guide_path("friend_detained", "ru").read_text(encoding="utf-8"))
    sent = await ruslan.expect_replies(len(expected))
    assert [m.params["text"] for m in sent] == expected


async def test_set_reads_a_field_and_a_visibility_typed_in_russian_or_kazakh(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    ruslan = await speaking(telegram, bot, 6306, "Ruslan", "ru", Role.COORDINATOR)
    await ruslan.send("/detained Saule Bekova; Abay square")
    _ = translator("ru")
    await ruslan.send("/set Saule Bekova; город; Алматы")
    saved = _("Saved: {field} of {name}.", field="город", name="Saule Bekova")
    await message_containing(ruslan, saved)
    await ruslan.send("/set Saule Bekova; денсаулық; жария")
    saved = _("Health details of {name}: {who}.", name="Saule Bekova", who=_("public"))
    await message_containing(ruslan, saved)
    people = await services_of(bot).casefiles.find("Saule Bekova", Role.ADMIN)
    assert people.person is not None
    assert people.person.city == "Алматы" and people.person.health_public
    # Back to private in words from the card itself; an unclear word changes nothing and
    # shows both choices, the private one first.
    await ruslan.send("/set Saule Bekova; здоровье; только участникам сети")
    saved = _("Health details of {name}: {who}.", name="Saule Bekova", who=_("members only"))
    await message_containing(ruslan, saved)
    await ruslan.send("/set Saule Bekova; денсаулық; ашық")
    refused = await message_containing(ruslan, "/set Saule Bekova; здоровье; скрыто")
    assert refused.text.index("скрыто") < refused.text.index("открыто")
    people = await services_of(bot).casefiles.find("Saule Bekova", Role.ADMIN)
    assert people.person is not None and not people.person.health_public


async def test_an_unknown_keyword_gets_the_usage_line_in_the_readers_language(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    ruslan = await speaking(telegram, bot, 6307, "Ruslan", "ru", Role.COORDINATOR)
    _ = translator("ru")
    for command, usage in [
        ("/digest может быть", "Format: /digest on or /digest off\nExample: /digest on"),
        ("/alerts некоторые", "Format: /alerts all or /alerts followed\nExample: /alerts followed"),
        (
            "/invite администратор",
            "Format: /invite member or /invite coordinator\nExample: /invite member",
        ),
    ]:
        await ruslan.send(command)
        assert (await ruslan.expect_reply()).text == _(usage)
    assert _("Format: /digest on or /digest off\nExample: /digest on").endswith("/digest вкл")
    user = await services_of(bot).users.get(ruslan.id)
    assert user is not None and user.alert_mode == "all" and not user.digest
    assert telegram.schema_errors == []


async def test_risky_keywords_in_russian_and_kazakh_do_only_what_they_say(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    """Reporters stay admin-only whatever the language, a negation exports nothing extra, a
    coordinator invite is one, and /panic never takes a bare yes (review of the keywords)."""
    services = services_of(bot)
    ruslan = await speaking(telegram, bot, 6308, "Ruslan", "ru", Role.COORDINATOR)
    aruzhan = await speaking(telegram, bot, ADMIN_ID, "Aruzhan", "kk")
    _ru, _kk = translator("ru"), translator("kk")
    await ruslan.send("/detained Saule Bekova; Abay square")
    await message_containing(ruslan, "#1")

    await ruslan.send("/export с авторами")
    await message_containing(ruslan, _ru("Only admins may export who reported what."))
    actions = [entry.action for entry in await services.audit.recent()]
    assert "denied:/export reporters" in actions
    await ruslan.send("/export без авторов")
    usage = await ruslan.expect_reply()
    assert "/export" in (usage.text or "") and usage.file is None

    await aruzhan.send("/invite үйлестіруші")
    invite = await message_containing(aruzhan, "start=")
    code = INVITE_CODE.search(invite.text or "")
    assert code is not None
    newcomer = telegram.user(6309, "Bolat", language_code="kk")
    await newcomer.send(f"/start {code.group(1)}")
    await newcomer.expect_reply()
    joined = await services.users.get(newcomer.id)
    assert joined is not None and joined.role is Role.COORDINATOR

    for bare_yes in ("да", "иә", "yes"):
        await aruzhan.send("/panic")
        await aruzhan.expect_reply()
        await aruzhan.send(f"/panic {bare_yes}")
        reply = await aruzhan.expect_reply()
        assert "/panic" in (reply.text or "")
    assert await services.users.get(ruslan.id) is not None  # nothing was wiped
