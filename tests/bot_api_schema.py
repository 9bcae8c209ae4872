"""The Bot API schema the tests validate every request against.

It is ``$BOT_API_SCHEMA`` or ``../shared/telegram-bot-api/api.min.json`` next to the checkout,
read from there and never copied into the repository. On CI (``CI`` set) a missing schema fails
the run; locally the tests warn once and run without validation.
"""

from __future__ import annotations

import functools
import os
import warnings
from pathlib import Path

from fakebotapi import BotAPISchema, SchemaError, load_schema


def schema_path() -> Path:
    """``$BOT_API_SCHEMA`` or ``<repo>/../shared/telegram-bot-api/api.min.json``."""
    env = os.environ.get("BOT_API_SCHEMA")
    if env:
        return Path(env)
    repo_root = Path(__file__).resolve().parents[1]
    return repo_root.parent / "shared" / "telegram-bot-api" / "api.min.json"


@functools.cache
def bot_api_schema() -> BotAPISchema | None:
    """The schema, or ``None`` (with one warning) when it is missing outside CI."""
    try:
        return load_schema(schema_path())
    except SchemaError as error:
        message = (
            f"{error}. Set BOT_API_SCHEMA or place shared/telegram-bot-api/api.min.json next "
            "to the repository checkout."
        )
        if os.environ.get("CI"):
            raise SchemaError(message) from None
        warnings.warn(message + " Request validation is disabled.", stacklevel=2)
        return None
