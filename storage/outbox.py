"""The alert outbox: alerts, one delivery per recipient, and groups that moved to a new chat id.

An alert and its deliveries are written in one transaction, so an alert is either queued for
everyone or for no one. The broadcaster (bot/broadcaster.py) reads due deliveries from here and
records each outcome; a delivery is marked ``sent`` only after Telegram answered OK.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from storage.database import Database, from_db_time, to_db_time

# Deliveries withdrawn before they went out (a retracted report) are stored as 'failed' with
# this error: the schema has no state of their own. DeliverySummary counts them apart.
CANCELLED = "cancelled"


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot or deleted their account (403)
    FAILED = "failed"  # gave up: chat not found, too many transient errors, or cancelled


class Part(enum.StrEnum):
    """What a delivery sends, in this order; ``Delivery.parts_sent`` counts the parts done."""

    TEXT = "text"
    LOCATION = "location"
    MEDIA = "media"


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button under an alert's text."""

    text: str
    data: str  # callback_data, at most 64 bytes


Keyboard = tuple[tuple[Button, ...], ...]  # rows of buttons


def _keyboard_json(keyboard: Keyboard | Mapping[str, Keyboard] | None) -> str | None:
    """Store keyboards by language ("" for one keyboard for every reader) as JSON."""
    if keyboard is None:
        return None
    by_language = {"": keyboard} if isinstance(keyboard, tuple) else keyboard
    return json.dumps(
        {
            language: [[[b.text, b.data] for b in row] for row in rows]
            for language, rows in by_language.items()
        },
        ensure_ascii=False,
    )


def _keyboards(value: str | None) -> dict[str, Keyboard]:
    if not value:
        return {}
    stored = json.loads(value)
    return {
        language: tuple(tuple(Button(text, data) for text, data in row) for row in rows)
        for language, rows in stored.items()
    }


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to enqueue; see :meth:`OutboxRepository.enqueue_in`."""

    kind: str  # 'report' | 'broadcast' | 'correction' | 'followup'
    # HTML, already escaped by the caller; sent with parse_mode=HTML. Either one text for
    # every reader, or one per language (bot.i18n.render), the first being the fallback.
    text: str | Mapping[str, str]
    priority: int  # 0: detention alerts, go first; 1: other alerts; 2: reminders, digests
    report_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    media_kind: str | None = None  # 'photo' | 'voice' | 'video'
    media_file_id: str | None = None  # Telegram file_id, re-sent by id
    paid: bool = False  # may go with allow_paid_broadcast (if PAID_BROADCAST is on)
    summary_chat_id: int | None = None  # who gets "delivered N of M" when it is done
    # Inline buttons under the text: one keyboard, or one per language like ``text``.
    keyboard: Keyboard | Mapping[str, Keyboard] | None = None
    protect_content: bool = False  # cannot be forwarded or saved (coordinator-only messages)

    @property
    def fallback_text(self) -> str:
        return self.text if isinstance(self.text, str) else next(iter(self.text.values()))


@dataclass(frozen=True, slots=True)
class Alert:
    """A stored alert."""

    id: int
    kind: str
    report_id: int | None
    priority: int
    text: str
    latitude: float | None
    longitude: float | None
    media_kind: str | None
    media_file_id: str | None
    paid: bool
    summary_chat_id: int | None
    created_at: datetime
    completed_at: datetime | None
    texts: Mapping[str, str] = field(default_factory=dict)  # by language, if rendered per language
    keyboards: Mapping[str, Keyboard] = field(default_factory=dict)  # by language; "" for all
    protect_content: bool = False

    def text_for(self, language: str | None) -> str:
        """The text in ``language``, else the fallback text."""
        return self.texts.get(language or "", self.text)

    def keyboard_for(self, language: str | None) -> Keyboard | None:
        """The buttons in ``language``, else the first keyboard stored (None: no buttons)."""
        if not self.keyboards:
            return None
        return self.keyboards.get(language or "", next(iter(self.keyboards.values())))

    @property
    def parts(self) -> tuple[Part, ...]:
        """The messages each recipient gets: the text, then the location, then the media."""
        parts = [Part.TEXT]
        if self.latitude is not None and self.longitude is not None:
            parts.append(Part.LOCATION)
        if self.media_kind and self.media_file_id:
            parts.append(Part.MEDIA)
        return tuple(parts)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One alert to one chat."""

    id: int
    alert_id: int
    chat_id: int
    priority: int
    state: DeliveryState
    parts_sent: int
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    error: str
    # The reader's language when the delivery was read as due; None: a chat with no user.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class DeliverySummary:
    """How far an alert got; ``failed`` does not include ``cancelled`` deliveries."""

    alert_id: int
    total: int
    sent: int
    blocked: int
    failed: int
    pending: int
    cancelled: int = 0

    @property
    def unreachable(self) -> int:
        """Recipients the alert will never reach: blocked the bot, or gave up on."""
        return self.blocked + self.failed


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one send did to a delivery; see :meth:`OutboxRepository.record`.

    ``state`` PENDING keeps the delivery going (more parts, or a retry at ``retry_at``); the
    other states are final. Fields left ``None`` keep their stored value.
    """

    delivery_id: int
    state: DeliveryState
    parts_sent: int | None = None
    attempts: int | None = None
    retry_at: datetime | None = None
    error: str | None = None


def _time(value: str | None) -> datetime | None:
    return from_db_time(value) if value else None


def _alert(row: aiosqlite.Row, texts: Mapping[str, str] | None = None) -> Alert:
    return Alert(
        id=row["id"],
        kind=row["kind"],
        report_id=row["report_id"],
        priority=row["priority"],
        text=row["text"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        media_kind=row["media_kind"],
        media_file_id=row["media_file_id"],
        paid=bool(row["paid"]),
        summary_chat_id=row["summary_chat_id"],
        created_at=from_db_time(row["created_at"]),
        completed_at=_time(row["completed_at"]),
        texts=texts or {},
        keyboards=_keyboards(row["keyboard"]),
        protect_content=bool(row["protect_content"]),
    )


def _delivery(row: aiosqlite.Row) -> Delivery:
    return Delivery(
        id=row["id"],
        alert_id=row["alert_id"],
        chat_id=row["chat_id"],
        priority=row["priority"],
        state=DeliveryState(row["state"]),
        parts_sent=row["parts_sent"],
        attempts=row["attempts"],
        next_attempt_at=from_db_time(row["next_attempt_at"]),
        sent_at=_time(row["sent_at"]),
        error=row["error"],
        language=row["language"] if "language" in row.keys() else None,  # noqa: SIM118
    )


# Completes an alert, once: only while it is not completed and has no pending delivery left.
_CLAIM_WHEN = (
    " AND completed_at IS NULL AND NOT EXISTS"
    " (SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND state = 'pending')"
)
_CLAIM_ALERT = "UPDATE alerts SET completed_at = ? WHERE id = ?" + _CLAIM_WHEN
# What an outcome changes; None keeps the stored value. Only pending deliveries change.
_RECORD_PROGRESS = (
    "UPDATE deliveries SET parts_sent = coalesce(?, parts_sent),"
    " attempts = coalesce(?, attempts), next_attempt_at = coalesce(?, next_attempt_at),"
    " error = coalesce(?, error) WHERE id = ? AND state = 'pending'"
)
_RECORD_FINAL = (
    "UPDATE deliveries SET state = ?, parts_sent = coalesce(?, parts_sent),"
    " attempts = coalesce(?, attempts), sent_at = ?, error = coalesce(?, error)"
    " WHERE id = ? AND state = 'pending'"
)
_MAX_IDS = 500


class OutboxRepository:
    """Reads and writes ``alerts``, ``deliveries`` and ``chat_migrations``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- enqueueing ----------------------------------------------------------------------
    async def enqueue_in(
        self,
        conn: aiosqlite.Connection,
        alert: NewAlert,
        chat_ids: Sequence[int],
        now: datetime,
    ) -> int:
        """Store ``alert`` and a delivery to each chat, inside the caller's transaction.

        Chats known to have moved (a group that became a supergroup) get the alert at their
        new id. Call the broadcaster's ``wake()`` after the transaction commits.

        Args:
            conn: the connection of the caller's ``db.transaction()``.
            alert: what to send.
            chat_ids: the recipients; duplicates are dropped, the first occurrence's order kept.
            now: the enqueue time; the deliveries are due from then.

        Returns:
            The new alert's id.
        """
        moved = {
            row["old_chat_id"]: row["new_chat_id"]
            for row in await (await conn.execute("SELECT * FROM chat_migrations")).fetchall()
        }
        targets = list(dict.fromkeys(_follow(chat_id, moved) for chat_id in chat_ids))
        cursor = await conn.execute(
            "INSERT INTO alerts (kind, report_id, priority, text, latitude, longitude,"
            " media_kind, media_file_id, paid, summary_chat_id, created_at, keyboard,"
            " protect_content)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                alert.kind,
                alert.report_id,
                alert.priority,
                alert.fallback_text,
                alert.latitude,
                alert.longitude,
                alert.media_kind,
                alert.media_file_id,
                int(alert.paid),
                alert.summary_chat_id,
                to_db_time(now),
                _keyboard_json(alert.keyboard),
                int(alert.protect_content),
            ),
        )
        alert_id = cursor.lastrowid
        assert alert_id is not None
        if not isinstance(alert.text, str):
            await conn.executemany(
                "INSERT INTO alert_texts (alert_id, language, text) VALUES (?, ?, ?)",
                [(alert_id, language, text) for language, text in alert.text.items()],
            )
        await conn.executemany(
            "INSERT INTO deliveries (alert_id, chat_id, priority, next_attempt_at)"
            " VALUES (?, ?, ?, ?)",
            [(alert_id, chat_id, alert.priority, to_db_time(now)) for chat_id in targets],
        )
        return alert_id

    async def enqueue(self, alert: NewAlert, chat_ids: Sequence[int], now: datetime) -> int:
        """Like :meth:`enqueue_in`, in a transaction of its own."""
        async with self._db.transaction() as conn:
            return await self.enqueue_in(conn, alert, chat_ids, now)

    async def cancel_pending_in(
        self, conn: aiosqlite.Connection, alert_id: int, now: datetime
    ) -> int:
        """Withdraw the deliveries of ``alert_id`` not sent yet, inside the caller's transaction.

        A delivery being sent at this very moment may still arrive; it stays 'cancelled'.
        Call the broadcaster's ``wake()`` afterwards: it reports the alert as done.
        ``now`` is not stored (the schema has no column for it).

        Returns:
            How many deliveries were withdrawn.
        """
        cursor = await conn.execute(
            "UPDATE deliveries SET state = 'failed', error = ?"
            " WHERE alert_id = ? AND state = 'pending'",
            (CANCELLED, alert_id),
        )
        return cursor.rowcount

    async def cancel_pending_to_in(self, conn: aiosqlite.Connection, chat_id: int) -> int:
        """Withdraw every delivery to ``chat_id`` not sent yet, inside the caller's transaction.

        Also drops ``chat_id`` as the recipient of "delivered N of M" summaries still to come
        (``/burn``). Call the broadcaster's ``wake()`` afterwards, as for
        :meth:`cancel_pending_in`.

        Returns:
            How many deliveries were withdrawn.
        """
        cursor = await conn.execute(
            "UPDATE deliveries SET state = 'failed', error = ?"
            " WHERE chat_id = ? AND state = 'pending'",
            (CANCELLED, chat_id),
        )
        await conn.execute(
            "UPDATE alerts SET summary_chat_id = NULL"
            " WHERE summary_chat_id = ? AND completed_at IS NULL",
            (chat_id,),
        )
        return cursor.rowcount

    # -- reading -------------------------------------------------------------------------
    async def get(self, alert_id: int) -> Alert | None:
        return (await self.get_many([alert_id])).get(alert_id)

    async def get_many(self, alert_ids: Collection[int]) -> dict[int, Alert]:
        """The alerts with these ids, by id (missing ids are left out), with their texts."""
        if not alert_ids:
            return {}
        marks = ", ".join("?" for _ in alert_ids)
        rows = await self._db.fetch_all(
            f"SELECT * FROM alerts WHERE id IN ({marks})", tuple(alert_ids)
        )
        texts: dict[int, dict[str, str]] = {}
        for text_row in await self._db.fetch_all(
            f"SELECT * FROM alert_texts WHERE alert_id IN ({marks})", tuple(alert_ids)
        ):
            texts.setdefault(text_row["alert_id"], {})[text_row["language"]] = text_row["text"]
        return {row["id"]: _alert(row, texts.get(row["id"])) for row in rows}

    async def deliveries(self, alert_id: int) -> list[Delivery]:
        """Every delivery of ``alert_id``, in enqueue order."""
        rows = await self._db.fetch_all(
            "SELECT * FROM deliveries WHERE alert_id = ? ORDER BY id", (alert_id,)
        )
        return [_delivery(row) for row in rows]

    async def recipients(self, alert_id: int) -> list[int]:
        """Chat ids the alert was delivered to (state 'sent'), in enqueue order."""
        rows = await self._db.fetch_all(
            "SELECT chat_id FROM deliveries WHERE alert_id = ? AND state = 'sent' ORDER BY id",
            (alert_id,),
        )
        return [row["chat_id"] for row in rows]

    async def audience(self, alert_id: int) -> list[int]:
        """Chat ids the alert reached or is still on its way to ('sent' or 'pending')."""
        rows = await self._db.fetch_all(
            "SELECT chat_id FROM deliveries WHERE alert_id = ? AND state IN ('sent', 'pending')"
            " ORDER BY id",
            (alert_id,),
        )
        return [row["chat_id"] for row in rows]

    async def summary(self, alert_id: int) -> DeliverySummary:
        """Count the deliveries of ``alert_id`` by outcome."""
        rows = await self._db.fetch_all(
            "SELECT state, error = ? AS cancelled, count(*) AS n FROM deliveries"
            " WHERE alert_id = ? GROUP BY state, error = ?",
            (CANCELLED, alert_id, CANCELLED),
        )
        counts = dict.fromkeys(("sent", "blocked", "failed", "pending", CANCELLED), 0)
        for row in rows:
            key = CANCELLED if row["state"] == "failed" and row["cancelled"] else row["state"]
            counts[key] += row["n"]
        return DeliverySummary(
            alert_id=alert_id,
            total=sum(counts.values()),
            sent=counts["sent"],
            blocked=counts["blocked"],
            failed=counts["failed"],
            pending=counts["pending"],
            cancelled=counts[CANCELLED],
        )

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> list[Delivery]:
        """Pending deliveries due at ``now``: lowest priority number first, then oldest first.

        Read under the write lock: the bot shares one connection, so a read outside a
        transaction could see another caller's uncommitted (and later rolled back) alert.

        Args:
            now: deliveries whose ``next_attempt_at`` is at or before this are due.
            limit: at most this many rows are read (``skip`` ones included).
            skip: delivery ids to leave out (the broadcaster's in-flight sends); it is read
                inside the transaction, so an id removed after a send's outcome was committed
                cannot come back with its old progress.
        """
        async with self._db.transaction() as conn:
            # The page's ids first, from the partial index alone; then only those rows and
            # their readers' languages (not every due row's, before the sort: a third faster
            # with 10,000 due, and the write lock is held meanwhile).
            cursor = await conn.execute(
                "SELECT deliveries.*, users.language FROM deliveries"
                " LEFT JOIN users ON users.telegram_id = deliveries.chat_id"
                " WHERE deliveries.id IN (SELECT id FROM deliveries"
                "  WHERE state = 'pending' AND next_attempt_at <= ?"
                "  ORDER BY priority, id LIMIT ?)"
                " ORDER BY deliveries.priority, deliveries.id",
                (to_db_time(now), limit),
            )
            rows = await cursor.fetchall()
            return [_delivery(row) for row in rows if row["id"] not in skip]

    async def pending_due(self, now: datetime) -> int:
        """How many pending deliveries are due at ``now``."""
        row = await self._db.fetch_one(
            "SELECT count(*) FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ?",
            (to_db_time(now),),
        )
        return int(row[0]) if row else 0

    async def completable(self) -> list[int]:
        """Ids of alerts with nothing pending whose completion was not claimed yet."""
        rows = await self._db.fetch_all(
            "SELECT id FROM alerts WHERE completed_at IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND state = 'pending')"
            " ORDER BY id"
        )
        return [row["id"] for row in rows]

    # -- recording outcomes ----------------------------------------------------------------
    async def record(self, outcomes: Sequence[Outcome], now: datetime) -> list[int]:
        """Record what happened to some sends, in one transaction (one disk flush for all).

        Only pending deliveries change: a final state is never overwritten. A batch costs a
        few statements however many outcomes it holds (the broadcaster records hundreds at
        once at the paid rate).

        Args:
            outcomes: one per send.
            now: the time of a final state (``sent_at``, ``completed_at``).

        Returns:
            Ids of the alerts completed now (nothing of theirs pending any more) whose
            completion was claimed here; each alert id is returned once, ever.
        """
        progress = [
            (
                o.parts_sent,
                o.attempts,
                to_db_time(o.retry_at) if o.retry_at else None,
                o.error,
                o.delivery_id,
            )
            for o in outcomes
            if o.state is DeliveryState.PENDING
        ]
        stamp = to_db_time(now)
        final = [
            (
                o.state.value,
                o.parts_sent,
                o.attempts,
                stamp if o.state is DeliveryState.SENT else None,
                o.error,
                o.delivery_id,
            )
            for o in outcomes
            if o.state is not DeliveryState.PENDING
        ]
        claimed: list[int] = []
        async with self._db.transaction() as conn:
            if progress:
                await conn.executemany(_RECORD_PROGRESS, progress)
            if final:
                await conn.executemany(_RECORD_FINAL, final)
            ids = [row[-1] for row in final]
            for at in range(0, len(ids), _MAX_IDS):  # SQLite's limit on ? per statement
                chunk = ids[at : at + _MAX_IDS]
                marks = ", ".join("?" * len(chunk))
                cursor = await conn.execute(
                    "UPDATE alerts SET completed_at = ? WHERE id IN"
                    f" (SELECT alert_id FROM deliveries WHERE id IN ({marks}))"
                    + _CLAIM_WHEN
                    + " RETURNING id",
                    (stamp, *chunk),
                )
                claimed += sorted(row[0] for row in await cursor.fetchall())
        return claimed

    async def mark_part_sent(self, delivery_id: int, parts_sent: int, now: datetime) -> None:
        """Record that the first ``parts_sent`` parts of a delivery reached Telegram."""
        outcome = Outcome(delivery_id, DeliveryState.PENDING, parts_sent=parts_sent)
        await self.record([outcome], now)

    async def mark_sent(
        self, delivery_id: int, now: datetime, *, parts_sent: int, error: str = ""
    ) -> bool:
        """Record that every part was delivered (``error`` notes a part that was skipped).

        Returns:
            True if this completed the delivery's alert and claimed its completion.
        """
        outcome = Outcome(delivery_id, DeliveryState.SENT, parts_sent=parts_sent, error=error)
        return bool(await self.record([outcome], now))

    async def mark_blocked(self, delivery_id: int, now: datetime, error: str) -> bool:
        """Record that the recipient blocked the bot; returns True as :meth:`mark_sent`."""
        return bool(
            await self.record([Outcome(delivery_id, DeliveryState.BLOCKED, error=error)], now)
        )

    async def mark_failed(self, delivery_id: int, now: datetime, error: str) -> bool:
        """Give up on a delivery; returns True as :meth:`mark_sent`."""
        return bool(
            await self.record([Outcome(delivery_id, DeliveryState.FAILED, error=error)], now)
        )

    async def retry_later(
        self, delivery_id: int, *, attempts: int, at: datetime, error: str
    ) -> None:
        """Count a failed attempt and make the delivery due again at ``at``."""
        outcome = Outcome(
            delivery_id, DeliveryState.PENDING, attempts=attempts, retry_at=at, error=error
        )
        await self.record([outcome], at)

    async def migrate_chat(self, delivery_id: int, old_chat_id: int, new_chat_id: int) -> bool:
        """Record that ``old_chat_id`` moved to ``new_chat_id``, and move pending deliveries.

        Returns:
            True if the delivery now goes to the new chat; False if the new chat already had a
            delivery of the same alert (this one stays as it was: a duplicate to give up on).
        """
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO chat_migrations (old_chat_id, new_chat_id) VALUES (?, ?)",
                (old_chat_id, new_chat_id),
            )
            # OR IGNORE: a delivery whose alert already goes to the new chat stays put.
            await conn.execute(
                "UPDATE OR IGNORE deliveries SET chat_id = ?"
                " WHERE chat_id = ? AND state = 'pending'",
                (new_chat_id, old_chat_id),
            )
            cursor = await conn.execute(
                "SELECT chat_id FROM deliveries WHERE id = ?", (delivery_id,)
            )
            row = await cursor.fetchone()
            return row is not None and row["chat_id"] == new_chat_id

    async def chat_migrations(self) -> dict[int, int]:
        """Every recorded move, old chat id to new chat id."""
        rows = await self._db.fetch_all("SELECT * FROM chat_migrations")
        return {row["old_chat_id"]: row["new_chat_id"] for row in rows}

    async def claim_completion(self, alert_id: int, now: datetime) -> bool:
        """Mark ``alert_id`` completed if nothing is pending; True only for the one claimer."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(_CLAIM_ALERT, (to_db_time(now), alert_id))
            return cursor.rowcount == 1


def _follow(chat_id: int, moved: dict[int, int]) -> int:
    """Where ``chat_id`` lives now, following a chain of moves (and never looping)."""
    seen = {chat_id}
    while chat_id in moved and moved[chat_id] not in seen:
        chat_id = moved[chat_id]
        seen.add(chat_id)
    return chat_id
