"""Long texts are split at line boundaries below Telegram's limit."""

from __future__ import annotations

from bot.text import chunks


def test_lines_are_kept_whole_and_in_order() -> None:
    lines = [f"• Person {n:03d} · detained · 12 days in custody" for n in range(300)]
    messages = chunks(lines, limit=1000)
    assert all(len(message) <= 1000 for message in messages)
    assert "\n".join(messages).splitlines() == lines
    assert len(messages) > 1


def test_short_text_is_one_message_and_nothing_is_empty() -> None:
    assert chunks(["a", "b"]) == ["a\nb"]
    assert chunks([]) == []
    assert chunks(["x" * 5000], limit=4000) == ["x" * 4000]
