"""The README's command reference and configuration table match the bot."""

from __future__ import annotations

from pathlib import Path

from bot.commands import COMMANDS
from bot.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    missing = [c.name for c in COMMANDS if f"`/{c.name}" not in README]
    assert missing == []


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [
        name.upper() for name in Settings.model_fields if f"| `{name.upper()}`" not in README
    ]
    assert missing == []
