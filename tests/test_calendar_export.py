"""The /calendar export: what a calendar app reads back from the file."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot.calendar_export import calendar_ics
from bot.i18n import Translator, translator
from bot.people import Status
from storage.hearings import Hearing, HearingState
from storage.people import Person

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
_ = translator("en")


def hearing(**overrides: object) -> Hearing:
    values: dict[str, object] = {
        "id": 7,
        "person_id": 1,
        "person_name": "Saule Bekova",
        "starts_at": datetime(2026, 12, 3, 5, 0, tzinfo=UTC),  # 10:00 in Almaty
        "place": "Almaty City Court, room 5",
        "notes": "Bring ID",
        "closed": False,
        "state": HearingState.SCHEDULED,
        "attendee_count": 3,
    }
    values.update(overrides)
    return Hearing(**values)  # type: ignore[arg-type]


def person(**overrides: object) -> Person:
    values: dict[str, object] = {
        "id": 2,
        "name": "Daniyar Sarsenbayev",
        "city": "Almaty",
        "status": Status.ARRESTED,
        "status_since": datetime(2026, 11, 19, 4, 0, tzinfo=UTC),
        "held_at": "Detention centre No. 1, Almaty",
        "notes": "",
        "created_at": datetime(2026, 11, 19, 4, 0, tzinfo=UTC),
        "last_reported_at": None,
        "release_at": datetime(2026, 12, 4, 4, 0, tzinfo=UTC),  # 09:00 in Almaty
    }
    values.update(overrides)
    return Person(**values)  # type: ignore[arg-type]


def export(
    hearings: list[Hearing], releases: list[Person], *, now: datetime = NOW, tr: Translator = _
) -> bytes:
    return calendar_ics(hearings, releases, zone=ALMATY, now=now, _=tr)


def events(ics: bytes) -> dict[str, Event]:
    return {str(event["UID"]): event for event in Calendar.from_ical(ics).events}


def unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "")


def test_hearing_at_ten_in_almaty_is_five_utc() -> None:
    ics = export([hearing()], [])

    event = events(ics)["hearing-7@dabyl"]
    assert event.start.astimezone(UTC) == datetime(2026, 12, 3, 5, 0, tzinfo=UTC)
    assert event.end - event.start == timedelta(hours=2)
    assert event["DTSTAMP"].dt == NOW
    assert "DTSTART;TZID=Asia/Almaty:20261203T100000" in unfolded(ics)


def test_file_carries_the_zone_it_uses() -> None:
    calendar = Calendar.from_ical(export([hearing()], []))

    [timezone] = calendar.timezones
    assert timezone.tz_name == "Asia/Almaty"
    # Almaty moved from UTC+6 to UTC+5 on 2024-03-01; the file must say so for apps that trust it.
    zone = timezone.to_tz()
    assert datetime(2026, 12, 3, 10, 0, tzinfo=zone).utcoffset() == timedelta(hours=5)
    assert datetime(2023, 12, 3, 10, 0, tzinfo=zone).utcoffset() == timedelta(hours=6)


def test_hearing_event_has_summary_place_notes_attendance_and_alarm() -> None:
    event = events(export([hearing()], []))["hearing-7@dabyl"]

    assert event["SUMMARY"] == "Hearing: Saule Bekova"
    assert event["LOCATION"] == "Almaty City Court, room 5"
    assert event["DESCRIPTION"] == "Bring ID\n3 people said they will attend."
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["DESCRIPTION"] == "Hearing: Saule Bekova"
    assert alarm["TRIGGER"].dt == timedelta(hours=-1)


def test_attendance_wording_follows_the_count() -> None:
    found = events(export([hearing(id=1, attendee_count=1), hearing(id=2, attendee_count=0)], []))

    assert found["hearing-1@dabyl"]["DESCRIPTION"] == "Bring ID\n1 person said they will attend."
    assert found["hearing-2@dabyl"]["DESCRIPTION"] == (
        "Bring ID\nNobody has said they will attend yet."
    )


def test_closed_door_hearing_is_marked() -> None:
    event = events(export([hearing(closed=True, notes="")], []))["hearing-7@dabyl"]

    assert event["SUMMARY"] == "Hearing: Saule Bekova (closed-door)"
    assert event["DESCRIPTION"] == "The hearing is closed-door.\n3 people said they will attend."


def test_cancelled_hearing_stays_with_its_uid_marked_cancelled() -> None:
    event = events(export([hearing(state=HearingState.CANCELLED)], []))["hearing-7@dabyl"]

    assert event["STATUS"] == "CANCELLED"


def test_release_event_at_release_time_with_place_and_alarm_a_day_before() -> None:
    ics = export([], [person()])

    event = events(ics)["release-2@dabyl"]
    assert event["SUMMARY"] == "Expected release: Daniyar Sarsenbayev"
    assert event["LOCATION"] == "Detention centre No. 1, Almaty"
    assert event.start.astimezone(UTC) == datetime(2026, 12, 4, 4, 0, tzinfo=UTC)
    assert event.end - event.start == timedelta(hours=1)
    assert "DTSTART;TZID=Asia/Almaty:20261204T090000" in unfolded(ics)
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(days=-1)


def test_person_without_release_date_gets_no_event() -> None:
    assert events(export([], [person(release_at=None)])) == {}


def test_uids_are_stable_between_exports() -> None:
    data = ([hearing(id=7), hearing(id=9)], [person(id=2), person(id=5)])

    first = events(export(*data, now=NOW))
    second = events(export(*data, now=NOW + timedelta(days=3)))

    assert (
        set(first)
        == set(second)
        == {
            "hearing-7@dabyl",
            "hearing-9@dabyl",
            "release-2@dabyl",
            "release-5@dabyl",
        }
    )
    assert second["hearing-7@dabyl"]["DTSTAMP"].dt == NOW + timedelta(days=3)


def test_commas_semicolons_and_newlines_are_escaped_and_read_back() -> None:
    name = 'Bekova, Saule; "Sasha"'
    place = "Court No. 2, room 5;\nsecond floor"
    ics = export([hearing(person_name=name, place=place, notes="")], [person(held_at=place)])

    text = unfolded(ics)
    assert 'SUMMARY:Hearing: Bekova\\, Saule\\; "Sasha"\r\n' in text
    assert "LOCATION:Court No. 2\\, room 5\\;\\nsecond floor\r\n" in text
    found = events(ics)
    assert found["hearing-7@dabyl"]["SUMMARY"] == f"Hearing: {name}"
    assert found["hearing-7@dabyl"]["LOCATION"] == place
    assert found["release-2@dabyl"]["LOCATION"] == place


def test_lines_end_with_crlf_and_are_folded() -> None:
    ics = export([hearing(notes="Bring ID and water. " * 20)], [person()])

    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
    assert events(ics)["hearing-7@dabyl"]["DESCRIPTION"].startswith("Bring ID and water. " * 20)


@pytest.mark.parametrize("releases", [[], [person(release_at=None)]])
def test_empty_calendar_is_still_valid(releases: list[Person]) -> None:
    calendar = Calendar.from_ical(export([], releases))

    calendar.validate()  # PRODID, VERSION and at least one component (the VTIMEZONE)
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["X-WR-CALNAME"] == "Dabyl"
    assert str(calendar["PRODID"]).startswith("-//Dabyl//")
    assert calendar.events == []


class BracketTranslator(Translator):
    """Marks everything it translates, to find text that skipped the translator."""

    def __init__(self) -> None:
        super().__init__("en")

    def __call__(self, message: str, /, **values: object) -> str:
        return f"[{super().__call__(message, **values)}]"

    def plural(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        return f"[{super().plural(singular, plural, count, **values)}]"


def test_every_text_goes_through_the_translator() -> None:
    ics = export(
        [hearing(closed=True), hearing(id=8, attendee_count=0)], [person()], tr=BracketTranslator()
    )

    texts = [
        str(component[key])
        for component in Calendar.from_ical(ics).walk()
        if component.name in ("VEVENT", "VALARM")
        for key in ("SUMMARY", "DESCRIPTION")
        if key in component
    ]
    assert len(texts) == 8
    leftovers = [re.sub(r"\[[^\]]*\]", "", text).replace("Bring ID", "").strip() for text in texts]
    assert leftovers == [""] * 8
