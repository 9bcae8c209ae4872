"""Run the bot: ``python -m bot`` or ``dabyl run``."""

from __future__ import annotations

import argparse
import logging
import sys

from pydantic import ValidationError
from telegram import Update

from bot.app import build_application
from bot.logs import configure_logging
from bot.settings import Settings, describe_errors

logger = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    """Load the settings, then poll Telegram until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="dabyl", description="Dabyl alerting bot")
    parser.add_argument("command", nargs="?", default="run", choices=["run"])
    parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for line in describe_errors(error):
            print(f"dabyl: configuration error: {line}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, [settings.bot_token.get_secret_value()])
    application = build_application(settings)
    # run_polling handles SIGINT and SIGTERM: it stops polling, runs post_shutdown, returns.
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    logger.info("Dabyl stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
