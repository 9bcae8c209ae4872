"""The fake Telegram Bot API HTTP server.

Point a real python-telegram-bot ``Application`` at it with
``ApplicationBuilder().base_url(server.base_url).base_file_url(server.base_file_url)``.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter, deque
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from .limits import (
    Failure,
    RandomFaults,
    RateLimiter,
    ServerStats,
    is_send_method,
    max_in_window,
)
from .methods import MethodHandlers
from .people import FakeChannel, FakeGroup, FakeUser
from .schema import (
    BotAPISchema,
    UploadedFile,
    decode_without_schema,
    load_schema,
)
from .state import ApiError, BotState, StoredFile

__all__ = ["FakeBotAPI"]

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_FORBIDDEN_PREFIXES = ("send", "edit", "copy", "forward")


class FakeBotAPI:
    """A fake Bot API server with simulated people; see the package docstring for a tour."""

    def __init__(
        self,
        *,
        bot_id: int = 100000,
        bot_username: str = "dabyl_test_bot",
        bot_first_name: str = "Dabyl",
        token: str | None = None,
        schema: BotAPISchema | str | Path | None = None,
        latency: float = 0.0,
        flag_json_in_strings: bool = True,
    ) -> None:
        """Create the server (call :meth:`start` to serve).

        ``token=None`` accepts any token. ``schema`` is a loaded schema or the path of the Bot
        API's ``api.min.json``; with it every request is validated and answers are typed, and
        without it (the default) parameters are decoded by guesswork and nothing is validated.
        ``flag_json_in_strings`` reports String parameters whose text is a JSON object (a dict
        passed where a string belongs).
        """
        self.schema = (
            schema if isinstance(schema, BotAPISchema) or schema is None else load_schema(schema)
        )
        bot = {"id": bot_id, "is_bot": True, "first_name": bot_first_name, "username": bot_username}
        me = {
            **bot,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.token = token
        self.latency = latency
        self.flag_json_in_strings = flag_json_in_strings
        self.state = BotState(bot, self.schema)
        self.handlers = MethodHandlers(self.state, me)
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.stats = ServerStats()
        self.users: dict[int, FakeUser] = {}
        self._failures: dict[str, deque[Failure]] = {}
        self._limiter = RateLimiter()
        self._random_faults: RandomFaults | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving; return ``http://host:port``."""
        if self._runner is not None:
            raise RuntimeError("FakeBotAPI is already running")
        self.state.closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((host, port))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.url = f"http://{host}:{sock.getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        """Release pending long polls and stop serving."""
        self.state.closing = True
        await self.state.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    # -- people --------------------------------------------------------------------------
    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> FakeUser:
        """Create (or return the existing) simulated user with a private chat."""
        if user_id not in self.users:
            self.users[user_id] = FakeUser(
                self.state,
                user_id,
                first_name,
                username=username,
                last_name=last_name,
                language_code=language_code,
            )
        return self.users[user_id]

    def group(
        self, chat_id: int, title: str, *, supergroup: bool = False, username: str | None = None
    ) -> FakeGroup:
        """Create a group (or supergroup) chat the bot is a member of."""
        chat: dict[str, Any] = {
            "id": chat_id,
            "type": "supergroup" if supergroup else "group",
            "title": title,
        }
        if username:
            chat["username"] = username
        return FakeGroup(self.state, self.state.add_chat(chat))

    def channel(self, chat_id: int, title: str, *, username: str | None = None) -> FakeChannel:
        """Create a channel the bot can post to."""
        chat: dict[str, Any] = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        return FakeChannel(self.state, self.state.add_chat(chat))

    # -- fault injection -----------------------------------------------------------------
    def rate_limit(
        self,
        per_second: float | None = None,
        per_chat_per_second: float | None = None,
        *,
        retry_after: int = 1,
    ) -> None:
        """Answer 429 to send methods past these rates (sliding one-second window)."""
        self._limiter.configure(per_second, per_chat_per_second, retry_after)

    def fail_next(
        self,
        method: str,
        status: int = 500,
        times: int = 1,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        parameters: dict[str, Any] | None = None,
        hang: float = 0.0,
        deliver: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status``.

        ``retry_after`` (default 1 for 429) and ``parameters`` (e.g.
        ``{"migrate_to_chat_id": -100123}``) go into the ``parameters`` of the answer.

        ``hang`` simulates a timeout: the answer is held back that many seconds (make it longer
        than the client's read timeout). With ``deliver=False`` the call is not carried out and
        the late answer is the ``status`` error (the request was lost before delivery); with
        ``deliver=True`` it is carried out at once, e.g. the message is recorded, and the late
        answer is the normal one (lost after delivery: a retry makes a duplicate).
        """
        extra = dict(parameters or {})
        if status == 429 or retry_after is not None:
            extra["retry_after"] = retry_after or 1
        if description is None:
            description = _DEFAULT_DESCRIPTIONS.get(status, "Error")
            if status == 429:
                description = f"Too Many Requests: retry after {extra['retry_after']}"
        queue = self._failures.setdefault(self._canonical(method) or method, deque())
        queue.extend(
            Failure(status, description, extra or None, hang, deliver) for _ in range(times)
        )

    def random_faults(
        self,
        error_rate: float = 0.0,
        timeout_rate: float = 0.0,
        hang: float = 0.0,
        burst_every: float = 0.0,
        burst_length: float = 0.0,
        seed: int | None = None,
        *,
        retry_after: int = 1,
    ) -> None:
        """Fail send methods at random from now on (all zero: off, the default).

        ``error_rate`` of the sends get a 5xx; ``timeout_rate`` of them are held back ``hang``
        seconds, half carried out first (a retry makes a duplicate) and half not; and every
        ``burst_every`` seconds every send gets 429 ``retry_after`` for ``burst_length``
        seconds. Queued :meth:`fail_next` failures come first. What was drawn is logged in
        ``stats.random_faults``; ``seed`` makes the draws repeatable.
        """
        faults = RandomFaults(
            error_rate=error_rate,
            timeout_rate=timeout_rate,
            hang=hang,
            burst_every=burst_every,
            burst_length=burst_length,
            retry_after=retry_after,
            seed=seed,
        )
        off = error_rate == timeout_rate == 0 and (burst_every <= 0 or burst_length <= 0)
        self._random_faults = None if off else faults

    # -- inspection ----------------------------------------------------------------------
    @property
    def schema_errors(self) -> list[str]:
        """Problems the test should fail on: invalid requests and fake-server bugs."""
        return self.state.schema_errors

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """``setMyCommands`` results keyed by ``(scope type[:chat_id[:user_id]], language)``."""
        return self.handlers.commands

    @property
    def unimplemented(self) -> list[tuple[str, dict[str, Any]]]:
        """Valid calls answered with a generic default."""
        return self.handlers.unimplemented

    @property
    def files(self) -> dict[str, StoredFile]:
        """Known files by ``file_id`` (``StoredFile`` with ``.content`` bytes)."""
        return self.state.files

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot through ``getUpdates(offset=...)``."""
        return list(self.state.updates)

    def calls(self, method: str) -> list[dict[str, Any]]:
        """Params of every recorded call of ``method`` (any spelling)."""
        name = self._canonical(method) or method
        return [params for called, params in self.requests if called == name]

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Wait until ``method`` was called at least ``count`` times; return all its calls."""
        if not await self.state.wait_for(lambda: len(self.calls(method)) >= count, timeout):
            raise AssertionError(f"{method} called {len(self.calls(method))}x, wanted {count}")
        return self.calls(method)

    def sends_per_second(self) -> dict[int, int]:
        """Accepted sends bucketed by whole seconds since the first send."""
        times = self.stats.send_times
        return dict(Counter(int(t - times[0]) for t in times)) if times else {}

    def max_sends_in_any_second(self, include_rejected: bool = False) -> int:
        """Largest number of sends in any sliding one-second window."""
        rejected = self.stats.rejected_send_times if include_rejected else []
        return max_in_window(self.stats.send_times + rejected)

    def assert_clean(self) -> None:
        """Raise ``AssertionError`` listing all schema errors, if any."""
        if self.schema_errors:
            raise AssertionError("Bot API misuse:\n  " + "\n  ".join(self.schema_errors))

    # -- HTTP ----------------------------------------------------------------------------
    def _canonical(self, name: str) -> str | None:
        if self.schema is not None:
            return self.schema.canonical_method(name)
        known = {m.lower(): m for m in self.handlers.table}
        return known.get(name.lower(), name)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        for stored in self.state.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type=stored.mime_type)
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    async def _handle_method(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        method = self._canonical(name)
        try:
            if self.token is not None and request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            raw, attachments = await self._read_params(request, method)
            params = self._decode(method, raw)
            self.requests.append((method or name, params))
            self.stats.requests += 1
            await self.state.notify()
            if self.latency > 0:
                await asyncio.sleep(self.latency)
            if method is None:
                self.schema_errors.append(f"unknown method '{name}'")
                raise ApiError(400, f"Bad Request: unknown method '{name}'")
            self._validate(method, raw, params)
            failure = self._next_failure(method, params)
            if failure is not None and not (failure.hang and failure.deliver):
                if failure.hang:
                    await asyncio.sleep(failure.hang)
                raise ApiError(failure.status, failure.description, failure.parameters)
            self._before_call(method, params)
            returns = self.schema.returns(method) if self.schema else []
            result = await self.handlers.call(method, _attach(params, attachments), returns)
            if failure is not None:
                self.stats.hung_deliveries += 1
                await asyncio.sleep(failure.hang)
        except ApiError as error:
            self.stats.status_counts[error.code] += 1
            self.state.error_log.append(f"{method or name}: {error.code} {error.description}")
            return web.json_response(error.payload(), status=error.code)
        except ConnectionResetError:
            # The client went away mid-request (a bot shutting down while its long poll was
            # being read): nobody is left to answer, and it is not a fake-server bug.
            return web.Response(status=499, text="client closed request")
        except Exception as exc:  # a bug in the fake server itself: fail the test loudly
            self.schema_errors.append(f"fake server bug in {name}: {exc!r}")
            raise
        return web.json_response({"ok": True, "result": result})

    async def _read_params(
        self, request: web.Request, method: str | None
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        """Raw parameters plus uploads that are only referenced as ``attach://<name>``."""
        raw: dict[str, Any] = dict(request.query)
        attachments: dict[str, UploadedFile] = {}
        if request.content_type == "application/json" and request.can_read_body:
            body = await request.json()
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON body must be an object")
            raw.update(body)
            return raw, attachments
        if not request.can_read_body:
            return raw, attachments
        fields = self.schema.fields(method) if self.schema and method else None
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                upload = UploadedFile(key, value.filename, value.file.read(), value.content_type)
                if fields is None or key in fields:
                    raw[key] = upload
                else:
                    attachments[key] = upload
            else:
                raw[key] = value
        return raw, attachments

    def _decode(self, method: str | None, raw: dict[str, Any]) -> dict[str, Any]:
        if self.schema is not None and method is not None:
            return self.schema.decode_params(method, raw)
        return decode_without_schema(raw)

    def _validate(self, method: str, raw: dict[str, Any], params: dict[str, Any]) -> None:
        if self.schema is None:
            return
        problems = self.schema.validate_request(method, params)
        if self.flag_json_in_strings:
            problems += self.schema.json_objects_in_strings(method, raw)
        if problems:
            self.schema_errors.extend(f"{method}: {problem}" for problem in problems)
            raise ApiError(400, "Bad Request: " + "; ".join(problems))

    def _next_failure(self, method: str, params: dict[str, Any]) -> Failure | None:
        """The injected failure for this call of ``method``: queued first, then random."""
        queue = self._failures.get(method)
        if queue:
            return queue.popleft()
        if self._random_faults is not None and is_send_method(method):
            now = asyncio.get_running_loop().time()
            return self._random_faults.draw(str(params.get("chat_id")), now, self.stats)
        return None

    def _before_call(self, method: str, params: dict[str, Any]) -> None:
        """Blocked users, then rate limits (injected failures come before both)."""
        chat_id = params.get("chat_id")
        if chat_id is not None and method.startswith(_FORBIDDEN_PREFIXES):
            record = self.state.chats.get(chat_id) if isinstance(chat_id, int) else None
            if record is not None and record.forbidden:
                raise ApiError(403, record.forbidden)
        if is_send_method(method):
            now = asyncio.get_running_loop().time()
            self._limiter.admit(str(chat_id), now, self.stats)


def _attach(value: Any, attachments: dict[str, UploadedFile]) -> Any:
    """Replace ``attach://<name>`` strings (at any depth) with the uploaded files."""
    if not attachments:
        return value
    if isinstance(value, str) and value.startswith("attach://"):
        return attachments.get(value.removeprefix("attach://"), value)
    if isinstance(value, list):
        return [_attach(item, attachments) for item in value]
    if isinstance(value, dict):
        return {key: _attach(item, attachments) for key, item in value.items()}
    return value
