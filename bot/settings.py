"""Settings: one typed object, created once at start and passed in."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.dates import parse_offset, parse_offsets

# Secrets that may come from a file instead (Docker secrets): the variable and its *_FILE twin.
SECRET_FILES = {"bot_token": "bot_token_file", "webhook_secret": "webhook_secret_file"}


def _is_set(value: object) -> bool:
    """Whether a raw setting was given: an empty ``NAME=`` line counts as not set."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return value is not None and str(value).strip() != ""


def _read_secret_file(variable: str, path: object) -> str:
    """The stripped contents of a secret file, or a one-line error that never quotes them."""
    try:
        return Path(str(path).strip()).read_text(encoding="utf-8").strip()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ValueError(f"{variable.upper()}: cannot read {str(path).strip()}: {reason}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{variable.upper()}: {str(path).strip()} is not UTF-8 text") from None


def parse_duration(text: str) -> timedelta:
    """A single duration such as ``30m``, ``2h``, ``48h`` or ``7d`` (see :mod:`bot.dates`)."""
    return parse_offset(text)


class Settings(BaseSettings):
    """Every setting of the bot; see config.example.env for what each one means."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    # True only in practice mode's own settings (bot/practice.py), never from the environment:
    # calendars and exports made there say PRACTICE.
    practice: ClassVar[bool] = False

    bot_token: SecretStr
    telegram_api_url: str = "https://api.telegram.org/bot"
    database_path: Path = Path("data/dabyl.sqlite3")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    timezone: ZoneInfo = ZoneInfo("Asia/Almaty")
    default_language: Literal["kk", "ru", "en"] = "en"
    open_subscriptions: bool = True
    broadcast_rate: float = Field(default=25, gt=0, le=30)
    paid_broadcast: bool = False
    invite_ttl: timedelta = timedelta(hours=48)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    verification: Literal["coordinator", "second-person", "off"] = "coordinator"
    verify_escalate_after: timedelta = timedelta(minutes=10)
    alert_chat_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    hearing_reminders: Annotated[tuple[timedelta, ...], NoDecode] = (
        timedelta(hours=24),
        timedelta(hours=1),
    )
    release_reminders: Annotated[tuple[timedelta, ...], NoDecode] = (
        timedelta(days=7),
        timedelta(days=1),
        timedelta(hours=3),
    )
    digest_time: Annotated[time | None, NoDecode] = time(8, 0)
    # Reports older than this lose their reporter; people who left and were not seen for this
    # long are deleted (bot/retention.py).
    retention_days: int = Field(default=180, ge=1)
    # Messages and button presses one person may send per minute; the excess is ignored.
    commands_per_minute: int = Field(default=20, ge=1, le=1000)
    # Files holding BOT_TOKEN / WEBHOOK_SECRET instead (Docker secrets); read in _secret_files.
    bot_token_file: Path | None = None
    webhook_secret_file: Path | None = None
    # Webhook mode: set WEBHOOK_URL and Telegram posts updates to it instead of being polled.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    @model_validator(mode="before")
    @classmethod
    def _secret_files(cls, data: Any) -> Any:
        """Read BOT_TOKEN_FILE and WEBHOOK_SECRET_FILE into BOT_TOKEN and WEBHOOK_SECRET."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        problems = []
        for variable, file_variable in SECRET_FILES.items():
            path = data.get(file_variable)
            if not _is_set(path):
                data[file_variable] = None
                continue
            if _is_set(data.get(variable)):
                problems.append(
                    f"{file_variable.upper()}: set either {variable.upper()} or "
                    f"{file_variable.upper()}, not both"
                )
                continue
            try:
                data[variable] = _read_secret_file(file_variable, path)
            except ValueError as error:
                problems.append(str(error))
        if problems:
            # One line per variable; describe_errors splits them again.
            raise ValueError("\n".join(problems))
        return data

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET: is required when WEBHOOK_URL is set (or give WEBHOOK_SECRET_FILE)"
            )
        return self

    @property
    def webhook_path(self) -> str:
        """The path the webhook server listens on: WEBHOOK_URL's own path, never the token.

        A reverse proxy terminating TLS then forwards requests with their path unchanged.
        """
        return urlsplit(self.webhook_url or "").path.strip("/")

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        # Checked for shape only; the value never appears in an error message.
        if isinstance(value, str) and not re.fullmatch(
            r"\d{1,20}:[A-Za-z0-9_-]{20,}", value.strip()
        ):
            raise ValueError("expected the token from @BotFather, like 123456789:AAH...")
        return value.strip() if isinstance(value, str) else value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        # Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -; at least 32 here so it
        # cannot be guessed. Like the token, the value never appears in an error message.
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not re.fullmatch(r"[A-Za-z0-9_-]{32,256}", value):
                raise ValueError("expected 32 to 256 random characters from A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            # Telegram delivers updates only to https URLs (ports 443, 80, 88 or 8443).
            if not re.fullmatch(r"https://[^\s/?#@]+(/[^\s?#]*)?", value):
                raise ValueError(
                    "expected an https URL without query, like https://bot.example.org/dabyl"
                )
        return value

    @field_validator("webhook_listen", mode="before")
    @classmethod
    def _listen(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not re.fullmatch(r"[A-Za-z0-9.:_-]+", value):
                raise ValueError("expected an address to listen on, like 127.0.0.1 or 0.0.0.0")
        return value

    @field_validator("admin_ids", "alert_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d+", p) for p in parts):
                raise ValueError("expected comma-separated numeric Telegram ids")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("timezone", mode="before")
    @classmethod
    def _zone(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError("expected an IANA time zone name like Asia/Almaty") from None
        return value

    @field_validator("invite_ttl", "verify_escalate_after", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("hearing_reminders", "release_reminders", mode="before")
    @classmethod
    def _offsets(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_offsets(value) if value.strip() else ()
        return value

    @field_validator("digest_time", mode="before")
    @classmethod
    def _clock_time(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            match = re.fullmatch(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*", value)
            if not match:
                raise ValueError("expected a time like 08:00, or nothing to turn the digest off")
            return time(int(match.group(1)), int(match.group(2)))
        return value

    @field_validator("verification", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://\S+$", value):
            raise ValueError("expected an http(s) URL like https://api.telegram.org/bot")
        return value


def describe_errors(error: ValidationError) -> list[str]:
    """Turn a settings validation error into one line per bad variable.

    Args:
        error: what pydantic raised while reading the settings.

    Returns:
        Lines like ``INVITE_TTL: expected a duration like 30m, 2h, 48h or 7d``;
        they never contain the rejected value, which might be a secret.
    """
    lines: list[str] = []
    for item in error.errors():
        if not item["loc"]:
            # A model validator's own message already names its variables, one a line.
            lines.extend(item["msg"].removeprefix("Value error, ").splitlines())
            continue
        name = str(item["loc"][0]).upper() if item["loc"] else "settings"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required"
        lines.append(f"{name}: {message}")
    return lines
