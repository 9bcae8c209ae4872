"""The services the handlers call, built once from the settings, the clock and the database."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access import AccessService
from bot.accounts import AccountService
from bot.clock import Clock
from bot.invites import InviteService
from bot.settings import Settings
from storage.audit import AuditRepository
from storage.database import Database
from storage.invites import InviteRepository
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

    @classmethod
    def build(cls, settings: Settings, clock: Clock, db: Database) -> Services:
        users = UserRepository(db)
        audit = AuditRepository(db)
        accounts = AccountService(users, audit, settings, clock)
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            users=users,
            audit=audit,
            accounts=accounts,
            access=AccessService(audit, clock),
            invites=InviteService(InviteRepository(db), users, accounts, audit, settings, clock),
        )
