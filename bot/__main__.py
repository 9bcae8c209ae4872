"""Run the bot: ``python -m bot`` or ``dabyl run``; ``dabyl backup`` and ``dabyl restore``."""

from __future__ import annotations

import argparse
import logging
import sys

from pydantic import ValidationError
from telegram import Update

from bot import backup
from bot.app import build_application
from bot.logs import configure_logging
from bot.settings import Settings, describe_errors
from bot.webhook import webhook_options

logger = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    """Load the settings, then poll Telegram (or serve its webhook) until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="dabyl", description="Dabyl alerting bot")
    commands = parser.add_subparsers(dest="command", metavar="{run,backup,restore}")
    commands.add_parser("run", help="run the bot (the default)")
    backup.add_commands(commands)
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for line in describe_errors(error):
            print(f"dabyl: configuration error: {line}", file=sys.stderr)
        return 2
    if args.command in ("backup", "restore"):
        return backup.run_command(args, settings)
    secrets = [settings.bot_token.get_secret_value()]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
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
