"""RETENTION_DAYS: old reports lose their reporter, people who left long ago are deleted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.reports import Draft
from bot.retention import ForgetOutcome
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from storage.database import to_db_time
from storage.reports import ReportKind, ReportRepository
from tests.conftest import ADMIN_ID, make_settings, person, sender


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, retention_days=30)


async def report_by(services: Services, telegram_id: int, name: str, details: str) -> int:
    reporter = await services.users.get(telegram_id)
    assert reporter is not None
    draft = Draft(ReportKind.DETENTION, name=name, place="Abay square", details=details)
    return (await services.reports.submit(reporter, draft)).report.id


async def add_hearing(services: Services, person_id: int, attendees: list[int]) -> int:
    now = to_db_time(services.clock.now())
    async with services.db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO hearings (person_id, starts_at, place, created_by, created_at,"
            " updated_at) VALUES (?, ?, 'Medeu district court', ?, ?, ?)",
            (person_id, to_db_time(services.clock.now() + timedelta(days=90)), 6001, now, now),
        )
        hearing_id = cursor.lastrowid
        for user_id in attendees:
            await conn.execute(
                "INSERT INTO hearing_attendees (hearing_id, user_id) VALUES (?, ?)",
                (hearing_id, user_id),
            )
    assert hearing_id is not None
    return hearing_id


async def count(services: Services, sql: str, *params: object) -> int:
    row = await services.db.fetch_one(sql, params)
    assert row is not None
    return int(row[0])


async def test_old_reports_keep_their_content_without_reporter_or_decider(
    services: Services, clock: FrozenClock
) -> None:
    await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    old = await report_by(services, 6001, "Saule Bekova", "taken into a van")
    await ReportRepository(services.db).add_verification_message(old, 6001, 77)
    clock.advance(timedelta(days=31))
    recent = await report_by(services, 6001, "Yerlan Tulegenov", "taken at the station")

    result = await services.retention.run()

    assert result.reports_anonymised == 1
    kept = await services.reports.get(old)
    assert kept is not None
    assert (kept.reporter_id, kept.decided_by) == (None, None)
    assert (kept.place, kept.details) == ("Abay square", "taken into a van")
    assert await count(services, "SELECT count(*) FROM verification_messages") == 0
    fresh = await services.reports.get(recent)
    assert fresh is not None and fresh.reporter_id == 6001
    assert await services.users.get(6001) is not None  # coordinators are never deleted


async def test_people_who_left_long_ago_are_deleted_and_everyone_else_stays(
    services: Services, clock: FrozenClock
) -> None:
    await person(services, ADMIN_ID, "Aigerim Nurlanovna", Role.ADMIN)
    await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await person(services, 6002, "Marat Ospanov", Role.MEMBER)
    await person(services, 6003, "Asel Nurpeis", Role.SUBSCRIBER)  # still subscribed
    await person(services, 6004, "Bolat Zhaksylykov", Role.SUBSCRIBER)  # left long ago
    await person(services, 6005, "Dana Serikova", Role.SUBSCRIBER)  # left, but seen lately
    await person(services, 6006, "Erbol Kassymov", Role.NONE)  # revoked, gone quiet
    for telegram_id in (ADMIN_ID, 6001, 6002, 6004, 6005, 6006):
        await services.users.set_subscribed(telegram_id, False)
    bolat = await services.users.get(6004)
    assert bolat is not None
    saule_report = await report_by(services, 6001, "Saule Bekova", "taken into a van")
    await services.following.follow(bolat, "Saule Bekova")
    saule = await services.reports.find_person("Saule Bekova")
    assert saule is not None
    await add_hearing(services, saule.id, [6004, 6003])
    await services.users.set_digest(6004, True)

    clock.advance(timedelta(days=20))
    await services.accounts.identify(sender(6005, "Dana", "dana"))  # seen lately
    clock.advance(timedelta(days=11))

    result = await services.retention.run()

    assert result.users_deleted == 2
    remaining = await services.db.fetch_all("SELECT telegram_id FROM users ORDER BY telegram_id")
    assert [row[0] for row in remaining] == [ADMIN_ID, 6001, 6002, 6003, 6005]
    assert await count(services, "SELECT count(*) FROM follows WHERE user_id = 6004") == 0
    assert await count(services, "SELECT count(*) FROM hearing_attendees WHERE user_id = 6004") == 0
    assert await count(services, "SELECT count(*) FROM hearing_attendees WHERE user_id = 6003") == 1
    assert await count(services, "SELECT count(*) FROM deliveries WHERE chat_id = 6004") == 0
    assert await services.reports.get(saule_report) is not None


async def test_the_audit_trail_stays_but_no_longer_leads_to_the_person(
    services: Services, clock: FrozenClock
) -> None:
    bolat = await person(services, 6004, "Bolat Zhaksylykov", Role.SUBSCRIBER)
    await services.users.set_subscribed(6004, False)
    clock.advance(timedelta(days=31))

    await services.retention.run()

    trail = await services.audit.recent()
    assert (bolat.pseudonym, "register") in [(e.actor, e.action) for e in trail]
    assert ("retention", "reports:0 users:1") in [(e.action, e.detail) for e in trail]
    assert (
        await count(services, "SELECT count(*) FROM users WHERE pseudonym = ?", bolat.pseudonym)
        == 0
    )


async def test_a_second_run_changes_nothing(services: Services, clock: FrozenClock) -> None:
    await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await person(services, 6004, "Bolat Zhaksylykov", Role.SUBSCRIBER)
    await services.users.set_subscribed(6004, False)
    await report_by(services, 6001, "Saule Bekova", "taken into a van")
    clock.advance(timedelta(days=31))

    first = await services.retention.run()
    entries = len(await services.audit.recent(1000))
    second = await services.retention.run()

    assert (first.reports_anonymised, first.users_deleted) == (1, 1)
    assert (second.reports_anonymised, second.users_deleted) == (0, 0)
    assert len(await services.audit.recent(1000)) == entries  # nothing to record the second time


async def test_forget_keeps_reports_without_the_reporter(
    services: Services, clock: FrozenClock
) -> None:
    daniyar = await person(services, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    report_id = await report_by(services, 6001, "Saule Bekova", "taken into a van")

    assert await services.retention.forget(daniyar) == ForgetOutcome.FORGOTTEN

    assert await services.users.get(6001) is None
    report = await services.reports.get(report_id)
    assert report is not None
    assert (report.reporter_id, report.details) == (None, "taken into a van")
    assert await count(services, "SELECT count(*) FROM deliveries WHERE chat_id = 6001") == 0
    assert await count(services, "SELECT count(*) FROM alerts WHERE summary_chat_id = 6001") == 0
    trail = [(e.actor, e.action) for e in await services.audit.recent()]
    assert (daniyar.pseudonym, "forget") in trail


async def test_an_admin_from_admin_ids_cannot_forget_themselves(services: Services) -> None:
    aigerim = await person(services, ADMIN_ID, "Aigerim Nurlanovna", Role.ADMIN)

    assert await services.retention.forget(aigerim) == ForgetOutcome.CONFIGURED_ADMIN
    assert await services.users.get(ADMIN_ID) is not None


async def test_forgotten_data_does_not_linger_in_the_database_or_wal_file(
    services: Services, settings: Settings
) -> None:
    marker = "Zhuldyz7f3e9a1cMarker"
    bolat = await person(services, 6004, marker, Role.SUBSCRIBER)
    await services.db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)")  # the row is in the file now
    path = settings.database_path
    assert marker.encode() in path.read_bytes()

    await services.retention.forget(bolat)
    await services.db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)")

    wal = path.with_name(path.name + "-wal")
    for file in (path, wal):
        content = file.read_bytes() if file.exists() else b""
        for needle in (marker, marker.lower()):  # users_username indexes lower(username)
            assert needle.encode() not in content, file.name
