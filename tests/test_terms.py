"""Sentence terms as people type them, and release dates."""

from __future__ import annotations

from datetime import date

import pytest

from bot.terms import _UNIT_WORDS, MAX_YEARS, Term, TermError, parse_term, release_date

# Every unit word, by language, as people type it; "Latin" is Russian or Kazakh typed on a phone
# without a Cyrillic keyboard. test_every_unit_word_in_the_table_is_tested keeps this complete.
UNIT_WORDS_BY_LANGUAGE: dict[str, dict[str, tuple[str, ...]]] = {
    "years": {
        "en": ("y", "yr", "yrs", "year", "years"),
        "ru": ("г", "год", "года", "лет"),
        "kk": ("жыл", "жылға"),
        "Latin": ("g", "god", "goda", "let", "zhyl", "zhylga", "jyl", "jylga", "zhil", "jil"),
    },
    "months": {
        "en": ("m", "mo", "mos", "month", "months"),
        "ru": ("мес", "месяц", "месяца", "месяцев"),
        "kk": ("ай", "айға"),
        "Latin": (
            *("mes", "mesyats", "mesyatsa", "mesyatsev", "mesyac", "mesyaca", "mesyacev"),
            *("ai", "ay", "aiga", "ayga"),
        ),
    },
    "weeks": {
        "en": ("w", "wk", "wks", "week", "weeks"),
        "ru": ("нед", "неделя", "недели", "недель", "неделю"),
        "kk": ("апта", "аптаға"),
        "Latin": (
            *("ned", "nedelya", "nedeli", "nedel", "nedelyu", "nedelia", "nedeliu"),
            *("apta", "aptaga"),
        ),
    },
    "days": {
        "en": ("d", "day", "days"),
        "ru": ("сут", "сутки", "суток", "день", "дня", "дней", "дн"),
        "kk": ("тәулік", "тәулікке", "күн", "күнге"),
        "Latin": (
            *("sut", "sutki", "sutok", "den", "dnya", "dney", "dnia", "dnei", "dn"),
            *("taulik", "taulikke", "kun", "kunge"),
        ),
    },
}
EXPECTED_FOR_3 = {
    "years": Term(years=3),
    "months": Term(months=3),
    "weeks": Term(days=21),
    "days": Term(days=3),
}
UNIT_CASES = [
    pytest.param(f"3 {word}", EXPECTED_FOR_3[unit], id=f"{unit}-{language}-{word}")
    for unit, languages in UNIT_WORDS_BY_LANGUAGE.items()
    for language, words in languages.items()
    for word in words
]


@pytest.mark.parametrize(("text", "term"), UNIT_CASES)
def test_every_unit_word_in_every_language(text: str, term: Term) -> None:
    assert parse_term(text) == term


@pytest.mark.parametrize(("text", "term"), UNIT_CASES)
def test_unit_words_read_the_same_in_capitals_and_without_a_space(text: str, term: Term) -> None:
    assert parse_term(text.upper()) == term
    assert parse_term(text.replace(" ", "")) == term


def test_every_unit_word_in_the_table_is_tested() -> None:
    tested = {unit: set() for unit in UNIT_WORDS_BY_LANGUAGE}
    for unit, languages in UNIT_WORDS_BY_LANGUAGE.items():
        for words in languages.values():
            tested[unit].update(words)
    assert {unit: set(words) for unit, words in _UNIT_WORDS.items()} == tested


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("10 days", Term(days=10)),
        ("1 day", Term(days=1)),
        ("10 day", Term(days=10)),
        ("10d", Term(days=10)),
        ("15 суток", Term(days=15)),
        ("15 сутки", Term(days=15)),
        ("15 сут", Term(days=15)),
        ("15 сут.", Term(days=15)),
        ("15 дней", Term(days=15)),
        ("1 день", Term(days=1)),
        ("10 тәулік", Term(days=10)),
        ("10 күн", Term(days=10)),
        ("10 kun", Term(days=10)),
        ("15 sutok", Term(days=15)),
        ("7 years", Term(years=7)),
        ("1 year", Term(years=1)),
        ("7y", Term(years=7)),
        ("7 лет", Term(years=7)),
        ("1 год", Term(years=1)),
        ("2 года", Term(years=2)),
        ("7 жыл", Term(years=7)),
        ("7 zhyl", Term(years=7)),
        ("7 let", Term(years=7)),
        ("18 months", Term(months=18)),
        ("18 мес", Term(months=18)),
        ("18 месяцев", Term(months=18)),
        ("18 ай", Term(months=18)),
        ("2y 6m", Term(years=2, months=6)),
        ("2y6m", Term(years=2, months=6)),
        ("2 years 6 months", Term(years=2, months=6)),
        ("2y 6m 10d", Term(years=2, months=6, days=10)),
        ("6m 2y", Term(years=2, months=6)),
        ("2 года 6 месяцев", Term(years=2, months=6)),
        ("2 года и 6 месяцев", Term(years=2, months=6)),
        ("2 жыл және 6 ай", Term(years=2, months=6)),
        ("2 years and 6 months", Term(years=2, months=6)),
        ("2y, 6m", Term(years=2, months=6)),
        ("  15   СУТОК ", Term(days=15)),
        ("30 years", Term(years=MAX_YEARS)),
        ("360 months", Term(months=360)),
        # The forms people send, in each language and typed in Latin letters.
        ("10 таулик", Term(days=10)),
        ("10 täulik", Term(days=10)),
        ("15 тәулікке", Term(days=15)),
        ("10 sutok", Term(days=10)),
        ("10 taulik", Term(days=10)),
        ("10 den'", Term(days=10)),
        ("10 дн.", Term(days=10)),
        ("7 жылға", Term(years=7)),
        ("1 жыл 6 ай", Term(years=1, months=6)),
        ("1 zhyl 6 ai", Term(years=1, months=6)),
        ("2 г. 6 мес.", Term(years=2, months=6)),
        ("2 goda i 6 mesyatsev", Term(years=2, months=6)),
        ("2 zhyl zhane 6 ai", Term(years=2, months=6)),
        ("2 нед", Term(days=14)),
        ("2 недели", Term(days=14)),
        ("2 weeks", Term(days=14)),
        ("2 апта", Term(days=14)),
        ("2 apta", Term(days=14)),
        ("2 nedel'", Term(days=14)),
        ("1 неделя 3 дня", Term(days=10)),
        ("1w 3d", Term(days=10)),
        ("1 year 2 weeks", Term(years=1, days=14)),
    ],
)
def test_each_term_form(text: str, term: Term) -> None:
    assert parse_term(text) == term


def test_m_means_months_in_a_term() -> None:
    assert parse_term("6m") == Term(months=6)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (Term(days=10), "10 days"),
        (Term(days=1), "1 day"),
        (Term(years=2, months=6), "2 years 6 months"),
        (Term(years=1, months=1, days=1), "1 year 1 month 1 day"),
        (Term(months=18), "18 months"),
    ],
)
def test_describe(term: Term, text: str) -> None:
    assert term.describe() == text


def test_a_term_in_days_only_is_an_arrest() -> None:
    assert parse_term("15 суток").in_days_only
    assert parse_term("2 нед").in_days_only
    assert not parse_term("7 лет").in_days_only
    assert not parse_term("1m 10d").in_days_only


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0 days",
        "0y 0m",
        "-5 days",
        "10",
        "days",
        "10 parsecs",
        "31 years",
        "361 months",
        "30 years 1 day",
        "11000 days",
        "99999999999999999999 years",
        "2y 3y",
        "10 days 5 сут",
        "1.5 года",
        "полтора года",
        "about 10 days",
        "10 days ago",
        "and 10 days",
        "10 days and",
        # Words that look like units but are not: a number of things, and meals.
        "10 apples",
        "10 яблок",
        "10 алма",
        "2 недоли",
        "2 weekends",
        "10 daysx",
        "5 завтрак",
        "10 минут",
        "10 min",
        "10 h",
        "1 week 1 неделя",
        "1 week 7 days 2 weeks",
        "2000 weeks",
        "1566 weeks",
        "10'",
    ],
)
def test_bad_terms_are_refused(text: str) -> None:
    with pytest.raises(TermError):
        parse_term(text)


def test_term_itself_refuses_impossible_values() -> None:
    with pytest.raises(TermError, match="zero"):
        Term()
    with pytest.raises(TermError, match="negative"):
        Term(years=2, days=-1)
    with pytest.raises(TermError, match="longer than 30 years"):
        Term(years=29, months=12, days=1)
    assert isinstance(TermError("x"), ValueError)


@pytest.mark.parametrize(
    ("start", "text", "released"),
    [
        (date(2026, 3, 1), "10 суток", date(2026, 3, 11)),
        (date(2026, 3, 1), "1 год", date(2027, 3, 1)),
        (date(2024, 2, 29), "1 year", date(2025, 2, 28)),
        (date(2024, 2, 29), "4 years", date(2028, 2, 29)),
        (date(2026, 1, 31), "1 month", date(2026, 2, 28)),
        (date(2024, 1, 31), "1 month", date(2024, 2, 29)),
        (date(2026, 8, 31), "6 months", date(2027, 2, 28)),
        (date(2026, 1, 31), "1 month 1 day", date(2026, 3, 1)),
        (date(2026, 1, 31), "2y 6m 10d", date(2028, 8, 10)),
        (date(2026, 12, 25), "10 days", date(2027, 1, 4)),
        (date(2026, 3, 1), "18 months", date(2027, 9, 1)),
    ],
)
def test_release_date_uses_calendar_years_and_months(
    start: date, text: str, released: date
) -> None:
    assert release_date(start, parse_term(text)) == released


def test_credit_for_pre_trial_detention_brings_release_forward() -> None:
    assert release_date(date(2026, 3, 1), Term(years=7), credit_days=100) == date(2032, 11, 21)
    assert release_date(date(2026, 3, 1), Term(days=15), credit_days=2) == date(2026, 3, 14)


def test_credit_may_cover_the_whole_term() -> None:
    assert release_date(date(2026, 3, 1), Term(days=15), credit_days=15) == date(2026, 3, 1)


@pytest.mark.parametrize("credit", [-1, 16])
def test_credit_outside_the_term_is_refused(credit: int) -> None:
    with pytest.raises(TermError, match="credit"):
        release_date(date(2026, 3, 1), Term(days=15), credit_days=credit)
