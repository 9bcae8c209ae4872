"""Who receives an alert about a person: the one rule, used by reports, hearings, sentences
and reminders."""

from __future__ import annotations

from bot.roles import Role
from bot.settings import Settings
from storage.users import UserRepository


class Audience:
    """Subscribers who get alerts about a person, plus the alert channels when public."""

    def __init__(self, users: UserRepository, settings: Settings) -> None:
        self._users = users
        self._settings = settings

    async def about(self, person_id: int | None, *, private: bool = False) -> list[int]:
        """Chat ids for an alert about ``person_id`` (None: everyone subscribed).

        ``private`` (health details not published) narrows it to members and up, without the
        alert channels, which anyone may read.
        """
        readers = Role.MEMBER if private else Role.SUBSCRIBER
        recipients = await self._users.alert_recipients(person_id, readers)
        chats = [] if private else sorted(self._settings.alert_chat_ids)
        return [*recipients, *chats]
