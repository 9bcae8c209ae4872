"""Translations: complete catalogs, placeholders kept, no string bypassing them, locale formats."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Message

from bot.catalogs import KEYWORDS, _check, problems, read
from bot.commands import COMMANDS
from bot.court_text import sentence_event_text
from bot.guide import GUIDES_DIR
from bot.i18n import LANGUAGES, language_named, language_of, render, translator
from storage.timeline import TimelineEvent

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ZoneInfo("Asia/Almaty")
NNBSP = "\u202f"  # CLDR puts a narrow no-break space in "2026 г." and "2026 ж."


# -- the catalogs ------------------------------------------------------------------------------
def test_every_message_is_translated_with_the_same_placeholders_and_the_po_files_are_current() -> (
    None
):
    found = list(problems())
    assert found == [], "\n".join(found[:40])


@pytest.mark.parametrize(
    ("message", "complaint"),
    [
        (Message("Hearing of {name}", "Заседание"), "placeholders"),
        (Message("Hearing", "Заседание: {name}"), "placeholders"),
        (Message("Report #{id}", "Сообщение #{number}"), "placeholders"),
        (Message("<b>Status</b>", "Статус"), "HTML tags"),
        (Message("Hearing", ""), "not translated"),
        (Message("Hearing", "Заседание", flags=["fuzzy"]), "fuzzy"),
        (Message(("{count} day", "{count} days"), ("{count} день", "", "")), "plural form"),
        (Message(("{count} day of {name}", "{count} days of {name}"), ("a", "b", "c")), "placeh"),
        (Message("Closed {x}", "Закрыто {x"), "braces"),
    ],
)
def test_the_catalog_check_catches_each_kind_of_mistake(message: Message, complaint: str) -> None:
    assert any(complaint in line for line in _check("ru", message))


def test_the_catalog_check_accepts_a_good_translation_and_usage_placeholders() -> None:
    good = Message(
        "<b>Hearing: {name}</b> · /attend <id>", "<b>Заседание: {name}</b> · /attend <номер>"
    )
    plural = Message(
        ("{count} day", "{count} days"), ("{count} день", "{count} дня", "{count} дней")
    )
    assert list(_check("ru", good)) == []
    assert list(_check("ru", plural)) == []
    assert list(_check("en", Message("Hearing", ""))) == []  # English is the source language


def test_kazakh_is_written_in_kazakh_cyrillic_without_latin_look_alikes() -> None:
    catalog = read("kk")
    translated = [m for m in catalog if m.id and m.string]
    texts = [
        t for m in translated for t in (m.string if isinstance(m.string, tuple) else [m.string])
    ]
    mixed = [
        word
        for text in texts
        for word in re.findall(r"\w+", re.sub(r"\{\w+\}", " ", text))
        if re.search(r"[а-яёәғқңөұүһі]", word, re.I) and re.search(r"[a-z]", word, re.I)
    ]
    assert mixed == []
    with_kazakh_letters = [t for t in texts if re.search(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", t)]
    assert len(with_kazakh_letters) > len(texts) / 2


def test_every_command_description_fits_telegrams_menu_in_every_language() -> None:
    for language in LANGUAGES:
        _ = translator(language)
        for command in COMMANDS:
            assert 3 <= len(_(command.description)) <= 256, (language, command.name)


def test_every_guide_is_written_in_every_language() -> None:
    english = sorted(path.name for path in (GUIDES_DIR / "en").glob("*.md"))
    assert english
    for language in LANGUAGES:
        assert sorted(path.name for path in (GUIDES_DIR / language).glob("*.md")) == english


# -- no user-facing string bypasses translation -----------------------------------------------
# Calls whose text reaches a person: a string literal passed to one of these is untranslated.
SINKS = {
    "reply_text",
    "reply_html",
    "send_message",
    "edit_message_text",
    "edit_text",
    "answer",
    "InlineKeyboardButton",
    "KeyboardButton",
    "BotCommand",
    "reply_lines",
    "send_document",
    "reply_document",
    "send_photo",
    "reply_photo",
}
TEXT_KEYWORDS = {"text", "caption"}
# Words the bot reads literally in commands (the usage lines show them) and proper names.
NOT_WORDS = {"Dabyl", "with reporters", "Қазақша", "Русский", "English"}


def _words(node: ast.AST) -> str:
    """The letters a literal or f-string contributes on its own (its fixed parts)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(_words(value) for value in node.values)
    if isinstance(node, ast.BinOp):
        return f"{_words(node.left)} {_words(node.right)}"
    return ""


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def untranslated_texts(source: str) -> list[tuple[int, str]]:
    """Literal words passed straight to a sink, and translation calls Babel cannot extract."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and _name(inner) in KEYWORDS
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):  # Babel skips it: the literal never reaches the catalog
                    found.append((node.lineno, "a translation call inside an f-string"))
        if not isinstance(node, ast.Call) or _name(node) not in SINKS:
            continue
        texts = [*node.args[:1], *(k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)]
        for text in texts:
            words = _words(text)
            for allowed in NOT_WORDS:
                words = words.replace(allowed, "")
            if re.search(r"[^\W\d_]{2,}", words):
                found.append((node.lineno, words.strip()))
    return found


def test_the_scan_finds_literals_and_unextractable_calls() -> None:
    source = (
        "async def f(message, _):\n"
        "    await message.reply_text('Saved.')\n"
        "    await message.reply_text(f'Report #{n} saved')\n"
        "    await message.reply_text(f\"{_('Nothing was saved.')}\")\n"
        "    InlineKeyboardButton('Confirm', callback_data='x')\n"
        "    await message.reply_text(_('Saved.'))\n"
        "    await message.reply_text(f'#{n} · {_(\"Saved\")}'.strip())\n"
    )
    source += "    await message.reply_text(f'{_(USAGE[action])}')\n"  # a marked id: extracted
    assert sorted(line for line, _text in untranslated_texts(source)) == [2, 3, 4, 5, 7]


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT) for folder in ("handlers", "bot") for p in (ROOT / folder).glob("*.py")
    ),
    ids=str,
)
def test_no_user_facing_string_bypasses_translation(path: Path) -> None:
    assert untranslated_texts((ROOT / path).read_text(encoding="utf-8")) == []


# -- languages -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "language"),
    [("kk", "kk"), ("ru", "ru"), ("ru-RU", "ru"), ("en-GB", "en"), ("EN", "en"), ("de", None),
     ("uk", None), ("", None), (None, None)],
)  # fmt: skip
def test_telegrams_language_code_picks_kazakh_russian_or_english(
    code: str | None, language: str | None
) -> None:
    assert language_of(code) == language


@pytest.mark.parametrize(
    ("typed", "language"),
    [("kk", "kk"), ("Қазақша", "kk"), ("qazaqsha", "kk"), ("русский", "ru"), ("RU", "ru"),
     ("english", "en"), ("ағылшынша", "en"), ("klingon", None), ("", None)],
)  # fmt: skip
def test_lang_accepts_a_language_named_in_any_of_the_three(
    typed: str, language: str | None
) -> None:
    assert language_named(typed) == language


def test_render_writes_a_text_once_in_each_language() -> None:
    texts = render(lambda _: _("Detained"))
    assert set(texts) == set(LANGUAGES)
    assert texts["en"] == "Detained"
    assert len(set(texts.values())) == 3


def test_an_unknown_language_reads_english() -> None:
    assert translator("de")("Detained") == "Detained"


# -- dates, numbers and plurals follow the reader's locale -----------------------------------------
@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [("ru", 1, "1 день"), ("ru", 3, "3 дня"), ("ru", 5, "5 дней"), ("ru", 21, "21 день"),
     ("kk", 1, "1 күн"), ("kk", 3, "3 күн"), ("en", 1, "1 day"), ("en", 2, "2 days")],
)  # fmt: skip
def test_day_counts_decline_in_each_language(language: str, count: int, expected: str) -> None:
    assert translator(language).units(count, "day") == expected


def test_catalog_plurals_choose_the_russian_form_by_number() -> None:
    _ = translator("ru")
    forms = {n: _.plural("in {count} day", "in {count} days", n) for n in (1, 3, 5, 11, 22)}
    assert len({forms[1], forms[3], forms[5]}) == 3  # one, few, many
    assert forms[11].replace("11", "5") == forms[5]  # 11 is "many", like 5
    assert forms[22].replace("22", "3") == forms[3]  # 22 is "few", like 3


@pytest.mark.parametrize(
    ("language", "day", "moment", "number"),
    [
        ("kk", f"2026{NNBSP}ж. 2 нау.", f"2026{NNBSP}ж. 2 нау., 14:05", "12\xa0345,5"),
        ("ru", f"2 мар. 2026{NNBSP}г.", f"2 мар. 2026{NNBSP}г., 14:05", "12\xa0345,5"),
        ("en", "2 Mar 2026", "2 Mar 2026, 14:05", "12,345.5"),
    ],
)
def test_dates_times_and_numbers_are_written_as_each_locale_writes_them(
    language: str, day: str, moment: str, number: str
) -> None:
    _ = translator(language)
    at = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
    assert _.date(date(2026, 3, 2)) == day
    assert _.date(at, ALMATY) == day
    assert _.datetime(at, ALMATY) == moment
    assert _.time(at, ALMATY) == "14:05"  # a 24-hour clock in all three
    assert _.number(12345.5) == number


@pytest.mark.parametrize(
    ("delta", "expected"),
    [(timedelta(days=7), "7 days"), (timedelta(hours=24), "1 day"), (timedelta(hours=3), "3 hours"),
     (timedelta(minutes=90), "90 minutes"), (timedelta(seconds=20), "1 minute")],
)  # fmt: skip
def test_reminder_leads_read_in_their_largest_exact_unit(delta: timedelta, expected: str) -> None:
    assert translator("en").duration(delta) == expected


def test_a_sentence_in_a_history_reads_in_the_readers_words() -> None:
    event = TimelineEvent(
        "sentence", 1, "", "", datetime(2026, 3, 1, tzinfo=UTC), "", "2 6 0 2028-01-15", None
    )
    assert sentence_event_text(translator("en"), event) == "2 years 6 months, release 15 Jan 2028"
    assert sentence_event_text(translator("ru"), event).startswith("2 года 6 месяцев, ")
    assert "2 жыл 6 ай" in sentence_event_text(translator("kk"), event)
