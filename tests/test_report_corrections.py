"""Retractions and attachments at the service level, with the outbox half delivered."""

from __future__ import annotations

from bot.clock import FrozenClock
from bot.reports import AttachStatus, Draft
from bot.roles import Role
from bot.services import Services
from storage.outbox import CANCELLED, DeliveryState
from storage.reports import Media, ReportKind
from tests.conftest import person


async def alert_of(services: Services, report_id: int) -> int:
    row = await services.db.fetch_one(
        "SELECT id FROM alerts WHERE report_id = ? ORDER BY id LIMIT 1", (report_id,)
    )
    assert row is not None
    return int(row["id"])


async def test_retract_corrects_whoever_got_the_text_even_if_the_photo_was_still_due(
    services: Services, clock: FrozenClock
) -> None:
    daniyar = await person(services, 6001, "Daniyar", Role.COORDINATOR)
    for telegram_id, name in ((6002, "Asel"), (6003, "Bolat"), (6004, "Dana")):
        await person(services, telegram_id, name, Role.SUBSCRIBER)
    draft = Draft(
        ReportKind.DETENTION, name="Saule Bekova", place="Abay sq", media=(Media("photo", "F1"),)
    )
    report = (await services.reports.submit(daniyar, draft)).report
    alert_id = await alert_of(services, report.id)
    by_chat = {d.chat_id: d for d in await services.outbox.deliveries(alert_id)}
    now = clock.now()
    await services.outbox.mark_sent(by_chat[6002].id, now, parts_sent=2)  # text and photo
    await services.outbox.mark_part_sent(by_chat[6003].id, 1, now)  # the text only, so far
    # 6004 and 6001 got nothing yet.

    await services.reports.retract(report.id, daniyar, "a false alarm")

    rows = await services.db.fetch_all(
        "SELECT d.chat_id FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
        " WHERE a.kind = 'correction' ORDER BY d.chat_id"
    )
    assert [row["chat_id"] for row in rows] == [6002, 6003]


async def test_retract_withdraws_follow_ups_not_sent_yet(
    services: Services, clock: FrozenClock
) -> None:
    daniyar = await person(services, 6001, "Daniyar", Role.COORDINATOR)
    await person(services, 6002, "Asel", Role.SUBSCRIBER)
    draft = Draft(ReportKind.DETENTION, name="Saule Bekova", place="Abay sq")
    report = (await services.reports.submit(daniyar, draft)).report
    alert_id = await alert_of(services, report.id)
    for delivery in await services.outbox.deliveries(alert_id):
        await services.outbox.mark_sent(delivery.id, clock.now(), parts_sent=1)
    attached = await services.reports.attach(daniyar, media=Media("photo", "F2"))
    assert attached.status == AttachStatus.SENT

    await services.reports.retract(report.id, daniyar, "a false alarm")

    rows = await services.db.fetch_all(
        "SELECT d.state, d.error FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
        " WHERE a.kind = 'followup'"
    )
    assert {(row["state"], row["error"]) for row in rows} == {
        (DeliveryState.FAILED.value, CANCELLED)
    }


async def test_a_photo_for_a_withdrawn_report_is_not_sent(
    services: Services, clock: FrozenClock
) -> None:
    daniyar = await person(services, 6001, "Daniyar", Role.COORDINATOR)
    gulnara = await person(services, 6004, "Gulnara", Role.COORDINATOR)
    draft = Draft(ReportKind.DETENTION, name="Saule Bekova", place="Abay sq")
    original = (await services.reports.submit(daniyar, draft)).report
    await services.reports.submit(gulnara, draft)  # corroborates the original
    await services.reports.retract(original.id, daniyar, "a false alarm")

    attached = await services.reports.attach(gulnara, media=Media("photo", "F3"))

    assert attached.status == AttachStatus.NO_REPORT
    rows = await services.db.fetch_all("SELECT id FROM alerts WHERE kind = 'followup'")
    assert rows == []
