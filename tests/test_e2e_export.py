"""End to end: exports round-trip, keep Cyrillic, and hide reporters unless an admin asks."""

from __future__ import annotations

import csv
import io
import json

from bot.app import DabylApplication
from bot.roles import Role
from fakebotapi import FakeBotAPI, FakeUser
from fakebotapi.state import SentMessage
from tests.conftest import ADMIN_ID
from tests.scenario import join, message_containing, services_of


async def files(person: FakeUser, count: int) -> list[SentMessage]:
    found: list[SentMessage] = []
    while len(found) < count:
        message = await person.expect_reply()
        if message.file is not None:
            found.append(message)
    return found


async def test_export_round_trips_and_hides_reporters(
    telegram: FakeBotAPI, bot: DabylApplication
) -> None:
    aigerim = await join(telegram, bot, ADMIN_ID, "Aigerim Nurlanovna")
    daniyar = await join(telegram, bot, 6001, "Daniyar Sarsenbayev", Role.COORDINATOR)
    await daniyar.send("/detained Ерлан Әбенов; Республика алаңы; забрали в автозак; 3 человека")
    await daniyar.send("/hearing Ерлан Әбенов; 03.03.2026 10:00; Медеуский районный суд")
    await daniyar.send("/sentence Ерлан Әбенов; 10 суток")
    await message_containing(daniyar, "Sentence recorded")

    await daniyar.send("/export")
    csv_file, json_file = await files(daniyar, 2)
    assert csv_file.file.content.startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    table = list(csv.DictReader(io.StringIO(csv_file.file.content.decode("utf-8-sig"))))
    data = json.loads(json_file.file.content)["events"]
    assert table == data
    assert [(row["type"], row["kind"]) for row in table] == [
        ("report", "detention"),
        ("sentence", ""),
        ("hearing", "open"),
    ]
    detention = table[0]
    assert detention["person"] == "Ерлан Әбенов"
    assert detention["details"] == "забрали в автозак; 3 человека"
    assert detention["time_utc"] == "2026-03-01T09:00:00+00:00"
    assert detention["time_local"] == "2026-03-01T14:00:00+05:00"
    assert "reporter" not in detention
    reports = await services_of(bot).db.fetch_all("SELECT id, details FROM reports")
    assert [(int(detention["id"]), detention["details"])] == [tuple(row) for row in reports]

    await daniyar.send("/export 01.03.2026; 02.03.2026; with reporters")
    assert "Only admins" in (await message_containing(daniyar, "Only admins")).text
    await aigerim.send("/export 01.03.2026; 02.03.2026; with reporters")
    csv_file, _ = await files(aigerim, 2)
    rows = list(csv.DictReader(io.StringIO(csv_file.file.content.decode("utf-8-sig"))))
    assert [row["type"] for row in rows] == ["report", "sentence"]  # the hearing is on 3 March
    daniyar_user = await services_of(bot).users.get(6001)
    assert rows[0]["reporter"] == daniyar_user.pseudonym
    actions = [e.action for e in await services_of(bot).audit.recent()]
    assert actions.count("export") == 2
    assert "denied:/export reporters" in actions
    await daniyar.send("/export yesterday")
    await message_containing(daniyar, "Example: /export 01.01.2026; 31.03.2026")
