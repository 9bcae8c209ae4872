"""The broadcaster against the fake Bot API, over real HTTP: pace, retries, order, outcomes."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import DabylApplication
from bot.broadcaster import Broadcaster, OnComplete, make_sender_bot, sending_capacity
from bot.clock import Clock, FrozenClock, SystemClock
from bot.context import SERVICES_KEY
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from fakebotapi import FakeBotAPI, FakeUser
from storage.database import Database
from storage.outbox import Alert, DeliveryState, DeliverySummary, NewAlert, OutboxRepository
from storage.users import UserRepository
from tests.conftest import ADMIN_ID, make_settings

TEXT = "🚨 <b>Detained</b>: Aigerim, near the akimat"
FIRST_ID = 20_000


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's future ``RetryAfter.retry_after`` type (avoids a deprecation warning)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def db(bot_settings: Settings) -> AsyncIterator[Database]:
    database = await Database.open(bot_settings.database_path)
    await database.migrate()
    yield database
    await database.close()


class Run:
    """A started broadcaster and the ``on_complete`` calls it made."""

    def __init__(self, outbox: OutboxRepository, make: Callable[[OnComplete], Broadcaster]) -> None:
        self.outbox = outbox
        self.completed: list[tuple[Alert, DeliverySummary]] = []
        self.broadcaster = make(self.on_complete)

    async def on_complete(self, alert: Alert, summary: DeliverySummary) -> None:
        self.completed.append((alert, summary))

    async def send(self, alert: NewAlert, chat_ids: list[int], now: datetime) -> int:
        alert_id = await self.outbox.enqueue(alert, chat_ids, now)
        self.broadcaster.wake()
        return alert_id

    async def finish(self, alert_id: int, timeout: float = 30) -> None:  # noqa: ASYNC109
        """Wait until the alert has nothing pending, retries included, and is reported.

        ``drain()`` alone may return while a retry is not due yet (times are stored to the
        second); with the real clock and a tiny backoff it soon will be.
        """
        async with asyncio.timeout(timeout):
            while True:  # the database has no change notification to wait on
                if not (await self.outbox.summary(alert_id)).pending:
                    break
                await asyncio.sleep(0.05)
        await self.broadcaster.drain(timeout)


@asynccontextmanager
async def broadcasting(
    settings: Settings,
    db: Database,
    clock: Clock,
    *,
    read_timeout: float = 10.0,
    **options: Any,
) -> AsyncIterator[Run]:
    outbox = OutboxRepository(db)
    bot = make_sender_bot(settings, read_timeout=read_timeout)
    run = Run(
        outbox,
        lambda on_complete: Broadcaster(
            outbox, UserRepository(db), bot, settings, clock, on_complete=on_complete, **options
        ),
    )
    await run.broadcaster.start()
    try:
        yield run
    finally:
        await run.broadcaster.stop()


def people(telegram: FakeBotAPI, count: int) -> list[FakeUser]:
    return [telegram.user(FIRST_ID + i, f"Subscriber {i}") for i in range(count)]


def received(person: FakeUser, text: str = "Detained") -> int:
    return sum(1 for m in person.messages if m.text and text in m.text)


async def subscribe(db: Database, clock: Clock, chats: list[FakeUser]) -> UserRepository:
    users = UserRepository(db)
    for person in chats:
        await users.create(
            person.id,
            username=None,
            first_name=person.chat["first_name"],
            role=Role.SUBSCRIBER,
            language="en",
            now=clock.now(),
        )
    return users


async def test_alert_reaches_every_reachable_subscriber_exactly_once_despite_errors(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database
) -> None:
    clock = SystemClock()
    everyone = people(telegram, 500)
    users = await subscribe(db, clock, everyone)
    blocked = [everyone[7], everyone[250], everyone[499]]
    for person in blocked:
        person.block()
    # Telegram's flood limit is below our pace: it answers 429 with retry_after=1 (and once
    # more on its own, as it does when it is busy).
    telegram.rate_limit(per_second=200, retry_after=1)
    telegram.fail_next("sendMessage", 500, times=3)
    telegram.fail_next("sendMessage", 502, times=2)
    telegram.fail_next("sendMessage", 429, retry_after=1)
    telegram.fail_next("sendMessage", 504, times=3, hang=3)  # timed out, not sent
    telegram.fail_next("sendMessage", 503, times=2)

    began = time.monotonic()
    async with broadcasting(
        bot_settings, db, clock, read_timeout=1, rate=250, backoff=timedelta(milliseconds=50)
    ) as run:
        alert_id = await run.send(
            NewAlert(kind="report", text=TEXT, priority=0, summary_chat_id=ADMIN_ID),
            [p.id for p in everyone],
            clock.now(),
        )
        await run.finish(alert_id, timeout=60)
    elapsed = time.monotonic() - began

    counts = Counter(received(person) for person in everyone if person not in blocked)
    assert counts == {1: 497}, counts
    assert [received(person) for person in blocked] == [0, 0, 0]
    for person in blocked:
        user = await users.get(person.id)
        assert user is not None and not user.subscribed
    still = [await users.get(p.id) for p in everyone[:5]]
    assert all(user is not None and user.subscribed for user in still)
    [(alert, summary)] = run.completed
    assert alert.id == alert_id and alert.summary_chat_id == ADMIN_ID
    assert (summary.total, summary.sent, summary.unreachable) == (500, 497, 3)
    assert (summary.blocked, summary.failed, summary.pending) == (3, 0, 0)
    statuses = telegram.stats.status_counts
    assert [statuses[code] for code in (500, 502, 503)] == [3, 2, 2]
    assert statuses[429] == 1 + telegram.stats.rate_limited  # the injected one, and the limit's
    print(
        f"\n500 recipients in {elapsed:.1f}s; {statuses[429]} answered 429,"
        f" max {telegram.max_sends_in_any_second()} sends in any second"
    )


async def test_timeouts_after_delivery_cause_duplicates_and_nothing_worse(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database
) -> None:
    clock = SystemClock()
    everyone = people(telegram, 40)
    telegram.fail_next("sendMessage", times=3, hang=1.5, deliver=True)  # sent, answer lost

    async with broadcasting(
        bot_settings, db, clock, read_timeout=0.5, rate=100, backoff=timedelta(milliseconds=50)
    ) as run:
        alert_id = await run.send(
            NewAlert(kind="report", text=TEXT, priority=0), [p.id for p in everyone], clock.now()
        )
        await run.finish(alert_id)

    counts = Counter(received(person) for person in everyone)
    duplicates = sum(n - 1 for n in counts.elements() if n > 1)
    print(f"\ntimeouts after delivery: {duplicates} duplicate(s) among {len(everyone)} chats")
    assert telegram.stats.hung_deliveries == 3
    assert counts == {1: 37, 2: 3}
    assert (await run.outbox.summary(alert_id)).sent == 40


async def test_retry_after_pauses_all_sending_as_long_as_telegram_asks(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database, clock: FrozenClock
) -> None:
    everyone = people(telegram, 3)
    telegram.fail_next("sendMessage", 429, retry_after=1)
    async with broadcasting(bot_settings, db, clock) as run:
        alert_id = await run.send(
            NewAlert(kind="report", text=TEXT, priority=0), [p.id for p in everyone], clock.now()
        )
        await telegram.wait_for_call("sendMessage")
        asked_at = asyncio.get_running_loop().time()
        await run.broadcaster.drain()

    assert 0.98 <= telegram.stats.send_times[0] - asked_at < 1.5
    assert [received(p) for p in everyone] == [1, 1, 1]
    assert {d.attempts for d in await run.outbox.deliveries(alert_id)} == {0}


@pytest.mark.parametrize(
    ("paid_broadcast", "paid_alert", "expected"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
async def test_paid_broadcast_only_when_enabled_and_the_alert_is_paid(
    tmp_path: Path,
    telegram: FakeBotAPI,
    clock: FrozenClock,
    paid_broadcast: bool,
    paid_alert: bool,
    expected: bool,
) -> None:
    settings = make_settings(
        tmp_path, telegram_api_url=telegram.base_url, paid_broadcast=paid_broadcast
    )
    database = await Database.open(settings.database_path)
    await database.migrate()
    everyone = people(telegram, 3)
    alert = NewAlert(
        kind="report", text=TEXT, priority=0, paid=paid_alert, latitude=43.2, longitude=76.9
    )
    async with broadcasting(settings, database, clock) as run:
        await run.send(alert, [p.id for p in everyone], clock.now())
        await run.broadcaster.drain()
    await database.close()

    for method in ("sendMessage", "sendLocation"):
        calls = telegram.calls(method)
        assert len(calls) == 3
        assert {call.get("allow_paid_broadcast", False) for call in calls} == {expected}


async def test_paid_outcomes_are_committed_together_and_only_after_telegram_answered(
    tmp_path: Path, telegram: FakeBotAPI, clock: FrozenClock
) -> None:
    settings = make_settings(tmp_path, telegram_api_url=telegram.base_url, paid_broadcast=True)
    database = await Database.open(settings.database_path)
    await database.migrate()
    everyone = people(telegram, 60)
    alert = NewAlert(kind="report", text=TEXT, priority=0, paid=True)
    async with broadcasting(settings, database, clock, batch_window=1.0) as run:
        alert_id = await run.send(alert, [p.id for p in everyone], clock.now())
        await telegram.wait_for_call("sendMessage", count=60)
        await telegram.state.wait_for(lambda: telegram.stats.sends == 60, 5)
        # Telegram has every message, and nothing is recorded yet: the outcomes wait for the
        # batch to close. The commit then stamps them all with the same moment.
        assert (await run.outbox.summary(alert_id)).pending == 60
        clock.advance(timedelta(minutes=1))
        await run.finish(alert_id)
    deliveries = await run.outbox.deliveries(alert_id)
    await database.close()

    assert {(d.state, d.sent_at) for d in deliveries} == {(DeliveryState.SENT, clock.now())}
    assert [received(person) for person in everyone] == [1] * 60
    assert sending_capacity(settings) >= 100  # on their way at once: 1,000/s at 100 ms


async def test_detention_alerts_overtake_queued_lower_priority_deliveries(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database, clock: FrozenClock
) -> None:
    digest_readers = people(telegram, 150)
    detention_readers = [telegram.user(FIRST_ID + 1000 + i, f"Urgent {i}") for i in range(30)]
    async with broadcasting(bot_settings, db, clock, rate=120) as run:
        await run.send(
            NewAlert(kind="followup", text="Weekly digest", priority=2),
            [p.id for p in digest_readers],
            clock.now(),
        )
        await telegram.wait_for_call("sendMessage", count=20)
        digests_before = len(telegram.calls("sendMessage"))
        await run.send(
            NewAlert(kind="report", text=TEXT, priority=0),
            [p.id for p in detention_readers],
            clock.now(),
        )
        await run.broadcaster.drain()

    kinds = [
        "urgent" if "Detained" in c["text"] else "digest" for c in telegram.calls("sendMessage")
    ]
    assert kinds.count("urgent") == 30 and kinds.count("digest") == 150
    last_urgent = max(i for i, kind in enumerate(kinds) if kind == "urgent")
    # Only a few digests go out between "enqueued" and "read": sends already on their way,
    # and those started while the detention alert was being written.
    assert kinds[:last_urgent].count("digest") <= digests_before + 5, kinds


async def test_parts_go_in_order_paced_per_chat_and_a_restart_skips_parts_sent(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database, clock: FrozenClock
) -> None:
    alice, bolat, chingiz = people(telegram, 3)
    photo = (await alice.send_photo()).raw["photo"][-1]["file_id"]
    telegram.rate_limit(per_chat_per_second=1)  # Telegram's limit for one private chat
    outbox = OutboxRepository(db)
    alert = NewAlert(
        kind="report",
        text=TEXT,
        priority=0,
        latitude=43.238,
        longitude=76.945,
        media_kind="photo",
        media_file_id=photo,
    )
    alert_id = await outbox.enqueue(alert, [alice.id, bolat.id, chingiz.id], clock.now())
    # A previous run sent Chingiz the text, and died before sending the rest.
    await outbox.mark_part_sent((await outbox.deliveries(alert_id))[2].id, 1, clock.now())

    async with broadcasting(bot_settings, db, clock) as run:
        await run.broadcaster.drain()

    for person in (alice, bolat):
        kinds = [
            ("text" if m.raw.get("text") else "location" if m.location else "photo")
            for m in person.messages
        ]
        assert kinds == ["text", "location", "photo"]
    assert [m.location is not None for m in chingiz.messages] == [True, False]
    assert chingiz.messages[1].raw["photo"][0]["file_id"] == photo
    assert telegram.stats.rate_limited == 0
    assert {d.parts_sent for d in await outbox.deliveries(alert_id)} == {3}
    [(_, summary)] = run.completed
    assert summary.sent == 3


async def test_a_group_that_became_a_supergroup_gets_the_alert_at_its_new_id(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database, clock: FrozenClock
) -> None:
    old = telegram.group(-4001, "Support Almaty")
    new = telegram.group(-1004001, "Support Almaty", supergroup=True)
    telegram.fail_next(
        "sendMessage",
        400,
        description="Bad Request: group chat was upgraded to a supergroup chat",
        parameters={"migrate_to_chat_id": new.id},
    )
    async with broadcasting(bot_settings, db, clock) as run:
        alert_id = await run.send(
            NewAlert(kind="report", text=TEXT, priority=0), [old.id], clock.now()
        )
        await run.broadcaster.drain()

    assert old.messages == [] and len(new.messages) == 1
    assert await run.outbox.chat_migrations() == {old.id: new.id}
    assert await run.outbox.recipients(alert_id) == [new.id]
    later = await run.outbox.enqueue(
        NewAlert(kind="report", text=TEXT, priority=1), [old.id], clock.now()
    )
    assert [d.chat_id for d in await run.outbox.deliveries(later)] == [new.id]


async def test_unknown_chats_and_lasting_errors_end_as_failed(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database
) -> None:
    clock = SystemClock()
    [alice] = people(telegram, 1)
    telegram.fail_next("sendMessage", 503, times=3)
    async with broadcasting(
        bot_settings, db, clock, max_attempts=3, backoff=timedelta(milliseconds=10)
    ) as run:
        alert_id = await run.send(
            NewAlert(kind="report", text=TEXT, priority=0), [alice.id], clock.now()
        )
        await run.finish(alert_id)
        unknown = await run.send(NewAlert(kind="report", text=TEXT, priority=0), [777], clock.now())
        await run.finish(unknown)

    [flaky] = await run.outbox.deliveries(alert_id)
    assert (flaky.state, flaky.attempts, flaky.error) == (DeliveryState.FAILED, 3, "NetworkError")
    [missing] = await run.outbox.deliveries(unknown)
    assert (missing.state, missing.error) == (DeliveryState.FAILED, "BadRequest")
    assert alice.messages == []
    summaries = {alert.id: summary for alert, summary in run.completed}
    assert summaries[alert_id].unreachable == 1 and summaries[unknown].unreachable == 1


async def test_each_alert_is_reported_once_even_across_restarts(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database, clock: FrozenClock
) -> None:
    everyone = people(telegram, 3)
    async with broadcasting(bot_settings, db, clock) as first:
        await first.send(
            NewAlert(kind="report", text=TEXT, priority=1), [p.id for p in everyone], clock.now()
        )
        nobody = await first.send(
            NewAlert(kind="broadcast", text=TEXT, priority=1), [], clock.now()
        )
        await first.broadcaster.drain()
    async with broadcasting(bot_settings, db, clock) as second:
        await second.broadcaster.drain()
        await asyncio.sleep(0.6)  # a poll or two

    assert sorted(summary.total for _, summary in first.completed) == [0, 3]
    assert nobody in {alert.id for alert, _ in first.completed}
    assert second.completed == []
    assert [received(p) for p in everyone] == [1, 1, 1]


async def test_stop_is_prompt_while_paused_or_waiting_for_telegram(
    telegram: FakeBotAPI, bot_settings: Settings, db: Database, clock: FrozenClock
) -> None:
    everyone = people(telegram, 5)
    telegram.fail_next("sendMessage", times=1, hang=5, deliver=False)
    telegram.fail_next("sendMessage", 429, times=1, retry_after=30)
    async with broadcasting(bot_settings, db, clock) as run:
        alert_id = await run.send(
            NewAlert(kind="report", text=TEXT, priority=0), [p.id for p in everyone], clock.now()
        )
        await telegram.wait_for_call("sendMessage", count=2)
        await asyncio.sleep(0.2)
        began = time.monotonic()
    stopped_in = time.monotonic() - began

    assert stopped_in < 1.0
    deliveries = await run.outbox.deliveries(alert_id)
    assert {d.state for d in deliveries} == {DeliveryState.PENDING}
    assert {d.attempts for d in deliveries} == {0}
    assert run.completed == []


async def test_the_running_bot_sends_alerts_and_tells_the_sender_how_it_went(
    telegram: FakeBotAPI, bot: DabylApplication, clock: FrozenClock
) -> None:
    services: Services = bot.bot_data[SERVICES_KEY]
    aigerim = telegram.user(ADMIN_ID, "Aigerim")
    readers = people(telegram, 3)
    readers[2].block()

    alert_id = await services.outbox.enqueue(
        NewAlert(kind="broadcast", text=TEXT, priority=1, summary_chat_id=ADMIN_ID),
        [p.id for p in readers],
        clock.now(),
    )
    services.broadcaster.wake()

    summary = await aigerim.expect_reply(timeout=10)
    assert summary.text == f"Alert #{alert_id}: delivered to 2 of 3; 1 unreachable."
    assert [received(p) for p in readers] == [1, 1, 0]
