"""Settings: defaults, parsing, and one clear line per invalid variable."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, describe_errors, parse_duration

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


def test_defaults_match_config_example() -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN)
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.database_path == Path("data/dabyl.sqlite3")
    assert settings.timezone.key == "Asia/Almaty"
    assert settings.open_subscriptions is True
    assert settings.broadcast_rate == 25
    assert settings.invite_ttl == timedelta(hours=48)
    assert settings.admin_ids == frozenset()
    assert settings.log_level == "INFO"


def test_config_example_documents_every_setting() -> None:
    text = (ROOT / "config.example.env").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"{name.upper()}=" in text, f"{name.upper()} is not in config.example.env"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("7d", timedelta(days=7)),
        (" 48h ", timedelta(hours=48)),
        ("1w", timedelta(weeks=1)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "48", "h", "0h", "-1d", "2 days", "1.5h"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="30m, 2h, 48h or 7d"):
        parse_duration(text)


def test_admin_ids_are_comma_separated() -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN, admin_ids=" 11, 22,33 ")
    assert settings.admin_ids == frozenset({11, 22, 33})


@pytest.mark.parametrize(
    ("field", "value", "line"),
    [
        ("admin_ids", "11,abc", "ADMIN_IDS: expected comma-separated numeric Telegram ids"),
        ("timezone", "Asia/Nowhere", "TIMEZONE: expected an IANA time zone name"),
        ("invite_ttl", "two days", "INVITE_TTL: expected a duration like 30m"),
        ("broadcast_rate", "100", "BROADCAST_RATE: Input should be less than or equal to 30"),
        ("open_subscriptions", "perhaps", "OPEN_SUBSCRIPTIONS: Input should be a valid boolean"),
        ("telegram_api_url", "api.telegram.org", "TELEGRAM_API_URL: expected an http(s) URL"),
        ("bot_token", "", "BOT_TOKEN: expected the token from @BotFather"),
        ("bot_token", "not a token", "BOT_TOKEN: expected the token from @BotFather"),
    ],
)
def test_invalid_values_name_the_variable(field: str, value: str, line: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, **{"bot_token": TOKEN, field: value})
    lines = describe_errors(caught.value)
    assert len(lines) == 1
    assert lines[0].startswith(line)
    if field == "bot_token" and value:
        assert value not in lines[0]  # a mistyped token is still a secret


def test_start_up_with_bad_settings_prints_one_line_per_variable(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "INVITE_TTL": "forever", "TIMEZONE": "Mars/Olympus"}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    prefix = "dabyl: configuration error: "
    errors = [line for line in result.stderr.strip().splitlines() if line.startswith(prefix)]
    assert sorted(line.removeprefix(prefix) for line in errors) == [
        "BOT_TOKEN: is required",
        # The rejected value is not repeated: a misplaced secret must not reach the logs.
        "INVITE_TTL: expected a duration like 30m, 2h, 48h or 7d; units s, m (minutes), h, d, w",
        "TIMEZONE: expected an IANA time zone name like Asia/Almaty",
    ]
    # With no token, the hint says where it goes and how to practise instead (issue 9)...
    assert "BOT_TOKEN=" in result.stderr
    assert "dabyl practice" in result.stderr
    # ...but it never practises by itself: nothing was created, no practice database.
    assert list(tmp_path.iterdir()) == []
