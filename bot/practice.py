"""Practice mode: the real bot against a fake Telegram on 127.0.0.1, with a web chat.

``dabyl practice`` runs the fake Bot API server (:mod:`fakebotapi`) on a free loopback port,
the unchanged bot against it, and a phone-like web chat on http://127.0.0.1:8080 with one tab
per practice person (an admin, a coordinator, two members and three subscribers) and a
read-only one for the network's alert channel. Nothing leaves the machine: there is no
Telegram token and no real chat id.

Practice never touches the real bot's data: it reads no ``.env`` and no environment variable
(:class:`PracticeSettings`), and it keeps its own database, ``data/practice.sqlite3``, which
starts empty at every run because the fake Telegram's chats do not outlive the process either.

``--drill`` then plays a short scenario through the bot, as the practice people themselves, so
that every tab shows how it came about: a rally, two people detained there (reported by the
members, confirmed by the coordinator, alerted to everyone), a hearing tomorrow, and one
member still at the square with a 20-minute check-in running.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import fcntl
import logging
import secrets
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TextIO
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from bot.accounts import Sender
from bot.app import DabylApplication, build_application, polling
from bot.context import SERVICES_KEY
from bot.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, translator
from bot.logs import configure_logging
from bot.notifier import CONFIRM
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from fakebotapi import FakeBotAPI, FakeUser, SentMessage
from fakebotapi.webchat import Channel, Person, Place, WebChat
from storage.checkins import Checkin
from storage.database import database_files

logger = logging.getLogger("bot.practice")

DATABASE = Path("data/practice.sqlite3")
TIME_ZONE = "Asia/Almaty"
# Loggers that would bury the banner under routine lines (every scheduler job, every start step).
QUIET_LOGGERS = ("apscheduler", "telegram.ext")
HOST = "127.0.0.1"
DEFAULT_PORT = 8080
BOT_USERNAME = "dabyl_practice_bot"
BANNER_WIDTH = 72


@dataclass(frozen=True)
class Persona:
    """A practice person: who they are, their role, and the language of their Telegram app."""

    telegram_id: int
    first_name: str
    last_name: str
    role: Role
    caption: str  # the tab's caption on the page (translated there, so marked with N_)
    language: str

    @property
    def username(self) -> str:
        return f"{self.first_name}_{self.last_name}".lower()


# Fictional people. The admin is the one in ADMIN_IDS; the languages show the three catalogs.
# TRANSLATORS: the practice page's tab captions (role, then the person's first name).
SUBSCRIBER_CAPTION = N_("Subscriber")
ADMIN = Persona(700001, "Aigerim", "Nurlanovna", Role.ADMIN, N_("Admin"), "en")
COORDINATOR = Persona(700002, "Daniyar", "Sarsenbayev", Role.COORDINATOR, N_("Coordinator"), "en")
MEMBER = Persona(700003, "Zhanar", "Tulegenova", Role.MEMBER, N_("Member"), "en")
MEMBER_2 = Persona(700004, "Yerlan", "Abenov", Role.MEMBER, N_("Member"), "ru")
PEOPLE = (
    ADMIN,
    COORDINATOR,
    MEMBER,
    MEMBER_2,
    Persona(700005, "Madina", "Sultanova", Role.SUBSCRIBER, SUBSCRIBER_CAPTION, "en"),
    Persona(700006, "Timur", "Kassymov", Role.SUBSCRIBER, SUBSCRIBER_CAPTION, "ru"),
    Persona(700007, "Saule", "Yermekova", Role.SUBSCRIBER, SUBSCRIBER_CAPTION, "kk"),
)

# The places a practice person can send as their location (approximate public squares and
# buildings in Almaty, the default time zone's city).
# The network's alert channel (ALERT_CHAT_IDS): the bot posts every alert there too.
ALERT_CHANNEL = -1007000000001
CHANNEL_TITLE = "Dabyl alerts (practice)"
# TRANSLATORS: the practice page's tab for the read-only alert channel.
CHANNEL_CAPTION = N_("Alerts")

# The names are translated on the page, so they are marked with N_.
REPUBLIC_SQUARE = N_("Republic Square, Almaty")
COURT = N_("Medeu district court, Almaty")
PLACES = (
    Place(REPUBLIC_SQUARE, 43.2380, 76.9453),
    Place(N_("Astana Square, Almaty"), 43.2567, 76.9286),
    Place(N_("Police department, Medeu district"), 43.2565, 76.9510),
    Place(COURT, 43.2489, 76.9604),
    Place(N_("Temporary detention centre, Almaty"), 43.2720, 76.8960),
)

# The page's own words (the bot's messages are the bot's, in each person's language).
PAGE_TEXTS = {
    "banner": N_("not real Telegram, no real alerts"),
    "connecting": N_("connecting…"),
    "live": N_("live"),
    "reconnecting": N_("reconnecting…"),
    "people": N_("Practice people"),
    "messages": N_("Messages"),
    "share_location": N_("Share a location"),
    "cancel": N_("Cancel"),
    "keyboard": N_("Keyboard"),
    "attach": N_("Attach"),
    "location_menu": N_("Location…"),
    "photo": N_("Photo"),
    "location": N_("Location"),
    "message": N_("Message"),
    "send": N_("Send"),
    "noscript": N_("The practice chat needs JavaScript."),
    "spoiler": N_("Spoiler, press to reveal"),
    "you": N_("You"),
    "bot": N_("Bot"),
    "edited": N_("edited"),
    # TRANSLATORS: keep {count}; shown with a practice person's tab, e.g. "3 unread".
    "unread": N_("{count} unread"),
    "empty": N_("No messages yet. Try /start."),
    "no_contact": N_("Sharing a contact is not available in practice."),
    "no_places": N_("No practice places are set up."),
    # TRANSLATORS: keep {error}.
    "load_failed": N_("Could not load the chat: {error}"),
    # TRANSLATORS: keep {error}.
    "send_failed": N_("Could not send: {error}"),
    "stopped": N_(
        "Practice has stopped. Start it again (make run); this page reconnects by itself."
    ),
    # TRANSLATORS: keep {caption}; the text that goes with the sample photo.
    "photo_caption": N_("Caption: {caption}"),
    "external_link": N_("Opens a real web site outside practice"),
    # TRANSLATORS: small second line of the channel's tab, under its caption.
    "channel_tab": N_("channel"),
    "channel_readonly": N_("Channel: only the bot posts here."),
    "channel_empty": N_("No posts yet. The bot's alerts appear here."),
}


class PracticeSettings(Settings):
    """Settings from the arguments only: no ``.env`` and no environment variable is read, so
    a real token, database or alert channel can never reach practice mode."""

    practice: ClassVar[bool] = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def practice_settings(
    api_url: str, token: str, database: Path = DATABASE, language: str | None = None
) -> Settings:
    """The bot's settings in practice: the fake Telegram, its own database, the practice admin,
    its own alert channel (in ``language``, when everyone practises in one)."""
    return PracticeSettings(
        default_language=language or SOURCE_LANGUAGE,
        bot_token=token,
        telegram_api_url=api_url,
        database_path=database,
        admin_ids=frozenset({ADMIN.telegram_id}),
        alert_chat_ids=frozenset({ALERT_CHANNEL}),
        timezone=ZoneInfo(TIME_ZONE),
    )


def new_token() -> str:
    """A token in @BotFather's shape, new at every run; the fake Telegram accepts only it."""
    return f"{secrets.randbelow(10**9) + 10**9}:{secrets.token_urlsafe(27)}"


def banner(page_url: str, database: Path, *, drill: str = "") -> str:
    """What practice mode prints first: it is practice, where to look, how to run for real.

    ``drill`` is the drill's note (see :func:`drill_note`), empty without a drill.
    """
    lines = [
        "PRACTICE MODE: a fake Telegram on this computer. No real messages, no real alerts.",
        f"Open {page_url} in a browser: one tab for each practice person.",
        f"Practice data: {database.resolve()}",
        "  (emptied at every start; the real database is never used).",
    ]
    if drill:
        lines.append(drill)
    lines += [
        "To run the real bot: cp config.example.env .env, put your BOT_TOKEN from",
        "@BotFather in it, then make run (see README, 'Run the real bot').",
        "Stop with Ctrl-C.",
    ]
    rule = "=" * BANNER_WIDTH
    return "\n".join([rule, *lines, rule])


def drill_note(checkin: Checkin, zone: ZoneInfo) -> str:
    """The banner's line about the drill: what was seeded, and when the check-in runs out."""
    due = checkin.due_at.astimezone(zone).strftime("%H:%M")
    ask = checkin.warn_at.astimezone(zone).strftime("%H:%M") if checkin.warn_at else ""
    asked = f" (asked 'still OK?' at {ask})" if ask else ""
    return (
        "Drill: a rally, two people detained, a hearing tomorrow. "
        f"{MEMBER.first_name}'s check-in\n  runs out at {due}{asked}; "
        "then the coordinators are alerted. See README."
    )


class AlreadyRunning(RuntimeError):
    """Practice mode is already running with this database (another terminal, same folder)."""


def lock_database(path: Path) -> TextIO:
    """Hold ``<database>.lock`` for this run, so a second practice run cannot empty the
    database under the first one; the lock goes with the process, however it ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(Path(f"{path}.lock"), "w")  # noqa: SIM115 (held until stop)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise AlreadyRunning(f"practice mode is already running with {path.resolve()}") from None
    return handle


def is_practice_database(path: Path) -> bool:
    """Whether ``path`` is practice mode's database, which every practice run empties."""
    return path.resolve() == DATABASE.resolve()


def remove_database(path: Path) -> None:
    """Delete the practice database and its journal files: every run starts empty."""
    for file in database_files(path):
        file.unlink(missing_ok=True)


# -- the practice world -----------------------------------------------------------------------
class PracticeWorld:
    """The fake Telegram, the bot and the web chat, started and stopped together."""

    def __init__(
        self, database: Path = DATABASE, port: int = DEFAULT_PORT, language: str | None = None
    ) -> None:
        """``language``: everyone's Telegram app and the page in it; ``None`` mixes the three
        (the page is then in English)."""
        self.database = database
        self.port = port
        self.language = language
        self.token = new_token()
        self.telegram = FakeBotAPI(
            bot_username=BOT_USERNAME, bot_first_name="Dabyl (practice)", token=self.token
        )
        self.people = {
            persona.telegram_id: self.telegram.user(
                persona.telegram_id,
                persona.first_name,
                last_name=persona.last_name,
                username=persona.username,
                language_code=self.language_of(persona),
            )
            for persona in PEOPLE
        }
        self.channel = self.telegram.channel(ALERT_CHANNEL, CHANNEL_TITLE)
        self.application: DabylApplication | None = None
        _ = translator(self.page_language)
        self.webchat = WebChat(
            self.telegram,
            [Person(self.people[p.telegram_id], _(p.caption)) for p in PEOPLE],
            label="PRACTICE",
            places=[Place(_(p.name), p.latitude, p.longitude) for p in PLACES],
            title="Dabyl practice",
            time_zone=TIME_ZONE,
            texts={key: _(text) for key, text in PAGE_TEXTS.items()},
            language=self.page_language,
            channels=[Channel(self.channel, _(CHANNEL_CAPTION))],
        )
        self.page_url = ""
        self.stopped = asyncio.Event()
        self._lock: TextIO | None = None
        self._running = contextlib.AsyncExitStack()

    @property
    def services(self) -> Services:
        assert self.application is not None
        return self.application.bot_data[SERVICES_KEY]

    def person(self, persona: Persona) -> FakeUser:
        return self.people[persona.telegram_id]

    def language_of(self, persona: Persona) -> str:
        """The language of ``persona``'s Telegram app in this run."""
        return self.language or persona.language

    @property
    def page_language(self) -> str:
        return self.language or SOURCE_LANGUAGE

    async def start(self) -> str:
        """Start everything; return the page's address.

        The order keeps a running practice safe: first the lock on the database (a second run
        in the same folder stops there), then the page's port (a busy port stops there), and
        only then is the database emptied and the fake Telegram and the bot started.
        """
        self._lock = lock_database(self.database)
        self.page_url = await self.webchat.start(HOST, self.port)
        remove_database(self.database)
        api = await self.telegram.start(HOST)
        settings = practice_settings(
            self.telegram.base_url, self.token, self.database, self.language
        )
        self.application = build_application(settings, stop=lambda _app: self.stopped.set())
        await self._running.enter_async_context(polling(self.application, poll_timeout=10))
        await self._give_roles()  # before anyone writes: nobody has yet
        logger.info("Practice: fake Telegram on %s, web chat on %s", api, self.page_url)
        return self.page_url

    async def stop(self) -> None:
        """Stop the page, the bot and the fake Telegram (what was started, in reverse)."""
        await self.webchat.stop()
        await self._running.aclose()  # the bot, if it got started
        await self.telegram.stop()
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None

    async def _give_roles(self) -> None:
        """Store the practice people with their roles, as invites would have (the admin is
        also in ADMIN_IDS)."""
        accounts = self.services.accounts
        for persona in PEOPLE:
            sender = Sender(
                persona.telegram_id,
                persona.username,
                persona.first_name,
                self.language_of(persona),
            )
            await accounts.create(sender, persona.role)

    async def say_hello(self) -> None:
        """Everyone sends /help, so each tab opens with who they are and what they may do."""
        for persona in PEOPLE:
            await self.person(persona).send("/help")
            await self.person(persona).expect_reply(timeout=15)

    async def drill(self) -> str:
        """Play the drill's back story through the bot, as the practice people; return when
        every alert it caused was delivered, so the exercise starts from a settled state.
        Returns the banner's note on the drill."""
        await run_drill(self)
        await self.settled()
        checkin = await self.services.checkins.running(MEMBER.telegram_id)
        assert checkin is not None
        return drill_note(checkin, self.services.settings.timezone)

    async def settled(self, within: float = 60) -> None:
        """Wait until no delivery is due (every alert so far reached everyone)."""
        outbox, clock = self.services.outbox, self.services.clock
        async with asyncio.timeout(within):
            # The outbox is the truth; the broadcaster has no event to wait on, so poll it.
            while await outbox.pending_due(clock.now()):  # noqa: ASYNC110
                await asyncio.sleep(0.1)


# -- the drill --------------------------------------------------------------------------------
# Who reports whom, where, and what they saw; each member types in their own language.
DETAINED = (
    (MEMBER, "Marat Ospanov", N_("taken into a police van at the rally")),
    (MEMBER_2, "Asel Nurpeis", N_("detained while holding a placard")),
)
HEARING_FOR = "Marat Ospanov"
CHECKIN_NOTE = N_("still at the rally")
# Long enough to be asked "still OK?" (10 minutes before the end, from 20 minutes on), short
# enough for the alert to reach the coordinators within an exercise.
CHECKIN_MINUTES = 20


async def run_drill(world: PracticeWorld) -> None:
    """A rally: two detentions reported and confirmed, a hearing tomorrow, a check-in running."""
    coordinator = world.person(COORDINATOR)
    for persona, name, details in DETAINED:
        member, _ = world.person(persona), translator(world.language_of(persona))
        await member.send(f"/detained {name}; {_(REPUBLIC_SQUARE)}; {_(details)}")
        await member.expect_reply(timeout=15)  # the receipt
        request = await _wait_for(coordinator, lambda m: _button(m, CONFIRM) is not None)
        confirm = _button(request, CONFIRM)
        assert confirm is not None
        await coordinator.press(request, confirm)
        await coordinator.expect_edit(request, timeout=20)  # confirmed: the alert is queued
    coordinator.mark_read()
    _ = translator(world.language_of(COORDINATOR))
    # TRANSLATORS: typed by the practice coordinator in "/hearing <name>; tomorrow 10:00; ...":
    # use the word for "tomorrow" that the bot reads (завтра, ертең).
    tomorrow = _("tomorrow")
    await coordinator.send(f"/hearing {HEARING_FOR}; {tomorrow} 10:00; {_(COURT)}")
    await coordinator.expect_reply(timeout=15)
    member = world.person(MEMBER)
    _ = translator(world.language_of(MEMBER))
    member.mark_read()
    await member.send(f"/checkin {CHECKIN_MINUTES}m; {_(REPUBLIC_SQUARE)}; {_(CHECKIN_NOTE)}")
    await member.expect_reply(timeout=15)


def _button(message: SentMessage, prefix: str) -> str | None:
    """The label of the message's first inline button whose callback data starts so."""
    for label, data in message.buttons:
        if data and data.startswith(prefix):
            return label
    return None


async def _wait_for(
    person: FakeUser, matches: Callable[[SentMessage], bool], within: float = 20
) -> SentMessage:
    """The next message to ``person`` that ``matches`` (others on the way are skipped)."""
    async with asyncio.timeout(within):
        while True:
            message = await person.expect_reply(timeout=within)
            if matches(message):
                return message


# -- command line -----------------------------------------------------------------------------
def add_command(commands: Any) -> None:
    """``dabyl practice [--drill] [--port N]``."""
    practice = commands.add_parser(
        "practice",
        help="try the bot in a browser with a fake Telegram, no token needed",
        description="Practice mode: the bot and a fake Telegram on this computer, with a web "
        "chat for seven practice people. Uses data/practice.sqlite3, emptied at every start.",
    )
    practice.add_argument(
        "--drill",
        action="store_true",
        help="seed a scenario: a rally, two people detained, a hearing tomorrow",
    )
    practice.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="everyone's Telegram app and the page in this language (default: a mix of all three)",
    )
    practice.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port of the web chat on {HOST} (default {DEFAULT_PORT}; 0 picks a free one)",
    )


def _port(text: str) -> int:
    """A TCP port; 0 picks a free one (the banner then shows which)."""
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(
            "expected a port number from 1 to 65535 (or 0: any free port), like 8081"
        )
    return int(text)


def run_command(args: argparse.Namespace) -> int:
    """Run practice mode until Ctrl-C or SIGTERM; 0 when it stopped cleanly."""
    try:
        return asyncio.run(serve(args.port, drill=args.drill, language=args.lang))
    except KeyboardInterrupt:  # Ctrl-C before serve() took the signal over
        return 130


async def serve(
    port: int,
    *,
    drill: bool = False,
    language: str | None = None,
    database: Path = DATABASE,
) -> int:
    """Start the practice world, print the banner, serve until a signal (or ``/panic``).

    Returns 0 after a clean stop, 2 when it could not start (busy port, already running) and
    130 when stopped before it was ready (Ctrl-C during the start or the drill).
    """
    world = PracticeWorld(database, port, language)
    configure_logging("INFO", [world.token])
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, world.stopped.set)
    logger.info("Dabyl starting in PRACTICE mode (fake Telegram on %s, no real alerts)", HOST)
    try:
        # Ctrl-C must work during the start and the drill too, not only once it is ready.
        bring_up = asyncio.create_task(_bring_up(world, drill))
        stop = asyncio.create_task(world.stopped.wait())
        await asyncio.wait({bring_up, stop}, return_when=asyncio.FIRST_COMPLETED)
        if not bring_up.done():
            bring_up.cancel()
            await asyncio.gather(bring_up, return_exceptions=True)
            return 130
        stop.cancel()
        try:
            note = bring_up.result()
        except (AlreadyRunning, OSError) as error:
            return _cannot_start(error, port)
        print(banner(world.page_url, database, drill=note), flush=True)
        await world.stopped.wait()
    finally:
        await world.stop()
        logger.info("Practice mode stopped")
    return 0


async def _bring_up(world: PracticeWorld, drill: bool) -> str:
    """Start the world, greet everyone, play the drill; the drill's note, or ``""``."""
    await world.start()
    await world.say_hello()
    return await world.drill() if drill else ""


def _cannot_start(error: Exception, port: int) -> int:
    """One clear line for what stops practice mode from starting; 2."""
    if isinstance(error, AlreadyRunning):
        print(f"dabyl: {error}; stop it first (Ctrl-C in its terminal)", file=sys.stderr)
    elif isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        other = port + 1 if port < 65535 else 8081
        print(
            f"dabyl: port {port} on {HOST} is in use; try: dabyl practice --port {other}",
            file=sys.stderr,
        )
    else:
        raise error
    return 2
