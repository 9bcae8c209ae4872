"""The services the handlers call, built once from the settings, the clock and the database."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot

from bot.access import AccessService
from bot.accounts import AccountService
from bot.broadcaster import Broadcaster, make_sender_bot, summary_sender
from bot.clock import Clock
from bot.invites import InviteService
from bot.settings import Settings
from storage.audit import AuditRepository
from storage.database import Database
from storage.invites import InviteRepository
from storage.outbox import OutboxRepository
from storage.users import UserRepository


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a handler may call, and what it needs to close at shutdown."""

    settings: Settings
    clock: Clock
    db: Database
    users: UserRepository
    audit: AuditRepository
    accounts: AccountService
    access: AccessService
    invites: InviteService
    outbox: OutboxRepository
    broadcaster: Broadcaster  # started in post_init, stopped in post_shutdown

    @classmethod
    def build(
        cls, settings: Settings, clock: Clock, db: Database, sender_bot: Bot | None = None
    ) -> Services:
        """Build every service; ``sender_bot`` (default: :func:`make_sender_bot`) sends alerts."""
        users = UserRepository(db)
        audit = AuditRepository(db)
        accounts = AccountService(users, audit, settings, clock)
        outbox = OutboxRepository(db)
        sender_bot = sender_bot or make_sender_bot(settings)
        broadcaster = Broadcaster(
            outbox,
            users,
            sender_bot,
            settings,
            clock,
            on_complete=summary_sender(sender_bot, settings),
        )
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            users=users,
            audit=audit,
            accounts=accounts,
            access=AccessService(audit, clock),
            invites=InviteService(InviteRepository(db), users, accounts, audit, settings, clock),
            outbox=outbox,
            broadcaster=broadcaster,
        )
