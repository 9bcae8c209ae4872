"""Sentence terms as people type them, and release dates."""

from __future__ import annotations

from datetime import date

import pytest

from bot.terms import MAX_YEARS, Term, TermError, parse_term, release_date


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
