"""The broadcaster: sends the outbox to Telegram, paced, in priority order, durably.

One scheduler task keeps a window of the due deliveries (read from the database, detention alerts
first) and starts a send task for the next message as soon as

* its rate bucket has a token: ``BROADCAST_RATE`` messages per second, or up to 1000 per second
  for paid alerts when ``PAID_BROADCAST`` is on;
* its chat is not cooling down: one message per second to a private chat, 20 per minute (one
  every 3 s) to a group or channel;
* fewer than :func:`sending_capacity` sends are on their way, and Telegram did not ask to pause.

A send task sends one part of a delivery (text, location or media) and records the outcome
before it ends; the next part is another send task, after the chat's cool-down. Nothing is
marked sent before Telegram answered OK, so a crash can cause a duplicate but never a loss, and
``start()`` simply carries on with what the database says is pending.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import math
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram._utils.types import JSONDict
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.clock import Clock
from bot.i18n import translator
from bot.settings import Settings
from bot.transport import AiohttpRequest
from storage.outbox import (
    Alert,
    Delivery,
    DeliveryState,
    DeliverySummary,
    OutboxRepository,
    Outcome,
    Part,
)
from storage.users import UserRepository

logger = logging.getLogger(__name__)

OnComplete = Callable[[Alert, DeliverySummary], Awaitable[None]]
T = TypeVar("T")

PAID_RATE = 1000.0  # messages per second Telegram allows with allow_paid_broadcast
PRIVATE_CHAT_INTERVAL = 1.0  # seconds between two messages to one private chat
GROUP_CHAT_INTERVAL = 3.0  # 20 messages per minute to one group or channel
POLL_INTERVAL = 0.5  # look for retries coming due at least this often
MAX_BACKOFF = timedelta(minutes=10)
STOP_GRACE = 0.5  # seconds sends already on their way get to finish when stopping
MAX_CAPACITY = 256
BATCH_WINDOW = 0.025  # seconds outcomes are collected for before they are committed together
URGENT_RESERVE = 3  # tokens of the free window reminders leave to urgent alerts and replies


def sending_capacity(settings: Settings, rate: float | None = None) -> int:
    """How many sends may be on their way at once (and the sender's connection pool size).

    Enough to keep the rate up with answers taking two seconds; at least 16, at most 256.
    """
    peak = max(rate or settings.broadcast_rate, PAID_RATE if settings.paid_broadcast else 0)
    return max(16, min(MAX_CAPACITY, math.ceil(peak * 2)))


def make_sender_bot(settings: Settings, *, read_timeout: float = 10.0) -> Bot:
    """The Bot the broadcaster sends with: its own aiohttp connection pool, no rate limiter.

    The broadcaster paces and retries by itself; PTB's AIORateLimiter would pace twice.
    """
    return Bot(
        settings.bot_token.get_secret_value(),
        base_url=settings.telegram_api_url,
        request=AiohttpRequest(
            connection_pool_size=sending_capacity(settings), read_timeout=read_timeout
        ),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )


class _Bucket:
    """A token bucket as a schedule (GCRA): one token every ``1 / rate`` seconds.

    ``burst`` tokens may be taken at once after a quiet spell; 1 keeps messages evenly spaced,
    so no sliding one-second window ever holds more than ``rate`` of them.
    """

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.interval = 1.0 / rate
        self._tolerance = (burst - 1) * self.interval
        self.reserve = 0  # tokens only urgent sends may take (see _Window)
        self._next = 0.0  # when the bucket is empty again, in event-loop seconds

    def wait(self, now: float, reserve: int = 0) -> float:
        """Seconds until a token is available (0: now); ``reserve`` is for :class:`_Window`."""
        return max(0.0, self._next - self._tolerance - now)

    def take(self, now: float) -> None:
        self._next = max(self._next, now) + self.interval

    def restamp(self, taken: float, at: float) -> None:
        """The send whose token was taken at ``taken`` was surely counted by ``at``."""


class _Window(_Bucket):
    """Telegram's own rule, with a margin: at most ``n`` sends in any ``n / rate + guard`` s.

    Telegram counts the sends that reach it in a sliding second, so sends paced exactly
    ``1 / rate`` apart leave no room: a few milliseconds of jitter on the way (a busy event
    loop, a slow connection) put ``rate + 1`` of them in one second, and the 429 that follows
    pauses everything for ``retry_after``. Here ``guard`` absorbs that jitter; and a send that
    went late (the loop was busy) is made up for by the next ones, down to ``spacing`` of the
    interval apart, so lateness does not eat into the rate as it does with a plain schedule.

    That making-up means that under a steady backlog the window fills in ``spacing`` of a
    second and then stays shut until its oldest send slides out (≈ 0.23 s at 30/s). A send
    that asks with a ``reserve`` (reminders: :data:`URGENT_RESERVE` tokens at 30/s) may not take
    the window's last ``reserve`` tokens: those stay free for urgent alerts and replies, which
    therefore wait at most ``spacing / rate`` instead of the slide.
    """

    def __init__(self, rate: float, guard: float = 0.03, spacing: float = 0.8) -> None:
        super().__init__(rate)
        self._limit = max(1, math.floor(rate))
        self._span = self._limit / rate + guard
        self._gap = spacing * self.interval
        self._recent: deque[float] = deque()  # event-loop times of the sends in the window
        self.reserve = min(URGENT_RESERVE, self._limit // 10)  # what reminders leave free

    def wait(self, now: float, reserve: int = 0) -> float:
        recent = self._recent
        while recent and now - recent[0] >= self._span:
            recent.popleft()
        if not recent:
            return 0.0
        wait = recent[-1] + self._gap - now
        # Free once the window holds fewer than ``limit - reserve``: when enough slid out.
        over = len(recent) - (self._limit - reserve)
        if over >= 0:
            wait = max(wait, recent[over] + self._span - now)
        return max(0.0, wait)

    def take(self, now: float) -> None:
        self._recent.append(now)

    def restamp(self, taken: float, at: float) -> None:
        """Count the send taken at ``taken`` as made at ``at`` (when its answer came).

        A reply or a summary can reach Telegram well after its turn (PTB's limiter, a database
        read, the network); counted from its turn it could slip into the same second as the
        30 sends after it. Counted from its answer, the window errs on the safe side.
        """
        recent = self._recent
        with contextlib.suppress(ValueError):
            recent.remove(taken)
            index = len(recent)
            while index > 0 and recent[index - 1] > at:
                index -= 1
            recent.insert(index, at)


class _Recorder:
    """Group commit: outcomes are collected for ``window`` seconds (or until ``batch`` of them
    wait), then committed in one transaction; those arriving meanwhile go in the next one.

    With ``synchronous=FULL`` every commit waits for the disk, and every statement is a hop to
    aiosqlite's thread: at a thousand messages a second, a transaction per message would be the
    bottleneck. A send's slot is held until its outcome is committed, so the window costs
    ``window * rate`` more sends on their way (25 at 1000/s), not throughput.
    """

    def __init__(
        self,
        outbox: OutboxRepository,
        clock: Clock,
        on_claimed: Callable[[int], None],
        *,
        window: float = BATCH_WINDOW,
        batch: int = MAX_CAPACITY,
    ) -> None:
        self._outbox = outbox
        self._clock = clock
        self._on_claimed = on_claimed
        self._window = window
        self._batch = batch
        self._queue: list[tuple[Outcome, asyncio.Future[None]]] = []
        self._full = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None

    async def write(self, outcome: Outcome) -> None:
        """Return once ``outcome`` is committed; a cancelled caller does not cancel the write."""
        future = asyncio.get_running_loop().create_future()
        self._queue.append((outcome, future))
        if len(self._queue) >= self._batch:
            self._full.set()
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush(), name="broadcaster-recorder")
        await asyncio.shield(future)

    async def close(self) -> None:
        """Wait for the writes already handed over."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)

    async def _flush(self) -> None:
        try:
            while self._queue:
                if len(self._queue) < self._batch:
                    self._full.clear()
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._window):
                            await self._full.wait()
                batch, self._queue = self._queue, []
                try:
                    claimed = await self._outbox.record([o for o, _ in batch], self._clock.now())
                except BaseException as error:  # every waiting sender gets the error, re-raised
                    for _, future in batch + self._queue:
                        if not future.done():
                            future.set_exception(error)
                    self._queue = []
                    raise
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
                for alert_id in claimed:
                    self._on_claimed(alert_id)
        finally:
            self._flusher = None


class Broadcaster:
    """Delivers the outbox; see the module docstring for how.

    Args:
        outbox: the queue.
        users: to unsubscribe people who blocked the bot.
        bot: the Bot to send with, from :func:`make_sender_bot`; started and stopped here.
        settings: ``BROADCAST_RATE`` and ``PAID_BROADCAST``.
        clock: decides what is due, and when a retry is.
        on_complete: called once per alert when none of its deliveries is pending any more.
        max_attempts: transient failures (timeouts, network errors, 5xx) before giving up.
        backoff: wait after the first transient failure; doubled after each further one.
        rate: messages per second instead of ``BROADCAST_RATE`` (tests and benchmarks only).
        batch_window: seconds outcomes are collected for before one commit records them all.
    """

    def __init__(
        self,
        outbox: OutboxRepository,
        users: UserRepository,
        bot: Bot,
        settings: Settings,
        clock: Clock,
        *,
        on_complete: OnComplete | None = None,
        max_attempts: int = 8,
        backoff: timedelta = timedelta(seconds=2),
        rate: float | None = None,
        batch_window: float = BATCH_WINDOW,
    ) -> None:
        self._outbox = outbox
        self._users = users
        self._bot = bot
        self._settings = settings
        self._clock = clock
        self._on_complete = on_complete
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._free: _Bucket = _Window(rate or settings.broadcast_rate)
        # A little burst at 1000/s so that timer granularity does not eat into the rate.
        self._paid = _Bucket(PAID_RATE, burst=10)
        self._capacity = sending_capacity(settings, rate)
        # The window holds a few seconds' worth (one second's when paid): enough to keep
        # sending between reads, small enough that a new detention alert is read soon.
        self._window_size = max(100, math.ceil(4 * (rate or settings.broadcast_rate)))
        if settings.paid_broadcast:
            self._window_size = max(self._window_size, math.ceil(PAID_RATE))

        self._window: list[Delivery] = []  # due, not on their way, in send order
        self._window_buckets = 0  # how many different buckets the window's deliveries use
        self._in_flight: dict[int, Delivery] = {}  # by delivery id
        self._alerts: dict[int, Alert] = {}
        self._texts: dict[tuple[int, str], dict[str, Any]] = {}  # see _text_fields
        self._busy_chats: set[int] = set()
        self._chat_ready: dict[int, float] = {}  # event-loop time a chat may get its next one
        # The same, counting only what the sender sent (deliveries, summaries): replies wait for
        # this, not for each other, so a person's replies stay quick.
        self._sender_ready: dict[int, float] = {}
        self._paused_until = 0.0
        self._more_due = False  # the last read filled the window: more may wait in the DB
        self._woken = True
        self._next_read = 0.0
        self._kick = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()  # sends and on_complete calls
        self._writes: set[asyncio.Task[Any]] = set()  # database writes that must not be cut
        self._scheduler: asyncio.Task[None] | None = None
        self._stopping = False
        self._recorder = _Recorder(outbox, clock, self._completed, window=batch_window)

    # -- lifecycle -----------------------------------------------------------------------
    def wake(self) -> None:
        """Say that deliveries are due now (call after enqueueing or cancelling)."""
        self._woken = True
        self._kick.set()

    async def start(self) -> None:
        """Open the sender's connections and carry on with whatever is pending."""
        if self._scheduler is not None:
            return
        await self._bot.initialize()
        self._woken = True
        self._scheduler = asyncio.create_task(self._schedule(), name="broadcaster")
        logger.info("Broadcaster started (%s msg/s, up to %d at once)", self.rate, self._capacity)

    async def stop(self) -> None:
        """Stop within about a second; every outcome already known is recorded first."""
        if self._scheduler is None:
            return
        # The scheduler stops at its next turn rather than being cancelled: a cancel landing
        # in the middle of a database read could leave the shared connection in a transaction.
        self._stopping = True
        self._kick.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._scheduler), timeout=STOP_GRACE)
        except TimeoutError:
            self._scheduler.cancel()
        await asyncio.gather(self._scheduler, return_exceptions=True)
        self._scheduler = None
        self._stopping = False
        # Sends already on their way get a moment to finish: their outcome is then recorded
        # and they are not sent again after a restart.
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=STOP_GRACE)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*self._writes, return_exceptions=True)
        await self._recorder.close()
        self._window.clear()
        self._in_flight.clear()
        self._busy_chats.clear()
        await self._bot.shutdown()
        logger.info("Broadcaster stopped")

    async def drain(self, timeout: float = 30) -> None:  # noqa: ASYNC109 - a test helper
        """Wait until nothing is pending and due, nothing is on its way, every alert reported.

        A retry not due yet is not waited for (with the real clock and a tiny backoff it will
        be due within a second: times are stored to the second).

        Raises:
            TimeoutError: still busy after ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout):
            while True:
                if not self._tasks and not self._writes and self._scheduler is not None:
                    due = await self._outbox.pending_due(self._clock.now())
                    if not due and not self._tasks:
                        if not await self._outbox.completable():
                            return
                        self.wake()  # e.g. cancelled deliveries: report those alerts
                await asyncio.sleep(0.02)

    @property
    def rate(self) -> float:
        """Unpaid messages per second."""
        return 1.0 / self._free.interval

    # -- scheduling ----------------------------------------------------------------------
    async def _schedule(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopping:
            now = loop.time()
            if self._should_read(now):
                await self._read(now)
                continue
            delivery, wait = self._pick(now)
            if delivery is not None:
                self._launch(delivery, now)
                continue
            self._kick.clear()
            if self._stopping:
                break
            try:
                async with asyncio.timeout(min(wait, max(0.0, self._next_read - now))):
                    await self._kick.wait()
            except TimeoutError:
                pass  # time to look again: a chat or a token is free, or a poll is due

    def _should_read(self, now: float) -> bool:
        low = len(self._window) < self._window_size // 4
        return self._woken or now >= self._next_read or (low and self._more_due)

    async def _read(self, now: float) -> None:
        """Refresh the window from the database; report alerts that are done."""
        woken, self._woken = self._woken, False
        self._next_read = now + POLL_INTERVAL
        if woken:
            for alert_id in await self._outbox.completable():
                if await self._outbox.claim_completion(alert_id, self._clock.now()):
                    self._completed(alert_id)
        limit = self._window_size + len(self._in_flight)
        rows = await self._outbox.due(self._clock.now(), limit, skip=self._in_flight)
        self._more_due = len(rows) >= self._window_size
        wanted = {d.alert_id for d in rows} | {d.alert_id for d in self._in_flight.values()}
        missing = {d.alert_id for d in rows} - self._alerts.keys()
        if missing:
            self._alerts.update(await self._outbox.get_many(missing))
        self._alerts = {k: v for k, v in self._alerts.items() if k in wanted}
        self._texts = {k: v for k, v in self._texts.items() if k[0] in wanted}
        # A send that ended while reading is absent from ``rows`` (it was skipped while in
        # flight) and comes back with its new progress on the next read.
        self._window = [d for d in rows if d.alert_id in self._alerts]
        self._window_buckets = len({id(self._bucket(d)) for d in self._window})
        self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}
        self._sender_ready = {c: t for c, t in self._sender_ready.items() if t > now}

    def _pick(self, now: float) -> tuple[Delivery | None, float]:
        """Take the first delivery in the window that may go now, or say how long to wait."""
        if len(self._in_flight) >= self._capacity:
            return None, POLL_INTERVAL  # a finishing send sets the kick
        if now < self._paused_until:
            return None, self._paused_until - now
        wait = POLL_INTERVAL
        empty: list[_Bucket] = []
        for index, delivery in enumerate(self._window):
            chat = delivery.chat_id
            if chat in self._busy_chats:
                continue
            ready = self._chat_ready.get(chat, 0.0)
            if ready > now:
                wait = min(wait, ready - now)
                continue
            bucket = self._bucket(delivery)
            if bucket in empty:
                continue
            # Reminders (priority > 0) leave the free window's last tokens to urgent alerts.
            token = bucket.wait(now, bucket.reserve if delivery.priority > 0 else 0)
            if token > 0:
                wait = min(wait, token)
                empty.append(bucket)  # the window is in priority order: later ones wait too
                if len(empty) >= self._window_buckets:
                    break  # nothing further down could go either
                continue
            del self._window[index]
            return delivery, 0.0
        return None, wait

    def _requeue(self, delivery: Delivery) -> None:
        """Put an unchanged delivery back in the window, in its place."""
        bisect.insort(self._window, delivery, key=lambda d: (d.priority, d.id))
        self._window_buckets = len({id(self._bucket(d)) for d in self._window})

    def _bucket(self, delivery: Delivery) -> _Bucket:
        return self._paid if self._is_paid(self._alerts[delivery.alert_id]) else self._free

    def _is_paid(self, alert: Alert) -> bool:
        return alert.paid and self._settings.paid_broadcast

    def _launch(self, delivery: Delivery, now: float) -> None:
        self._bucket(delivery).take(now)
        self._busy_chats.add(delivery.chat_id)
        self._in_flight[delivery.id] = delivery
        alert = self._alerts[delivery.alert_id]
        self._spawn(self._deliver(delivery, alert), f"deliver:{delivery.id}")

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _completed(self, alert_id: int) -> None:
        """An alert's completion was claimed: report it (in a task of its own)."""
        self._spawn(self._report(alert_id), f"report:{alert_id}")

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("%s crashed", task.get_name(), exc_info=task.exception())

    # -- sending one part ----------------------------------------------------------------
    async def _deliver(self, delivery: Delivery, alert: Alert) -> None:
        """Send the next part of ``delivery`` and record what happened."""
        try:
            outcome = await self._attempt(delivery, alert)
            if outcome is not None:
                await self._recorder.write(outcome)
        finally:
            # Only now may the delivery be read again: its outcome is committed.
            ready = asyncio.get_running_loop().time() + _cool_down(delivery.chat_id)
            self._chat_ready[delivery.chat_id] = ready
            self._sender_ready[delivery.chat_id] = ready
            self._busy_chats.discard(delivery.chat_id)
            self._in_flight.pop(delivery.id, None)
            self._kick.set()

    async def _attempt(self, delivery: Delivery, alert: Alert) -> Outcome | None:
        """One send; what to record about it (None: nothing, try again when due)."""
        parts = alert.parts
        index = delivery.parts_sent
        if index >= len(parts):  # only if the rows were edited by hand
            return Outcome(delivery.id, DeliveryState.SENT)
        try:
            await self._send(alert, parts[index], delivery)
        except RetryAfter as error:
            self._pause(error)
            self._requeue(delivery)  # unchanged: it goes again as soon as the pause is over
            return None
        except Forbidden:
            # Unsubscribe first: if the bot dies in between, the delivery is still pending, and
            # the next attempt gets the same 403 and ends here again.
            if delivery.chat_id > 0:
                await self._durably(self._users.set_subscribed(delivery.chat_id, False))
            logger.info("Delivery %d: the chat blocked the bot; unsubscribed", delivery.id)
            return Outcome(delivery.id, DeliveryState.BLOCKED, error="Forbidden")
        except ChatMigrated as error:
            return await self._durably(self._migrated(delivery, error.new_chat_id))
        except BadRequest as error:
            if index == 0 or "chat not found" in error.message.lower():
                logger.info("Delivery %d failed: %s", delivery.id, error.message)
                return Outcome(delivery.id, DeliveryState.FAILED, error="BadRequest")
            # The text arrived; a location or file Telegram refuses is skipped, not retried.
            logger.warning("Delivery %d: %s part refused: %s", delivery.id, parts[index], error)
            return self._progress(delivery, len(parts), error="BadRequest")
        except TelegramError as error:  # timeouts, network errors, 5xx: try again later
            return self._retry(delivery, error)
        return self._progress(delivery, len(parts))

    async def _send(self, alert: Alert, part: Part, delivery: Delivery) -> None:
        paid: dict[str, Any] = {"allow_paid_broadcast": True} if self._is_paid(alert) else {}
        if alert.protect_content:
            paid["protect_content"] = True
        chat_id = delivery.chat_id
        if part is Part.TEXT:
            language = delivery.language or self._settings.default_language
            await _call(self._bot, "sendMessage", chat_id, self._text_fields(alert, language))
        elif part is Part.LOCATION:
            assert alert.latitude is not None and alert.longitude is not None
            await self._bot.send_location(
                chat_id, latitude=alert.latitude, longitude=alert.longitude, **paid
            )
        elif alert.media_kind == "photo":
            await self._bot.send_photo(chat_id, photo=alert.media_file_id, **paid)
        elif alert.media_kind == "voice":
            await self._bot.send_voice(chat_id, voice=alert.media_file_id, **paid)
        else:
            await self._bot.send_video(chat_id, video=alert.media_file_id, **paid)

    def _text_fields(self, alert: Alert, language: str) -> dict[str, Any]:
        """The sendMessage fields of ``alert`` in ``language``, but the chat (built once)."""
        key = (alert.id, language)
        fields = self._texts.get(key)
        if fields is None:
            fields = {
                "text": alert.text_for(language),
                "parse_mode": ParseMode.HTML.value,
                "link_preview_options": {"is_disabled": True},
            }
            markup = _markup(alert, language)
            if markup is not None:
                fields["reply_markup"] = markup.to_dict()
            if self._is_paid(alert):
                fields["allow_paid_broadcast"] = True
            if alert.protect_content:
                fields["protect_content"] = True
            self._texts[key] = fields
        return fields

    # -- outcomes ------------------------------------------------------------------------
    @staticmethod
    def _progress(delivery: Delivery, total: int, error: str | None = None) -> Outcome:
        done = delivery.parts_sent + 1
        state = DeliveryState.SENT if done >= total else DeliveryState.PENDING
        return Outcome(delivery.id, state, parts_sent=done, error=error)

    def _retry(self, delivery: Delivery, error: TelegramError) -> Outcome:
        attempts = delivery.attempts + 1
        name = type(error).__name__
        if attempts >= self._max_attempts:
            logger.warning("Delivery %d failed after %d attempts: %s", delivery.id, attempts, name)
            return Outcome(delivery.id, DeliveryState.FAILED, attempts=attempts, error=name)
        delay = min(self._backoff * 2 ** (attempts - 1), MAX_BACKOFF)
        logger.info("Delivery %d: %s; retry in %s", delivery.id, name, delay)
        at = self._clock.now() + delay
        return Outcome(
            delivery.id, DeliveryState.PENDING, attempts=attempts, retry_at=at, error=name
        )

    async def _migrated(self, delivery: Delivery, new_chat_id: int) -> Outcome | None:
        logger.info("Chat %d moved to %d; alerts follow it", delivery.chat_id, new_chat_id)
        if await self._outbox.migrate_chat(delivery.id, delivery.chat_id, new_chat_id):
            self.wake()  # due again right away, at the new id
            return None
        return Outcome(delivery.id, DeliveryState.FAILED, error="ChatMigrated: duplicate")

    async def _durably(self, write: Coroutine[Any, Any, T]) -> T:
        """Run a database write to its end even if the caller is cancelled (stop() waits)."""
        task = asyncio.create_task(write)
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)
        return await asyncio.shield(task)

    def _pause(self, error: RetryAfter) -> None:
        """Telegram says to stop sending for a while: everyone waits, as it asked."""
        with warnings.catch_warnings():  # int or timedelta, depending on PTB_TIMEDELTA
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            value = error.retry_after
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        until = asyncio.get_running_loop().time() + seconds
        if until > self._paused_until:
            logger.warning("Telegram asked to pause sending for %.0f s", seconds)
            self._paused_until = until

    async def take_turn(
        self, chat_id: int | None = None, *, replying_to: int | None = None
    ) -> float:
        """Wait until a message outside the outbox may go, and account for it.

        Telegram's limits count every message the bot sends: replies and summaries take their
        turn with the deliveries, so that together they stay under ``BROADCAST_RATE``. With
        ``chat_id`` the chat's cool-down applies too (a summary after the last delivery). A
        reply (``replying_to``) waits only for what the sender itself sent that chat in the
        last second, not for earlier replies, so a person's replies stay quick; and its chat
        starts a cool-down, so an alert or a summary right after the reply waits instead of
        drawing a 429 that would pause every send.
        """
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            ready = self._paused_until
            if chat_id is not None:
                ready = max(ready, self._chat_ready.get(chat_id, 0.0))
            if replying_to is not None:
                ready = max(ready, self._sender_ready.get(replying_to, 0.0))
            wait = max(self._free.wait(now), ready - now)
            busy = chat_id in self._busy_chats or replying_to in self._busy_chats
            if wait <= 0 and not busy:
                break
            await asyncio.sleep(max(wait, 0.01))
        self._free.take(now)
        for chat in (chat_id, replying_to):
            if chat is not None:
                self._cool_from(chat, now)
        if chat_id is not None:
            self._sender_ready[chat_id] = self._chat_ready[chat_id]
        return now

    def sent(self, taken: float, chat_id: int | None = None) -> None:
        """A message that took its turn at ``taken`` got its answer: count it from now in the
        rate window, and start ``chat_id``'s cool-down from now (see :meth:`replied`)."""
        self._free.restamp(taken, asyncio.get_running_loop().time())
        if chat_id is not None:
            self.replied(chat_id)

    def replied(self, chat_id: int) -> None:
        """A reply to ``chat_id`` (see :meth:`take_turn`) got its answer: the chat's cool-down
        runs from now, as after a delivery, not from when the reply took its turn.

        Between the turn and Telegram counting the reply lie PTB's own limiter and the network;
        a summary sent one second after the turn could reach Telegram within a second of the
        reply and draw a 429.
        """
        self._cool_from(chat_id, asyncio.get_running_loop().time())

    def _cool_from(self, chat_id: int, start: float) -> None:
        """``chat_id`` may get its next message one cool-down after ``start`` (never sooner than
        it already had to wait)."""
        ready = start + _cool_down(chat_id)
        self._chat_ready[chat_id] = max(self._chat_ready.get(chat_id, 0.0), ready)

    async def _report(self, alert_id: int) -> None:
        """Log an alert's outcome and hand it to ``on_complete`` (its completion is claimed)."""
        alert = await self._outbox.get(alert_id)
        if alert is None:
            return
        summary = await self._outbox.summary(alert_id)
        logger.info(
            "Alert %d done: %d of %d sent, %d blocked, %d failed, %d cancelled",
            alert_id,
            summary.sent,
            summary.total,
            summary.blocked,
            summary.failed,
            summary.cancelled,
        )
        if self._on_complete is None:
            return
        if alert.summary_chat_id is not None:
            # on_complete sends the "delivered N of M" message: it counts against Telegram's
            # limits like a delivery, so it waits for a token and for the chat's cool-down.
            taken = await self.take_turn(alert.summary_chat_id)
        try:
            await self._on_complete(alert, summary)
        except Exception:  # a bug in the callback must not stop the deliveries; it is logged
            logger.exception("on_complete failed for alert %d", alert_id)
        finally:
            if alert.summary_chat_id is not None:
                self.sent(taken, alert.summary_chat_id)


def _cool_down(chat_id: int) -> float:
    """Seconds between two messages to a chat: private chats (positive ids), or groups."""
    return PRIVATE_CHAT_INTERVAL if chat_id > 0 else GROUP_CHAT_INTERVAL


async def _call(bot: Bot, method: str, chat_id: int, fields: dict[str, Any]) -> None:
    """Call ``method`` with ``fields`` as they are, and drop Telegram's answer unread.

    ``Bot.send_message`` builds PTB objects out of every argument and turns each answer into a
    ``Message``: a third of the time of a send at a thousand a second (bench/README.md). This
    is what PTB's public ``Bot.do_api_request`` does, minus the warning it gives for a method
    it knows; errors still arrive as PTB's exceptions (``RetryAfter``, ``Forbidden``, ...).
    """
    await bot._post(method, {"chat_id": chat_id, **fields})


class SharedRateLimiter(AIORateLimiter):
    """The application bot's rate limiter: each message it sends first takes a turn from the
    broadcaster (:meth:`Broadcaster.take_turn`), once :meth:`share` handed one over.

    Without it, replies to reports sent while a broadcast runs at the cap would push Telegram's
    count over it, and the 429 that follows pauses every alert for ``retry_after``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._broadcaster: Broadcaster | None = None

    def share(self, broadcaster: Broadcaster | None) -> None:
        """Pace sends with ``broadcaster`` from now on (None: on their own again)."""
        self._broadcaster = broadcaster

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        sends = endpoint.startswith(("send", "copyMessage", "forwardMessage"))
        if self._broadcaster is not None and sends and endpoint != "sendChatAction":
            # The global count only, so replies stay snappy; the chat's cool-down starts.
            chat = data.get("chat_id")
            broadcaster = self._broadcaster
            chat = chat if isinstance(chat, int) else None
            taken = await broadcaster.take_turn(replying_to=chat)
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            finally:
                broadcaster.sent(taken, chat)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def _markup(alert: Alert, language: str) -> InlineKeyboardMarkup | None:
    """The alert's buttons in the reader's language, if it has any."""
    keyboard = alert.keyboard_for(language)
    if keyboard is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in keyboard]
    )


def summary_sender(bot: Bot, settings: Settings, users: UserRepository) -> OnComplete:
    """An ``on_complete`` that tells ``alert.summary_chat_id`` how far the alert got."""

    async def send_summary(alert: Alert, summary: DeliverySummary) -> None:
        if alert.summary_chat_id is None:
            return
        reader = await users.get(alert.summary_chat_id)
        _ = translator(reader.language if reader else settings.default_language)
        text = _(
            "Alert #{alert_id}: delivered to {sent} of {total}; {unreachable} unreachable.",
            alert_id=alert.id,
            sent=summary.sent,
            total=summary.total,
            unreachable=summary.unreachable,
        )
        try:
            await bot.send_message(alert.summary_chat_id, text)
        except TelegramError as error:
            logger.warning("Could not send the summary of alert %d: %s", alert.id, error)

    return send_summary
