"""The callback context the handlers receive: services, the sender as the bot knows them, words."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator, translator
from bot.services import Services
from storage.users import User

SERVICES_KEY = "services"


class DabylContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB builds one context per update, so the gate can leave the sender on it for handlers."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.actor: User | None = None

    @property
    def services(self) -> Services:
        services: Services = self.bot_data[SERVICES_KEY]
        return services

    @property
    def tr(self) -> Translator:
        """The translator for the sender's language (the default language for strangers)."""
        language = self.actor.language if self.actor else None
        return translator(language or self.services.settings.default_language)
