"""Secrets from files (Docker secrets) and the webhook settings: one clear line, no value shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.settings import Settings, describe_errors

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
SECRET = "Zq3_vB8-kT1nW6yR0pLs4XcJ9hGd2MfA"  # 32 characters of Telegram's alphabet
URL = "https://bot.example.org/dabyl/updates"


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def error_lines(**values: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        settings(**values)
    return describe_errors(caught.value)


def secret_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_token_is_read_from_its_file_and_stripped(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "bot_token", f"  {TOKEN}\n")
    loaded = settings(bot_token_file=str(path))
    assert loaded.bot_token.get_secret_value() == TOKEN


def test_webhook_secret_is_read_from_its_file(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "webhook_secret", SECRET + "\n")
    loaded = settings(bot_token=TOKEN, webhook_url=URL, webhook_secret_file=str(path))
    assert loaded.webhook_secret is not None
    assert loaded.webhook_secret.get_secret_value() == SECRET


def test_an_empty_variable_next_to_its_file_counts_as_unset(tmp_path: Path) -> None:
    # config.example.env has "BOT_TOKEN=": copying it and adding BOT_TOKEN_FILE must work.
    path = secret_file(tmp_path, "bot_token", TOKEN)
    loaded = settings(bot_token="", bot_token_file=str(path), webhook_secret_file="")
    assert loaded.bot_token.get_secret_value() == TOKEN
    assert loaded.webhook_secret_file is None


def test_token_and_token_file_together_are_refused(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "bot_token", TOKEN)
    lines = error_lines(bot_token=TOKEN, bot_token_file=str(path))
    assert lines == ["BOT_TOKEN_FILE: set either BOT_TOKEN or BOT_TOKEN_FILE, not both"]


def test_secret_and_secret_file_together_are_refused(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "webhook_secret", SECRET)
    lines = error_lines(
        bot_token=TOKEN, webhook_url=URL, webhook_secret=SECRET, webhook_secret_file=str(path)
    )
    assert lines == [
        "WEBHOOK_SECRET_FILE: set either WEBHOOK_SECRET or WEBHOOK_SECRET_FILE, not both"
    ]


def test_a_missing_file_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    lines = error_lines(bot_token_file=str(missing))
    assert lines == [f"BOT_TOKEN_FILE: cannot read {missing}: No such file or directory"]


def test_a_directory_or_unreadable_file_is_one_line(tmp_path: Path) -> None:
    lines = error_lines(bot_token=TOKEN, webhook_secret_file=str(tmp_path))
    assert len(lines) == 1
    assert lines[0].startswith(f"WEBHOOK_SECRET_FILE: cannot read {tmp_path}: ")


def test_both_bad_files_give_one_line_each(tmp_path: Path) -> None:
    lines = error_lines(
        bot_token_file=str(tmp_path / "no_token"), webhook_secret_file=str(tmp_path / "no_secret")
    )
    assert [line.split(":")[0] for line in lines] == ["BOT_TOKEN_FILE", "WEBHOOK_SECRET_FILE"]


def test_a_file_with_a_malformed_token_does_not_echo_it(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "bot_token", "oops-this-is-not-a-token")
    lines = error_lines(bot_token_file=str(path))
    assert lines == ["BOT_TOKEN: expected the token from @BotFather, like 123456789:AAH..."]
    assert "oops" not in lines[0]


def test_a_binary_file_is_refused_without_quoting_it(tmp_path: Path) -> None:
    path = tmp_path / "bot_token"
    path.write_bytes(b"\xff\xfe\x00secret")
    assert error_lines(bot_token_file=str(path)) == [f"BOT_TOKEN_FILE: {path} is not UTF-8 text"]


def test_polling_is_the_default() -> None:
    loaded = settings(bot_token=TOKEN)
    assert loaded.webhook_url is None
    assert loaded.webhook_secret is None
    assert (loaded.webhook_listen, loaded.webhook_port) == ("127.0.0.1", 8443)


def test_webhook_url_requires_a_secret() -> None:
    assert error_lines(bot_token=TOKEN, webhook_url=URL) == [
        "WEBHOOK_SECRET: is required when WEBHOOK_URL is set (or give WEBHOOK_SECRET_FILE)"
    ]


@pytest.mark.parametrize(
    "secret",
    [
        "short_but_valid_chars",  # fewer than 32
        "Zq3_vB8-kT1nW6yR0pLs4XcJ9hGd2M f",  # a space
        "Zq3_vB8-kT1nW6yR0pLs4XcJ9hGd2Mf=",  # outside Telegram's alphabet
        "Zq3_vB8-kT1nW6yR0pLs4XcJ9hGd2MfA" * 9,  # longer than Telegram's 256
    ],
)
def test_a_weak_or_malformed_secret_is_refused_without_echo(secret: str) -> None:
    lines = error_lines(bot_token=TOKEN, webhook_url=URL, webhook_secret=secret)
    assert lines == [
        "WEBHOOK_SECRET: expected 32 to 256 random characters from A-Z, a-z, 0-9, _ and -"
    ]


@pytest.mark.parametrize(
    "url",
    ["http://bot.example.org/dabyl", "bot.example.org", "https://bot.example.org/x?token=1"],
)
def test_webhook_url_must_be_https_without_query(url: str) -> None:
    lines = error_lines(bot_token=TOKEN, webhook_url=url, webhook_secret=SECRET)
    assert lines == [
        "WEBHOOK_URL: expected an https URL without query, like https://bot.example.org/dabyl"
    ]


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.org/dabyl/updates", "dabyl/updates"),
        ("https://bot.example.org/hook/", "hook"),
        ("https://bot.example.org", ""),
    ],
)
def test_webhook_path_is_the_urls_own_path_never_the_token(url: str, path: str) -> None:
    loaded = settings(bot_token=TOKEN, webhook_url=url, webhook_secret=SECRET)
    assert loaded.webhook_path == path
    assert TOKEN.split(":")[1] not in loaded.webhook_path


@pytest.mark.parametrize(("field", "value"), [("webhook_port", "0"), ("webhook_port", "70000")])
def test_webhook_port_is_a_port(field: str, value: str) -> None:
    lines = error_lines(bot_token=TOKEN, **{field: value})
    assert len(lines) == 1
    assert lines[0].startswith("WEBHOOK_PORT: ")


def test_start_up_with_an_unreadable_token_file_prints_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "run" / "secrets" / "bot_token"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN_FILE": str(missing),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"dabyl: configuration error: BOT_TOKEN_FILE: cannot read {missing}: "
        "No such file or directory\n"
    )
