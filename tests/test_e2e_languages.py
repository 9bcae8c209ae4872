"""End to end: each person reads the bot in Kazakh, Russian or English, and may type in any."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import DabylApplication
from bot.i18n import translator
from bot.roles import Role
from fakebotapi import FakeBotAPI
from fakebotapi.people import FakeUser
from tests.conftest import ADMIN_ID
from tests.scenario import join, message_containing, services_of

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


async def arrive(telegram: FakeBotAPI, user_id: int, name: str, app_language: str) -> FakeUser:
    """Someone whose Telegram app is in ``app_language`` opens the bot."""
    person = telegram.user(user_id, name, language_code=app_language)
    await person.send("/start")
    await person.expect_reply()
    return person


async def test_one_detention_alert_reaches_each_reader_in_their_own_language(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    coordinator = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    dana = await arrive(telegram, 6101, "Dana", "kk")
    ruslan = await arrive(telegram, 6102, "Ruslan", "ru-RU")
    emily = await arrive(telegram, 6103, "Emily", "en")
    # A language the bot does not speak falls back to DEFAULT_LANGUAGE (English here).
    jonas = await arrive(telegram, 6104, "Jonas", "de")

    await coordinator.send("/detained Saule Bekova; Abay square, Almaty")

    expected = {
        dana: ("kk", "2026\u202fж. 1 нау., 14:00"),  # CLDR: a narrow no-break space
        ruslan: ("ru", "1 мар. 2026\u202fг., 14:00"),
        emily: ("en", "1 Mar 2026, 14:00"),
        jonas: ("en", "1 Mar 2026, 14:00"),
    }
    texts = {}
    for person, (language, when) in expected.items():
        _ = translator(language)
        alert = await message_containing(person, f"{_('Detained')}: Saule Bekova")
        assert _("When: {time}", time=when) in alert.text
        assert _("Where: {place}", place="Abay square, Almaty") in alert.text
        assert "Saule Bekova" in alert.text  # names are never translated or transliterated
        texts[language] = alert.text
    assert len({texts["kk"], texts["ru"], texts["en"]}) == 3
    assert KAZAKH_LETTERS & set(texts["kk"])
    assert "Задержание: Saule Bekova" in texts["ru"]
    assert texts["en"].startswith("🚨 Detained: Saule Bekova")
    stored = await services_of(bot).outbox.get(1)
    assert stored is not None and set(stored.texts) == {"kk", "ru", "en"}  # once per language


async def test_lang_switches_every_later_reply_and_the_menu(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    # The default menu is registered in each language, for whoever has not chosen one.
    menus = {language: telegram.commands[("default", language)] for language in ("kk", "ru", "en")}
    help_line = {m["command"]: m["description"] for m in menus["ru"]}["help"]
    assert help_line == translator("ru")("What you can do here") != "What you can do here"
    assert len({str(menu) for menu in menus.values()}) == 3

    asel = await arrive(telegram, 6201, "Asel", "en")
    await asel.send("/lang")
    choice = await asel.expect_reply()
    assert [label for label, _data in choice.buttons] == ["Қазақша", "Русский", "English"]
    await asel.press(choice, "Русский")
    await asel.expect_callback_answer()
    await asel.expect_edit(choice)
    assert choice.text == translator("ru")("From now on I will write to you in English.")
    assert choice.text != "From now on I will write to you in English."

    await asel.send("/help")
    reply = await asel.expect_reply()
    assert translator("ru")("What you can do here") in reply.text
    chat_menu = telegram.commands[(f"chat:{asel.id}", "")]
    assert {m["command"]: m["description"] for m in chat_menu}["help"] == help_line

    await asel.send("/lang қазақша")  # the language may be named in any of the three
    switched = await asel.expect_reply()
    assert switched.text == translator("kk")("From now on I will write to you in English.")
    await asel.send("/lang klingon")
    refused = await asel.expect_reply()
    assert "/lang ru" in refused.text  # the right format, with an example
    assert KAZAKH_LETTERS & set(refused.text)  # still in the language chosen before
    user = await services_of(bot).users.get(asel.id)
    assert user is not None and user.language == "kk"


async def test_terms_and_dates_typed_in_kazakh_or_russian_mean_the_same(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await daniyar.send("/detained Saule Bekova; Abay square")
    await daniyar.send("/detained Yerlan Abenov; Abay square")
    await daniyar.send("/sentence Saule Bekova; 15 суток")
    await message_containing(daniyar, "Sentence recorded for Saule Bekova")
    await daniyar.send("/sentence Yerlan Abenov; 15 тәулік")
    reply = await message_containing(daniyar, "Sentence recorded for Yerlan Abenov")
    assert "15 days from 1 Mar 2026. Expected release: 16 Mar 2026." in reply.text
    services = services_of(bot)
    saule = await services.sentences.person("Saule Bekova")
    yerlan = await services.sentences.person("Yerlan Abenov")
    assert saule is not None and yerlan is not None
    assert saule.release_at == yerlan.release_at == datetime(2026, 3, 16, 4, 0, tzinfo=UTC)

    await daniyar.send("/hearing Saule Bekova; ертең 10:00; Medeu district court")
    await message_containing(daniyar, "Hearing #1")
    hearing = await services.hearings.get(1)
    assert hearing is not None
    tomorrow_ten_almaty = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 10:00 in UTC+5
    assert hearing.starts_at == tomorrow_ten_almaty
    await daniyar.send("/hearing Yerlan Abenov; zavtra 10:00; Medeu district court")
    await message_containing(daniyar, "Hearing #2")
    second = await services.hearings.get(2)
    assert second is not None and second.starts_at - hearing.starts_at == timedelta(0)
