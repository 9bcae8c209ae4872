"""A fake Telegram Bot API server with simulated people: the end-to-end tests' Telegram, and
the one practice mode (``dabyl practice``) runs on 127.0.0.1.

Standalone: depends only on the standard library and aiohttp.

Example::

    server = FakeBotAPI(bot_username="dabyl_test_bot", schema="api.min.json")  # validates
    url = await server.start()  # bot: ApplicationBuilder().base_url(f"{url}/bot")
    alice = server.user(1001, "Aigerim", username="aigerim_n", language_code="en")
    await alice.send("/start")
    reply = await alice.expect_reply(timeout=5)
    await alice.press(reply, "Send")
    server.assert_clean()  # no invalid Bot API calls were made
    await server.stop()
"""

from .limits import ServerStats
from .people import FakeChannel, FakeChat, FakeGroup, FakeUser
from .schema import BotAPISchema, SchemaError, UploadedFile, load_schema
from .server import FakeBotAPI
from .state import CallbackAnswer, SentMessage, StoredFile

__all__ = [
    "BotAPISchema",
    "CallbackAnswer",
    "FakeBotAPI",
    "FakeChannel",
    "FakeChat",
    "FakeGroup",
    "FakeUser",
    "SchemaError",
    "SentMessage",
    "ServerStats",
    "StoredFile",
    "UploadedFile",
    "load_schema",
]
