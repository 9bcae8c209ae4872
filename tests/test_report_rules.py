"""Pure rules of reporting: input checks, field splitting, name matching, verification, text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.alert_text import report_html
from bot.i18n import translator
from bot.people import Status, clean_name, match_key
from bot.reports import Draft, Problem, check, status_effect
from bot.roles import Role
from bot.verification import Policy, initial_state, may_decide, verifiers
from handlers.common import report_id_of, split_fields
from storage.people import Person
from storage.reports import Report, ReportKind, ReportState
from storage.users import User

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def user(telegram_id: int, role: Role) -> User:
    return User(telegram_id, None, "Timur", role, "en", True, f"p-{telegram_id}", NOW, NOW)


def report(**changes: object) -> Report:
    values: dict[str, object] = {
        "id": 12, "kind": ReportKind.DETENTION, "person_id": 1, "reporter_id": 7, "place": "",
        "latitude": None, "longitude": None, "details": "", "state": ReportState.PENDING,
        "duplicate_of": None, "corroborations": 1, "reported_at": NOW, "decided_by": None,
        "decided_at": None, "decision_note": "", "escalated_at": None,
    }  # fmt: skip
    values.update(changes)
    return Report(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "count", "fields"),
    [
        ("Aigerim; Abay sq; pushed; into a van", 3, ["Aigerim", "Abay sq", "pushed; into a van"]),
        ("Aigerim\nAbay square\nno phone", 3, ["Aigerim", "Abay square", "no phone"]),
        ("Aigerim", 3, ["Aigerim", "", ""]),
        ("  ", 2, ["", ""]),
        ("Daniyar ; ", 2, ["Daniyar", ""]),
    ],
)  # fmt: skip
def test_fields_split_at_semicolons_or_new_lines(text: str, count: int, fields: list[str]) -> None:
    assert split_fields(text, count) == fields


def test_report_ids_with_or_without_hash() -> None:
    assert [report_id_of(t) for t in ("12", "#12", " #7 ", "twelve", "", "#")] == [
        12, 12, 7, None, None, None,
    ]  # fmt: skip


def test_names_match_ignoring_case_spaces_and_yo() -> None:
    assert match_key("  Алёна   Петрова ") == match_key("алена петрова")
    assert match_key("AIGERIM Nurlanovna") == match_key("aigerim nurlanovna")
    assert clean_name("  Aigerim   Nurlanovna ") == "Aigerim Nurlanovna"
    assert match_key("Aigerim") != match_key("Aigerym")


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (Draft(ReportKind.DETENTION, name="", place="Abay square"), Problem.NAME_MISSING),
        (Draft(ReportKind.DETENTION, name="   ", place="x"), Problem.NAME_MISSING),
        (Draft(ReportKind.DETENTION, name="A" * 201, place="x"), Problem.NAME_TOO_LONG),
        (Draft(ReportKind.DETENTION, name="Aigerim", place_required=True), Problem.PLACE_MISSING),
        (Draft(ReportKind.HEALTH, name="Aigerim"), Problem.DETAILS_MISSING),
        (Draft(ReportKind.RELEASE, name="Aigerim", details="x" * 2001), Problem.DETAILS_TOO_LONG),
        (Draft(ReportKind.BROADCAST, details=" "), Problem.DETAILS_MISSING),
        (Draft(ReportKind.DETENTION, name="A" * 200, place="x", place_required=True), None),
        (Draft(ReportKind.DETENTION, name="Aigerim", latitude=43.2, longitude=76.9,
               place_required=True), None),
        (Draft(ReportKind.DETENTION, name="Aigerim"), None),  # the guided report may skip it
        (Draft(ReportKind.RELEASE, person_id=3), None),
    ],
)  # fmt: skip
def test_drafts_are_checked_before_anything_is_stored(
    draft: Draft, problem: Problem | None
) -> None:
    assert check(draft) == problem


@pytest.mark.parametrize(
    ("policy", "role", "state"),
    [
        (Policy.COORDINATOR, Role.MEMBER, ReportState.PENDING),
        (Policy.COORDINATOR, Role.COORDINATOR, ReportState.CONFIRMED),
        (Policy.COORDINATOR, Role.ADMIN, ReportState.CONFIRMED),
        (Policy.SECOND_PERSON, Role.ADMIN, ReportState.PENDING),
        (Policy.SECOND_PERSON, Role.MEMBER, ReportState.PENDING),
        (Policy.OFF, Role.MEMBER, ReportState.UNVERIFIED),
    ],
)
def test_initial_state_follows_the_policy(policy: Policy, role: Role, state: ReportState) -> None:
    assert initial_state(policy, role) == state


def test_nobody_confirms_their_own_report_under_second_person() -> None:
    coordinator, admin = user(7, Role.COORDINATOR), user(8, Role.ADMIN)
    assert not may_decide(Policy.SECOND_PERSON, coordinator, reporter_id=7)
    assert may_decide(Policy.SECOND_PERSON, admin, reporter_id=7)
    assert may_decide(Policy.COORDINATOR, coordinator, reporter_id=7)
    assert not may_decide(Policy.COORDINATOR, user(9, Role.MEMBER), reporter_id=1)
    people = [coordinator, admin, user(9, Role.MEMBER)]
    assert [u.telegram_id for u in verifiers(people, reporter_id=7)] == [8]


def test_status_effects() -> None:
    assert status_effect(ReportKind.DETENTION) == Status.DETAINED
    assert status_effect(ReportKind.RELEASE) == Status.FREE
    assert status_effect(ReportKind.HEALTH) is None


def test_alert_text_shows_markup_characters_exactly_as_typed() -> None:
    person = Person(1, "Aigerim <Nurlanovna> & *co*", "", Status.FREE, None, "", "", NOW, None)
    text = report_html(
        translator("en"),
        report(place="Abay sq. <north> & _east_", details="a<b>c</b> & 5 > 3", corroborations=2),
        person,
        ZoneInfo("Asia/Almaty"),
    )
    assert "Aigerim &lt;Nurlanovna&gt; &amp; *co*" in text
    assert "Where: Abay sq. &lt;north&gt; &amp; _east_" in text
    assert "Details: a&lt;b&gt;c&lt;/b&gt; &amp; 5 &gt; 3" in text
    assert "When: 1 Mar 2026, 14:00" in text
    assert "Report #12 · waiting for verification · 2 reports" in text
