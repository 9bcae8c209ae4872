"""Webhook mode: how the webhook server starts, for ``python -m bot`` and the tests alike."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.settings import Settings


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for ``Application.run_webhook`` and ``Updater.start_webhook``.

    Args:
        settings: with ``webhook_url`` and ``webhook_secret`` set.

    Returns:
        Keyword arguments: listen on WEBHOOK_LISTEN:WEBHOOK_PORT at WEBHOOK_URL's own path
        (never the token), register WEBHOOK_URL with Telegram, and have the server refuse (403)
        every request whose ``X-Telegram-Bot-Api-Secret-Token`` header is not WEBHOOK_SECRET.
    """
    if not settings.webhook_url or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": settings.webhook_path,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret.get_secret_value(),
        "allowed_updates": Update.ALL_TYPES,
        # Updates Telegram queued while the bot was down are still handled, as when polling.
        "drop_pending_updates": False,
    }
