"""An aiohttp transport for python-telegram-bot, for the broadcaster's many concurrent sends.

PTB's default httpx transport slows down sharply past a few dozen concurrent requests; aiohttp's
connection pool does not. Only the broadcaster's bot uses this; the application keeps PTB's own.

Requests without files go as one JSON body (Telegram accepts ``application/json`` for every
method), encoded with orjson: building a url-encoded form through ``aiohttp.FormData`` (and
JSON-encoding each field first, as PTB's form fields are) cost about a third of the CPU time of
a send in the paid-broadcast benchmark (bench/README.md).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import orjson
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """A :class:`telegram.request.BaseRequest` over one :class:`aiohttp.ClientSession`.

    Args:
        connection_pool_size: the most connections open at once (requests beyond wait).
        read_timeout: seconds to wait for Telegram's answer once the request was sent.
        write_timeout: seconds for sending a request (uploads get ``media_write_timeout``).
        connect_timeout: seconds to open a connection.
        pool_timeout: seconds to wait for a free connection from the pool.
        media_write_timeout: like ``write_timeout``, for requests that upload files.
    """

    def __init__(
        self,
        *,
        connection_pool_size: int = 64,
        read_timeout: float | None = 10.0,
        write_timeout: float | None = 10.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    @staticmethod
    def parse_json_payload(payload: bytes) -> Any:
        """Decode Telegram's answer with orjson (PTB's documented hook for a JSON library)."""
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError as error:
            raise TelegramError("Invalid server response") from error

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See :meth:`telegram.request.BaseRequest.do_request`."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        write = write_timeout
        if isinstance(write, DefaultValue):
            write = self._media_write_timeout if files else self._write_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        # aiohttp has no write timeout of its own: bound the whole exchange by the sum instead.
        # sock_read alone catches an answer that never comes.
        timeout = aiohttp.ClientTimeout(
            total=_sum(_sum(pool, connect), _sum(write, read)),
            connect=_sum(pool, connect),
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data, files),
                headers=_headers(files),
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut(f"aiohttp: {error.__class__.__name__}") from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error


def _sum(first: float | None, second: float | None) -> float | None:
    return None if first is None or second is None else first + second


_JSON = {"Content-Type": "application/json"}


def _headers(files: object) -> dict[str, str] | None:
    return None if files else _JSON


def _body(
    request_data: RequestData | None, files: dict[str, tuple[str, object, str]] | None
) -> aiohttp.FormData | bytes | None:
    """One JSON document; or, with files, multipart form fields as PTB's own transport sends."""
    if request_data is None:
        return None
    if not files:
        return orjson.dumps(request_data.parameters)
    fields = request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
