"""Telegram's limit on one message, applied at line boundaries."""

from __future__ import annotations

from collections.abc import Iterable

LIMIT = 4000  # Telegram allows 4,096; the rest is a margin for markup


def chunks(lines: Iterable[str], limit: int = LIMIT) -> list[str]:
    """Join lines into messages of at most ``limit`` characters, never splitting a line.

    A single line longer than ``limit`` is cut at ``limit`` (callers escape HTML per line and
    keep tags within one line, so a cut can only shorten plain text).
    """
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = line[:limit]
        if current and size + 1 + len(line) > limit:
            messages.append("\n".join(current))
            current, size = [], 0
        size += len(line) + (1 if current else 0)
        current.append(line)
    if current:
        messages.append("\n".join(current))
    return messages
