"""Pure rules of reminders and hearings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.hearings import is_closed
from bot.reminders import next_morning, plan
from storage.reminders import ReminderKind
from tests.conftest import make_settings

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_only_reminders_still_ahead_are_planned() -> None:
    hearing = NOW + timedelta(hours=5)
    leads = (timedelta(hours=24), timedelta(hours=1), timedelta(minutes=1))
    planned = plan(ReminderKind.HEARING, hearing, leads, NOW, hearing_id=4)
    assert [(r.lead, r.due_at, r.hearing_id) for r in planned] == [
        (timedelta(hours=1), hearing - timedelta(hours=1), 4),
        (timedelta(minutes=1), hearing - timedelta(minutes=1), 4),
    ]
    assert plan(ReminderKind.HEARING, NOW, leads, NOW) == []


def test_not_yet_asks_again_at_nine_the_next_local_morning(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    late_evening = datetime(2026, 3, 3, 20, 30, tzinfo=UTC)  # 01:30 on 4 March in Almaty
    assert next_morning(late_evening, settings) == datetime(2026, 3, 5, 4, 0, tzinfo=UTC)
    assert next_morning(NOW, settings) == datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


def test_closed_door_hearings_are_marked_in_three_languages() -> None:
    assert is_closed("closed")
    assert is_closed("Closed, bring documents")
    assert is_closed("закрытое заседание")
    assert is_closed("жабық")
    assert not is_closed("enclosed letter; open to the public")
