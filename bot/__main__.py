"""Run the bot: ``python -m bot`` or ``dabyl run``; ``dabyl practice``, ``dabyl backup`` and
``dabyl restore``.

``python -m bot`` (``run``) never falls back to practice mode: with no token, or a token file it
cannot read, it stops with an error, so a production deployment with a typo cannot quietly run
a practice bot. Only ``dabyl practice`` (which ``make run`` chooses when nothing at all is
configured) starts practice mode.
"""

from __future__ import annotations

import argparse
import logging
import sys
from urllib.parse import urlsplit

from pydantic import ValidationError
from telegram import Update

from bot import backup, practice
from bot.app import build_application
from bot.logs import configure_logging
from bot.settings import Settings, describe_errors
from bot.webhook import webhook_options

logger = logging.getLogger("bot")

NO_TOKEN_HINT = (
    "dabyl: put the token from @BotFather in .env as BOT_TOKEN=... (see config.example.env), or "
    "give BOT_TOKEN_FILE.\n"
    "dabyl: to try the bot without Telegram, run practice mode instead: dabyl practice"
)


def _host(api_url: str) -> str:
    """Where the Bot API is, for the start-up line: its host, never the path with the token."""
    return urlsplit(api_url).netloc or api_url


def main(argv: list[str] | None = None) -> int:
    """Load the settings, then poll Telegram (or serve its webhook) until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="dabyl", description="Dabyl alerting bot")
    commands = parser.add_subparsers(dest="command", metavar="{run,practice,backup,restore}")
    commands.add_parser("run", help="run the bot (the default)")
    practice.add_command(commands)
    backup.add_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "practice":
        return practice.run_command(args)
    try:
        settings = Settings()
    except ValidationError as error:
        for line in describe_errors(error):
            print(f"dabyl: configuration error: {line}", file=sys.stderr)
        if any(line.startswith("BOT_TOKEN: is required") for line in describe_errors(error)):
            print(NO_TOKEN_HINT, file=sys.stderr)
        return 2
    if practice.is_practice_database(settings.database_path):
        print(
            f"dabyl: configuration error: DATABASE_PATH: {settings.database_path} is practice "
            "mode's database, which every practice run empties; choose another file",
            file=sys.stderr,
        )
        return 2
    if args.command in ("backup", "restore"):
        return backup.run_command(args, settings)
    secrets = [settings.bot_token.get_secret_value()]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
    logger.info(
        "Dabyl starting: the real bot on %s (%s), database %s",
        _host(settings.telegram_api_url),
        "webhook" if settings.webhook_url else "long polling",
        settings.database_path,
    )
    application = build_application(settings)
    # run_polling and run_webhook handle SIGINT and SIGTERM: they stop receiving updates, run
    # post_shutdown, and return.
    if settings.webhook_url:
        logger.info(
            "Webhook mode: listening on %s:%d", settings.webhook_listen, settings.webhook_port
        )
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    logger.info("Dabyl stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
