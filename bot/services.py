"""The services the handlers call, built once from the settings, the clock and the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot

from bot.access import AccessService
from bot.accounts import AccountService
from bot.agenda import AgendaService
from bot.broadcaster import Broadcaster, make_sender_bot, summary_sender
from bot.burn import BurnService
from bot.casefile import CaseFileService
from bot.checkins import CheckinService
from bot.clock import Clock
from bot.court import Court
from bot.directory import PeopleDirectory
from bot.export import ExportService
from bot.flood import FloodGuard
from bot.following import FollowService
from bot.hearings import HearingService
from bot.invites import InviteService
from bot.notifier import TelegramNotifier
from bot.panic import PanicService
from bot.release_check import TelegramReleaseAsker
from bot.reminders import ReminderService
from bot.reports import ReportService
from bot.retention import RetentionService
from bot.sentences import SentenceService
from bot.settings import Settings
from storage.audit import AuditRepository
from storage.checkins import CheckinRepository
from storage.database import Database
from storage.follows import FollowRepository
from storage.hearings import HearingRepository
from storage.invites import InviteRepository
from storage.outbox import OutboxRepository
from storage.people import PeopleRepository
from storage.reminders import ReminderRepository
from storage.reports import ReportRepository
from storage.retention import RetentionRepository
from storage.sentences import BotStateRepository, SentenceRepository
from storage.stats import StatsRepository
from storage.timeline import EventLog, TimelineRepository
from storage.updates import UpdateLog
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
    people: PeopleRepository
    reports: ReportService
    following: FollowService
    updates: UpdateLog
    reminders: ReminderService
    checkins: CheckinService
    hearings: HearingService
    sentences: SentenceService
    agenda: AgendaService
    casefiles: CaseFileService
    directory: PeopleDirectory
    exports: ExportService
    retention: RetentionService
    flood: FloodGuard
    burns: BurnService
    panic: PanicService

    @classmethod
    def build(
        cls,
        settings: Settings,
        clock: Clock,
        db: Database,
        sender_bot: Bot | None = None,
        app_bot: Bot | None = None,
        stop_application: Callable[[], None] | None = None,
    ) -> Services:
        """Build every service.

        Args:
            sender_bot: sends alerts (default: :func:`make_sender_bot`).
            app_bot: the application's bot, for replies outside an update (verification
                requests and outcomes); defaults to ``sender_bot``.
            stop_application: ends the bot after ``/panic`` (``bot/app.py`` passes the
                application's ``stop_running``); by default ``/panic`` stops nothing.
        """
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
            on_complete=summary_sender(sender_bot, settings, users),
        )
        people = PeopleRepository(db)
        directory = PeopleDirectory(people)
        report_records = ReportRepository(db)
        hearing_records = HearingRepository(db)
        bot = app_bot or sender_bot
        notifier = TelegramNotifier(bot, report_records, people, users, settings)
        wake = broadcaster.wake
        reminders = ReminderService(
            db,
            ReminderRepository(db),
            hearing_records,
            people,
            users,
            outbox,
            settings,
            clock,
            wake_sender=wake,
            asker=TelegramReleaseAsker(bot, users, settings),
        )
        reports = ReportService(
            db,
            report_records,
            people,
            users,
            outbox,
            settings,
            clock,
            wake_sender=wake,
            notifier=notifier,
            reminders=reminders,
            audit=audit,
        )
        court = Court(
            db, people, users, outbox, reminders, settings, clock, wake_sender=wake, audit=audit
        )
        invite_records = InviteRepository(db)
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            users=users,
            audit=audit,
            accounts=accounts,
            access=AccessService(audit, clock),
            invites=InviteService(invite_records, users, accounts, audit, settings, clock),
            outbox=outbox,
            broadcaster=broadcaster,
            people=people,
            reports=reports,
            following=FollowService(directory, FollowRepository(db), users, clock),
            updates=UpdateLog(db),
            reminders=reminders,
            checkins=CheckinService(
                db, CheckinRepository(db), users, outbox, settings, clock, wake_sender=wake
            ),
            hearings=HearingService(court, hearing_records),
            sentences=SentenceService(court, SentenceRepository(db)),
            agenda=AgendaService(
                hearing_records,
                people,
                report_records,
                users,
                outbox,
                BotStateRepository(db),
                StatsRepository(db),
                TimelineRepository(db),
                settings,
                clock,
                wake_sender=wake,
            ),
            casefiles=CaseFileService(
                people,
                hearing_records,
                report_records,
                TimelineRepository(db),
                audit,
                settings,
                clock,
                directory,
            ),
            exports=ExportService(EventLog(db), audit, settings, clock),
            burns=BurnService(
                db, users, invite_records, outbox, hearing_records, audit, clock, wake_sender=wake
            ),
            panic=PanicService(
                db, broadcaster, settings.database_path, clock, stop_application or (lambda: None)
            ),
            retention=RetentionService(RetentionRepository(db), audit, settings, clock),
            flood=FloodGuard(settings.commands_per_minute, timedelta(minutes=1), clock),
            directory=directory,
        )
