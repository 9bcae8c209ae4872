"""The command table: each command, the lowest role that may use it, and its help line.

This table is the one place where access is decided (see :mod:`bot.access`); the help text and the
Telegram command menu are rendered from it too, so they can never disagree with what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_
from bot.roles import Role


@dataclass(frozen=True, slots=True)
class Command:
    """A bot command."""

    name: str
    role: Role
    description: str  # message id, translated when shown
    usage: str = ""  # message id of the argument format, e.g. "member|coordinator"
    # /help and the menu show the command from this role on (None: from ``role``). For a command
    # allowed to more people than it concerns, such as /safe.
    listed_from: Role | None = None

    @property
    def listed(self) -> Role:
        """The lowest role whose /help and menu show this command."""
        return self.role if self.listed_from is None else self.listed_from


COMMANDS: tuple[Command, ...] = (
    Command("start", Role.NONE, N_("Register, or redeem an invite")),
    Command("help", Role.NONE, N_("What you can do here")),
    Command(
        "guide",
        Role.NONE,
        N_("What to do if you or a friend are detained"),
        N_("[detained|friend]"),
    ),
    Command("forget", Role.NONE, N_("Delete your account")),
    Command("lang", Role.SUBSCRIBER, N_("Language: Қазақша, Русский, English"), N_("[kk|ru|en]")),
    Command("subscribe", Role.SUBSCRIBER, N_("Receive alerts")),
    Command("unsubscribe", Role.SUBSCRIBER, N_("Stop receiving alerts")),
    Command("follow", Role.SUBSCRIBER, N_("Follow a person"), N_("<name>")),
    Command("unfollow", Role.SUBSCRIBER, N_("Stop following a person"), N_("<name>")),
    Command("following", Role.SUBSCRIBER, N_("The people you follow")),
    Command(
        "alerts",
        Role.SUBSCRIBER,
        N_("Every alert, or only about people you follow"),
        N_("all|followed"),
    ),
    Command("cancel", Role.SUBSCRIBER, N_("Leave the current step")),
    Command("report", Role.MEMBER, N_("Report step by step, with buttons")),
    Command("detained", Role.MEMBER, N_("Report a detention"), N_("<name>; <place>[; <details>]")),
    Command("released", Role.MEMBER, N_("Report a release"), N_("<name>[; <details>]")),
    Command("health", Role.MEMBER, N_("Report on someone's health"), N_("<name>; <details>")),
    Command(
        "checkin",
        Role.MEMBER,
        N_("Alert the coordinators unless you check in by then"),
        N_("[<duration or time>[; <where>; <note>]]"),
    ),
    # Anyone may end their own check-in: a member demoted (/revoke) while it runs would
    # otherwise set off the alert although safe. Without a check-in the answer is "none
    # running"; a burned person never gets past the gate. Listed only where /checkin is.
    Command("safe", Role.NONE, N_("End your check-in: you are safe"), listed_from=Role.MEMBER),
    Command("checkins", Role.COORDINATOR, N_("Running check-ins and unanswered check-in alerts")),
    Command("verify", Role.COORDINATOR, N_("Confirm a report"), N_("<report id>")),
    Command("reject", Role.COORDINATOR, N_("Reject a report"), N_("<report id>[; <reason>]")),
    Command(
        "retract",
        Role.COORDINATOR,
        N_("Withdraw a sent report with a correction"),
        N_("<report id>; <reason>"),
    ),
    Command("broadcast", Role.COORDINATOR, N_("Send a free-text alert"), N_("<text>")),
    Command("upcoming", Role.SUBSCRIBER, N_("Hearings and releases ahead"), N_("[days]")),
    Command("status", Role.SUBSCRIBER, N_("Someone's status, or the overview"), N_("[name]")),
    Command("person", Role.SUBSCRIBER, N_("Someone's case file"), N_("<name>")),
    Command("custody", Role.SUBSCRIBER, N_("Everyone in custody")),
    Command("find", Role.SUBSCRIBER, N_("Find people by name, in any script"), N_("<name>")),
    Command("history", Role.SUBSCRIBER, N_("Someone's full timeline"), N_("<name>")),
    Command("attend", Role.SUBSCRIBER, N_("Say you will be at a hearing"), N_("<hearing id>")),
    Command("unattend", Role.SUBSCRIBER, N_("Take that back"), N_("<hearing id>")),
    Command("calendar", Role.SUBSCRIBER, N_("Hearings and releases as a calendar file")),
    Command("digest", Role.SUBSCRIBER, N_("The daily digest on or off"), N_("on|off")),
    Command(
        "hearing",
        Role.COORDINATOR,
        N_("Record a hearing"),
        N_("<name>; <date and time>; <court or place>[; notes]"),
    ),
    Command("hearings", Role.COORDINATOR, N_("Upcoming hearings with ids"), N_("[name]")),
    Command(
        "move_hearing",
        Role.COORDINATOR,
        N_("Move a hearing"),
        N_("<hearing id>; <new date and time>"),
    ),
    Command("cancel_hearing", Role.COORDINATOR, N_("Cancel a hearing"), N_("<hearing id>")),
    Command(
        "sentence",
        Role.COORDINATOR,
        N_("Record a sentence and its release date"),
        N_("<name>; <term>[; <start date>][; credit <N> days]"),
    ),
    Command("set", Role.COORDINATOR, N_("Edit a case file"), N_("<name>; <field>; <value>")),
    Command(
        "export",
        Role.COORDINATOR,
        N_("Events as CSV and JSON"),
        N_("[<from>; <to>][; with reporters]"),
    ),
    Command(
        "release_date", Role.COORDINATOR, N_("Set or correct a release date"), N_("<name>; <date>")
    ),
    Command(
        "invite",
        Role.COORDINATOR,
        N_("Invite a member (admins: a coordinator)"),
        N_("member|coordinator"),
    ),
    Command(
        "revoke", Role.COORDINATOR, N_("Take someone's role away"), N_("<user id or @username>")
    ),
    Command(
        "burn",
        Role.COORDINATOR,
        N_("A seized phone: drop the person at once, silently"),
        N_("<user id or @username>"),
    ),
    Command("members", Role.COORDINATOR, N_("List members and coordinators")),
    Command(
        "stats", Role.COORDINATOR, N_("Detentions, releases and hearings per week"), N_("[months]")
    ),
    Command("audit", Role.ADMIN, N_("The latest audit log entries"), N_("[n]")),
    Command("panic", Role.ADMIN, N_("Delete the database and stop the bot"), N_("[confirm]")),
)

BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


def required_role(name: str) -> Role | None:
    """The lowest role allowed to run ``/name``, or None for a command the bot does not have."""
    command = BY_NAME.get(name.lower())
    return command.role if command else None


def commands_for(role: Role) -> list[Command]:
    """The commands /help and the menu show a person with ``role``, in menu order."""
    return [command for command in COMMANDS if command.listed <= role]


# Inline-button presses are checked like the command they stand for.
CALLBACK_COMMANDS: dict[str, str] = {
    "verify:": "verify",
    "report:": "report",
    "release:": "release_date",  # "Was she released?" buttons: coordinators
    "history:": "history",
    "guide:": "guide",
    "lang:": "lang",
    "pick:": "status",  # "Which one do you mean?" under /status, /person and /history
    "name:": "report",  # "Did you mean someone already known?" before a report or hearing
    "checkin:safe:": "safe",  # "I'm safe" under a check-in's confirmation and question: anyone
    "checkin:report:": "verify",  # "Report as detained" under a check-in alert: coordinators
    "forget:": "forget",  # Delete / Keep under /forget
}


def command_for_callback(data: str) -> str | None:
    """The command whose role a button press with ``data`` needs (None: unknown button)."""
    return next(
        (name for prefix, name in CALLBACK_COMMANDS.items() if data.startswith(prefix)), None
    )
