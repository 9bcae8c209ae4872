"""The outbox repository: enqueueing, due order, outcomes, completion claimed once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.settings import Settings
from storage.database import Database
from storage.outbox import DeliveryState, NewAlert, OutboxRepository, Part


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = await Database.open(settings.database_path)
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
def outbox(db: Database) -> OutboxRepository:
    return OutboxRepository(db)


def alert(priority: int = 1, **fields: object) -> NewAlert:
    return NewAlert(
        kind="report", text="<b>Detained</b> near the akimat", priority=priority, **fields
    )  # type: ignore[arg-type]


async def test_enqueue_stores_the_alert_and_one_delivery_per_distinct_chat(
    outbox: OutboxRepository, clock: FrozenClock
) -> None:
    new = alert(0, latitude=43.25, longitude=76.95, media_kind="photo", media_file_id="F1")
    alert_id = await outbox.enqueue(new, [11, 12, 11, -100, 12], clock.now())

    stored = await outbox.get(alert_id)
    assert stored is not None
    assert (stored.text, stored.priority, stored.created_at) == (new.text, 0, clock.now())
    assert stored.parts == (Part.TEXT, Part.LOCATION, Part.MEDIA)
    assert stored.completed_at is None
    deliveries = await outbox.deliveries(alert_id)
    assert [d.chat_id for d in deliveries] == [11, 12, -100]
    assert {d.state for d in deliveries} == {DeliveryState.PENDING}
    assert {d.priority for d in deliveries} == {0}
    assert {d.next_attempt_at for d in deliveries} == {clock.now()}


async def test_alert_and_deliveries_commit_with_the_callers_transaction(
    db: Database, outbox: OutboxRepository, clock: FrozenClock
) -> None:
    async def store_report_then_fail() -> None:
        async with db.transaction() as conn:
            await outbox.enqueue_in(conn, alert(), [11, 12], clock.now())
            raise RuntimeError("the report could not be stored")

    with pytest.raises(RuntimeError, match="the report could not be stored"):
        await store_report_then_fail()
    assert await outbox.due(clock.now(), 10) == []
    assert await outbox.completable() == []


async def test_due_goes_by_priority_then_age_and_skips_future_retries(
    outbox: OutboxRepository, clock: FrozenClock
) -> None:
    digest = await outbox.enqueue(alert(2), [1, 2], clock.now())
    release = await outbox.enqueue(alert(1), [3], clock.now())
    detention = await outbox.enqueue(alert(0), [4, 5], clock.now())
    later = (await outbox.deliveries(digest))[0]
    await outbox.retry_later(later.id, attempts=1, at=clock.now() + timedelta(seconds=2), error="")

    due = await outbox.due(clock.now(), 10)
    assert [(d.alert_id, d.chat_id) for d in due] == [
        (detention, 4),
        (detention, 5),
        (release, 3),
        (digest, 2),
    ]
    assert [d.chat_id for d in await outbox.due(clock.now(), 2)] == [4, 5]
    assert [d.chat_id for d in await outbox.due(clock.now(), 10, skip={due[0].id})] == [5, 3, 2]
    clock.advance(timedelta(seconds=2))
    assert [d.chat_id for d in await outbox.due(clock.now(), 10)] == [4, 5, 3, 1, 2]
    assert await outbox.pending_due(clock.now()) == 5


async def test_progress_and_outcomes_are_recorded_and_summed_up(
    outbox: OutboxRepository, clock: FrozenClock
) -> None:
    alert_id = await outbox.enqueue(alert(latitude=1.0, longitude=2.0), [1, 2, 3, 4], clock.now())
    one, two, three, _ = await outbox.deliveries(alert_id)
    await outbox.mark_part_sent(one.id, 1, clock.now())
    assert await outbox.mark_sent(one.id, clock.now(), parts_sent=2) is False
    assert await outbox.mark_blocked(two.id, clock.now(), "Forbidden") is False
    assert await outbox.mark_failed(three.id, clock.now(), "TimedOut") is False

    one, two, three, _ = await outbox.deliveries(alert_id)
    assert (one.state, one.parts_sent, one.sent_at) == (DeliveryState.SENT, 2, clock.now())
    assert (two.state, two.error) == (DeliveryState.BLOCKED, "Forbidden")
    assert (three.state, three.error) == (DeliveryState.FAILED, "TimedOut")
    summary = await outbox.summary(alert_id)
    assert (summary.total, summary.sent, summary.blocked, summary.failed) == (4, 1, 1, 1)
    assert (summary.pending, summary.unreachable) == (1, 2)
    assert await outbox.recipients(alert_id) == [1]
    assert await outbox.audience(alert_id) == [1, 4]


async def test_a_final_state_is_never_overwritten(
    outbox: OutboxRepository, clock: FrozenClock
) -> None:
    alert_id = await outbox.enqueue(alert(), [1], clock.now())
    [delivery] = await outbox.deliveries(alert_id)
    assert await outbox.mark_sent(delivery.id, clock.now(), parts_sent=1) is True
    assert await outbox.mark_failed(delivery.id, clock.now(), "TimedOut") is False
    await outbox.retry_later(delivery.id, attempts=3, at=clock.now(), error="NetworkError")
    [delivery] = await outbox.deliveries(alert_id)
    assert (delivery.state, delivery.attempts, delivery.error) == (DeliveryState.SENT, 0, "")


async def test_completion_is_claimed_once_by_the_last_outcome(
    outbox: OutboxRepository, clock: FrozenClock
) -> None:
    alert_id = await outbox.enqueue(alert(), [1, 2], clock.now())
    first, second = await outbox.deliveries(alert_id)
    assert await outbox.claim_completion(alert_id, clock.now()) is False
    assert await outbox.mark_sent(first.id, clock.now(), parts_sent=1) is False
    assert await outbox.completable() == []
    assert await outbox.mark_blocked(second.id, clock.now(), "Forbidden") is True

    stored = await outbox.get(alert_id)
    assert stored is not None and stored.completed_at == clock.now()
    assert await outbox.claim_completion(alert_id, clock.now()) is False
    assert await outbox.completable() == []


async def test_alerts_with_nothing_pending_wait_to_be_claimed(
    db: Database, outbox: OutboxRepository, clock: FrozenClock
) -> None:
    nobody = await outbox.enqueue(alert(), [], clock.now())
    withdrawn = await outbox.enqueue(alert(), [1, 2], clock.now())
    [first, _] = await outbox.deliveries(withdrawn)
    await outbox.mark_sent(first.id, clock.now(), parts_sent=1)
    async with db.transaction() as conn:
        assert await outbox.cancel_pending_in(conn, withdrawn, clock.now()) == 1

    assert await outbox.completable() == [nobody, withdrawn]
    summary = await outbox.summary(withdrawn)
    assert (summary.sent, summary.failed, summary.cancelled, summary.pending) == (1, 0, 1, 0)
    assert await outbox.recipients(withdrawn) == [1]
    assert await outbox.claim_completion(nobody, clock.now()) is True
    assert await outbox.claim_completion(nobody, clock.now()) is False
    assert await outbox.completable() == [withdrawn]


async def test_a_migrated_chat_takes_its_pending_and_future_alerts_along(
    outbox: OutboxRepository, clock: FrozenClock
) -> None:
    first = await outbox.enqueue(alert(), [-100, 7], clock.now())
    second = await outbox.enqueue(alert(), [-100], clock.now())
    moving = (await outbox.deliveries(first))[0]

    assert await outbox.migrate_chat(moving.id, -100, -1001) is True
    assert await outbox.chat_migrations() == {-100: -1001}
    assert [d.chat_id for d in await outbox.deliveries(first)] == [-1001, 7]
    assert [d.chat_id for d in await outbox.deliveries(second)] == [-1001]
    third = await outbox.enqueue(alert(), [-100, -1001, 7], clock.now())
    assert [d.chat_id for d in await outbox.deliveries(third)] == [-1001, 7]


async def test_a_migration_onto_a_chat_that_already_has_the_alert_fails_the_duplicate(
    outbox: OutboxRepository, clock: FrozenClock
) -> None:
    alert_id = await outbox.enqueue(alert(), [-100, -1001], clock.now())
    old, new = await outbox.deliveries(alert_id)

    assert await outbox.migrate_chat(old.id, -100, -1001) is False
    old, new = await outbox.deliveries(alert_id)
    assert (old.chat_id, old.state) == (-100, DeliveryState.PENDING)
    assert (new.chat_id, new.state) == (-1001, DeliveryState.PENDING)
