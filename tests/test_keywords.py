"""Keywords after commands read the same in Kazakh, Russian and English, Latin-typed too."""

from __future__ import annotations

import re

import pytest

from bot.casefile import EDITABLE
from bot.dates import normalize
from bot.i18n import LANGUAGES, translator
from bot.keywords import Concept, canonicals, keyword, shown, table

# (concept, typed, canonical): for each concept, each language's Cyrillic and Latin-typed form.
SAME_MEANING = [
    (Concept.SWITCH, "on", "on"),
    (Concept.SWITCH, "вкл", "on"),
    (Concept.SWITCH, "Включить", "on"),
    (Concept.SWITCH, "vkl", "on"),
    (Concept.SWITCH, "қосу", "on"),
    (Concept.SWITCH, "kosu", "on"),
    (Concept.SWITCH, "qosu", "on"),  # Kazakh Latin q
    (Concept.SWITCH, "иә", "on"),
    (Concept.SWITCH, "OFF", "off"),
    (Concept.SWITCH, "выкл.", "off"),
    (Concept.SWITCH, "нет", "off"),
    (Concept.SWITCH, "vykl", "off"),
    (Concept.SWITCH, "өшіру", "off"),
    (Concept.SWITCH, "оширу", "off"),  # Kazakh letters typed as Russian look-alikes
    (Concept.SWITCH, "oshiru", "off"),
    (Concept.SWITCH, "жоқ", "off"),
    (Concept.ALERTS, "all", "all"),
    (Concept.ALERTS, "Всё", "all"),
    (Concept.ALERTS, "vse", "all"),
    (Concept.ALERTS, "барлығы", "all"),
    (Concept.ALERTS, "бәрі", "all"),
    (Concept.ALERTS, "bari", "all"),
    (Concept.ALERTS, "barlyğy", "all"),
    (Concept.ALERTS, "followed", "followed"),
    (Concept.ALERTS, "отслеживаемые", "followed"),
    (Concept.ALERTS, "подписки", "followed"),
    (Concept.ALERTS, "otslezhivaemye", "followed"),
    (Concept.ALERTS, "бақыланатын", "followed"),
    (Concept.ALERTS, "baqylanatyn", "followed"),
    (Concept.ROLE, "member", "member"),
    (Concept.ROLE, "участник", "member"),
    (Concept.ROLE, "член", "member"),
    (Concept.ROLE, "uchastnik", "member"),
    (Concept.ROLE, "мүше", "member"),
    (Concept.ROLE, "қатысушы", "member"),
    (Concept.ROLE, "mushe", "member"),
    (Concept.ROLE, "Coordinator", "coordinator"),
    (Concept.ROLE, "координатор", "coordinator"),
    (Concept.ROLE, "koordinator", "coordinator"),
    (Concept.ROLE, "үйлестіруші", "coordinator"),
    (Concept.ROLE, "uilestirushi", "coordinator"),
    (Concept.ROLE, "üilestırüşı", "coordinator"),  # the Kazakh Latin alphabet
    (Concept.GUIDE, "detained", "detained"),
    (Concept.GUIDE, "me", "detained"),
    (Concept.GUIDE, "задержан", "detained"),
    (Concept.GUIDE, "задержали", "detained"),
    (Concept.GUIDE, "zaderzhan", "detained"),
    (Concept.GUIDE, "ұсталды", "detained"),
    (Concept.GUIDE, "ustaldy", "detained"),
    (Concept.GUIDE, "friend", "friend"),
    (Concept.GUIDE, "друг", "friend"),
    (Concept.GUIDE, "drug", "friend"),
    (Concept.GUIDE, "дос", "friend"),
    (Concept.GUIDE, "dos", "friend"),
    (Concept.REPORTERS, "with reporters", "with reporters"),
    (Concept.REPORTERS, "With  Reporters", "with reporters"),
    (Concept.REPORTERS, "с авторами", "with reporters"),
    (Concept.REPORTERS, "с репортёрами", "with reporters"),
    (Concept.REPORTERS, "s avtorami", "with reporters"),
    (Concept.REPORTERS, "хабарлаушылармен", "with reporters"),
    (Concept.REPORTERS, "khabarlaushylarmen", "with reporters"),
    (Concept.FIELD, "city", "city"),
    (Concept.FIELD, "город", "city"),
    (Concept.FIELD, "gorod", "city"),
    (Concept.FIELD, "қала", "city"),
    (Concept.FIELD, "qala", "city"),
    (Concept.FIELD, "место содержания", "facility"),
    (Concept.FIELD, "mesto", "facility"),
    (Concept.FIELD, "ұстау орны", "facility"),
    (Concept.FIELD, "ustau orny", "facility"),
    (Concept.FIELD, "адрес", "address"),
    (Concept.FIELD, "мекенжай", "address"),
    (Concept.FIELD, "mekenzhai", "address"),
    (Concept.FIELD, "день рождения", "birthday"),
    (Concept.FIELD, "den rozhdeniya", "birthday"),
    (Concept.FIELD, "туған күні", "birthday"),
    (Concept.FIELD, "tugan kuni", "birthday"),
    (Concept.FIELD, "адвокат", "lawyer"),
    (Concept.FIELD, "advokat", "lawyer"),
    (Concept.FIELD, "қорғаушы", "lawyer"),
    (Concept.FIELD, "примечания", "notes"),
    (Concept.FIELD, "primechaniya", "notes"),
    (Concept.FIELD, "ескертпе", "notes"),
    (Concept.FIELD, "eskertpe", "notes"),
    (Concept.FIELD, "внутренние", "internal"),
    (Concept.FIELD, "vnutrennie", "internal"),
    (Concept.FIELD, "ішкі", "internal"),
    (Concept.FIELD, "ishki", "internal"),
    (Concept.FIELD, "здоровье", "health"),
    (Concept.FIELD, "zdorovie", "health"),
    (Concept.FIELD, "денсаулық", "health"),
    (Concept.FIELD, "densaulyq", "health"),
    (Concept.VISIBILITY, "public", "public"),
    (Concept.VISIBILITY, "открыто", "public"),
    (Concept.VISIBILITY, "otkryto", "public"),
    (Concept.VISIBILITY, "жария", "public"),
    (Concept.VISIBILITY, "баршаға ашық", "public"),
    (Concept.VISIBILITY, "только участникам сети", "private"),
    (Concept.VISIBILITY, "тек желі мүшелеріне", "private"),
    (Concept.VISIBILITY, "private", "private"),
    (Concept.VISIBILITY, "скрыто", "private"),
    (Concept.VISIBILITY, "skryto", "private"),
    (Concept.VISIBILITY, "жабық", "private"),
    (Concept.VISIBILITY, "zhabyk", "private"),
    (Concept.CONFIRM, "confirm", "confirm"),
    (Concept.CONFIRM, "подтвердить", "confirm"),
    (Concept.CONFIRM, "podtverdit", "confirm"),
    (Concept.CONFIRM, "растау", "confirm"),
    (Concept.CONFIRM, "rastau", "confirm"),
]


@pytest.mark.parametrize(("concept", "typed", "canonical"), SAME_MEANING)
def test_a_keyword_reads_the_same_in_each_language_and_keyboard(
    concept: Concept, typed: str, canonical: str
) -> None:
    assert keyword(concept, typed) == canonical
    assert keyword(concept, f"  {typed.upper()} ") == canonical  # case and spaces do not matter


def test_every_concept_and_keyword_is_covered_by_the_examples_above() -> None:
    covered = {(concept, canonical) for concept, _typed, canonical in SAME_MEANING}
    assert covered == {(c, k) for c in Concept for k in canonicals(c)}


@pytest.mark.parametrize(
    ("concept", "typed"),
    [
        (Concept.SWITCH, "maybe"),
        (Concept.SWITCH, ""),
        (Concept.SWITCH, "all"),  # a word of another concept
        (Concept.ALERTS, "some"),
        (Concept.ROLE, "admin"),  # not a role one may invite
        (Concept.ROLE, "администратор"),
        (Concept.GUIDE, "lawyer"),
        (Concept.REPORTERS, "01.01.2026"),
        (Concept.FIELD, "colour"),
        (Concept.VISIBILITY, "maybe"),
        (Concept.CONFIRM, "yes"),  # a bare yes must not wipe the database
        (Concept.CONFIRM, "да"),
    ],
)
def test_an_unknown_word_reads_as_none(concept: Concept, typed: str) -> None:
    assert keyword(concept, typed) is None


@pytest.mark.parametrize("concept", list(Concept))
def test_no_word_means_two_keywords_within_a_concept(concept: Concept) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for canonical, words in table(concept).items():
        for word in words.every():
            folded = normalize(word)
            if seen.setdefault(folded, canonical) != canonical:
                clashes.append((word, seen[folded], canonical))
    assert clashes == []


@pytest.mark.parametrize("concept", list(Concept))
def test_every_keyword_has_words_in_all_three_languages_and_latin_typed_ones(
    concept: Concept,
) -> None:
    for canonical, words in table(concept).items():
        assert words.en[0] == canonical  # English shows the canonical word itself
        for language in ("ru", "kk"):
            listed = getattr(words, language)
            assert re.search("[а-яё]", normalize(listed[0])), (canonical, language)  # Cyrillic
            assert any(re.fullmatch(r"[a-z ]+", w) for w in listed), (canonical, language)
        assert keyword(concept, canonical) == canonical


def test_set_fields_are_the_case_files_editable_fields() -> None:
    assert canonicals(Concept.FIELD) == tuple(EDITABLE)


@pytest.mark.parametrize(
    ("language", "on", "off"), [("ru", "вкл", "выкл"), ("kk", "қосу", "өшіру"), ("en", "on", "off")]
)
def test_usage_lines_show_the_readers_words(language: str, on: str, off: str) -> None:
    assert (shown(Concept.SWITCH, "on", language), shown(Concept.SWITCH, "off", language)) == (
        on,
        off,
    )


def test_every_word_shown_in_a_usage_line_is_accepted() -> None:
    for concept in Concept:
        for canonical in canonicals(concept):
            for language in LANGUAGES:
                assert keyword(concept, shown(concept, canonical, language)) == canonical


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_lines_show_the_words_the_table_accepts(language: str) -> None:
    _ = translator(language)
    usages = [
        ("on|off", Concept.SWITCH),
        ("all|followed", Concept.ALERTS),
        ("member|coordinator", Concept.ROLE),
        ("[detained|friend]", Concept.GUIDE),
        ("[confirm]", Concept.CONFIRM),
    ]
    for usage, concept in usages:
        words = "|".join(shown(concept, canonical, language) for canonical in canonicals(concept))
        assert _(usage).strip("[]") == words, (language, usage)
    reporters = shown(Concept.REPORTERS, "with reporters", language)
    assert _("[<from>; <to>][; with reporters]").endswith(f"; {reporters}]")


@pytest.mark.parametrize("text", ["ашық", "ashyq", "ашық емес", "не открыто", "не всем", "open"])
def test_unclear_health_visibility_words_are_refused(text: str) -> None:
    """«ашық» ("open") alone could be read off the private label: it must not publish health
    details; a negation must not either."""
    assert keyword(Concept.VISIBILITY, text) is None


def test_the_address_and_notes_subscribers_see_are_named_as_such() -> None:
    """Subscribers see the address and the notes: the Russian and Kazakh field lists say "for
    letters", and «заметки» (private jottings, to a reader) does not write public notes."""
    assert shown(Concept.FIELD, "address", "ru") == "адрес для писем"
    assert shown(Concept.FIELD, "address", "kk") == "хат мекенжайы"
    assert keyword(Concept.FIELD, "заметки") is None
