"""The daily digest, rendered at a fixed clock in Almaty (UTC+5: local midnight is 19:00 UTC)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from bot.digest import DigestData, days_between, render_digest
from bot.i18n import Translator, translator
from bot.people import Status
from storage.hearings import Hearing, HearingState
from storage.people import Person
from storage.reports import Report, ReportKind, ReportState

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 1, 19, 30, tzinfo=UTC)  # 2026-03-02 00:30 in Almaty
TODAY = date(2026, 3, 2)
_ = translator("en")


def hearing(**overrides: object) -> Hearing:
    values: dict[str, object] = {
        "id": 7,
        "person_id": 1,
        "person_name": "Saule Bekova",
        "starts_at": datetime(2026, 3, 2, 5, 0, tzinfo=UTC),
        "place": "Almaty City Court, room 5",
        "notes": "",
        "closed": False,
        "state": HearingState.SCHEDULED,
        "attendee_count": 0,
    }
    values.update(overrides)
    return Hearing(**values)  # type: ignore[arg-type]


def person(**overrides: object) -> Person:
    values: dict[str, object] = {
        "id": 1,
        "name": "Saule Bekova",
        "city": "Almaty",
        "status": Status.DETAINED,
        "status_since": None,
        "held_at": "",
        "notes": "",
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "last_reported_at": None,
        "release_at": None,
    }
    values.update(overrides)
    return Person(**values)  # type: ignore[arg-type]


def report(report_id: int, kind: ReportKind, reported_at: datetime) -> Report:
    return Report(
        id=report_id,
        kind=kind,
        person_id=None,
        reporter_id=900,
        place="",
        latitude=None,
        longitude=None,
        details="",
        state=ReportState.PENDING,
        duplicate_of=None,
        corroborations=1,
        reported_at=reported_at,
        decided_by=None,
        decided_at=None,
        decision_note="",
        escalated_at=None,
    )


SAULE = person(
    id=1,
    name="Saule Bekova",
    status=Status.DETAINED,
    status_since=datetime(2026, 3, 1, 18, 0, tzinfo=UTC),  # 23:00 local, the day before
)
DANIYAR = person(
    id=2,
    name="Daniyar Sarsenbayev",
    status=Status.ARRESTED,
    status_since=datetime(2026, 2, 20, 10, 0, tzinfo=UTC),
    held_at="Detention centre No. 1",
    release_at=datetime(2026, 3, 5, 4, 0, tzinfo=UTC),  # 09:00 local
)
AIGERIM = person(
    id=3,
    name="Aigerim Nurlanovna",
    status=Status.IMPRISONED,
    release_at=datetime(2031, 6, 1, 4, 0, tzinfo=UTC),
)

DATA = DigestData(
    today=TODAY,
    hearings_today=[
        hearing(id=7, person_name="Saule Bekova", closed=True),
        hearing(
            id=8,
            person_name="Aigerim Nurlanovna",
            starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            place="Medeu District Court",
        ),
    ],
    releases_soon=[DANIYAR],
    in_custody=[DANIYAR, SAULE, AIGERIM],
    pending_reports=[
        (report(12, ReportKind.DETENTION, datetime(2026, 3, 1, 18, 5, tzinfo=UTC)), "Saule Bekova"),
        (report(13, ReportKind.OTHER, datetime(2026, 3, 1, 19, 10, tzinfo=UTC)), ""),
    ],
)

PUBLIC = """\
<b>Daily digest: Mon, 2 Mar 2026</b>

<b>Hearings today</b>
10:00 · Saule Bekova · Almaty City Court, room 5 · closed-door
14:30 · Aigerim Nurlanovna · Medeu District Court

<b>Releases in the next 7 days</b>
5 Mar 2026 · Daniyar Sarsenbayev · in 3 days

<b>In custody</b>
Daniyar Sarsenbayev · arrested · 10 days in custody · release 5 Mar 2026
Saule Bekova · detained · 1 day in custody
Aigerim Nurlanovna · imprisoned · release 1 Jun 2031"""

PENDING = """

<b>Waiting for verification</b>
Report #12 · Detained · Saule Bekova · reported 1 Mar 2026, 23:05
Report #13 · Update · reported 2 Mar 2026, 00:10"""


def render(
    data: DigestData = DATA,
    *,
    now: datetime = NOW,
    coordinators: bool = False,
    tr: Translator = _,
) -> str:
    return render_digest(data, zone=ALMATY, now=now, _=tr, for_coordinators=coordinators)


def test_coordinator_digest_lists_reports_waiting_for_verification() -> None:
    assert render(coordinators=True) == PUBLIC + PENDING


def test_subscriber_digest_says_nothing_about_pending_reports() -> None:
    text = render(coordinators=False)

    assert text == PUBLIC
    assert "verification" not in text
    assert "#12" not in text
    assert "#13" not in text


def test_empty_sections_say_so() -> None:
    empty = DigestData(
        today=TODAY, hearings_today=[], releases_soon=[], in_custody=[], pending_reports=[]
    )

    assert render(empty, coordinators=True) == (
        "<b>Daily digest: Mon, 2 Mar 2026</b>\n\n"
        "<b>Hearings today</b>\nNo hearings today.\n\n"
        "<b>Releases in the next 7 days</b>\nNo releases expected in the next 7 days.\n\n"
        "<b>In custody</b>\nNobody is in custody.\n\n"
        "<b>Waiting for verification</b>\nNo reports are waiting."
    )


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        # 23:59 and 00:00 local: one calendar day apart although one minute apart.
        (datetime(2026, 3, 1, 18, 59, tzinfo=UTC), datetime(2026, 3, 1, 19, 0, tzinfo=UTC), 1),
        # Same UTC date, different local dates.
        (datetime(2026, 3, 1, 10, 0, tzinfo=UTC), datetime(2026, 3, 1, 19, 30, tzinfo=UTC), 1),
        # Different UTC dates, same local date.
        (datetime(2026, 3, 1, 19, 30, tzinfo=UTC), datetime(2026, 3, 2, 18, 59, tzinfo=UTC), 0),
        (datetime(2026, 3, 1, 19, 30, tzinfo=UTC), datetime(2026, 3, 1, 19, 30, tzinfo=UTC), 0),
        (datetime(2026, 3, 1, 19, 0, tzinfo=UTC), datetime(2026, 3, 1, 18, 59, tzinfo=UTC), -1),
        # Inputs in another zone are read in the network's zone all the same.
        (
            datetime(2026, 2, 28, 23, 0, tzinfo=ZoneInfo("Europe/Berlin")),  # 03:00 Mar 1
            datetime(2026, 3, 1, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")),  # 00:00 Mar 2
            1,
        ),
    ],
)
def test_days_are_counted_on_local_dates(start: datetime, end: datetime, days: int) -> None:
    assert days_between(start, end, ALMATY) == days


def custody_line(now: datetime, since: datetime) -> str:
    data = DigestData(
        today=now.astimezone(ALMATY).date(),
        hearings_today=[],
        releases_soon=[],
        in_custody=[person(status_since=since)],
        pending_reports=[],
    )
    return render(data, now=now).split("<b>In custody</b>\n")[1]


def test_days_in_custody_turn_at_almaty_midnight_not_utc_midnight() -> None:
    since = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)  # 23:00 local

    assert custody_line(datetime(2026, 3, 1, 18, 59, tzinfo=UTC), since) == (
        "Saule Bekova · detained · since today"
    )
    assert custody_line(datetime(2026, 3, 1, 19, 0, tzinfo=UTC), since) == (
        "Saule Bekova · detained · 1 day in custody"
    )
    assert custody_line(datetime(2026, 3, 2, 19, 0, tzinfo=UTC), since) == (
        "Saule Bekova · detained · 2 days in custody"
    )


def release_line(release_at: datetime) -> str:
    data = DigestData(
        today=TODAY,
        hearings_today=[],
        releases_soon=[person(status=Status.ARRESTED, release_at=release_at)],
        in_custody=[],
        pending_reports=[],
    )
    return render(data).split("<b>Releases in the next 7 days</b>\n")[1].split("\n")[0]


def test_days_left_use_plural_forms_and_local_dates() -> None:
    # NOW is 00:30 local on 2026-03-02.
    assert release_line(datetime(2026, 3, 2, 18, 59, tzinfo=UTC)) == (
        "2 Mar 2026 · Saule Bekova · today"
    )
    assert release_line(datetime(2026, 3, 2, 19, 0, tzinfo=UTC)) == (
        "3 Mar 2026 · Saule Bekova · in 1 day"
    )
    assert release_line(datetime(2026, 3, 3, 19, 0, tzinfo=UTC)) == (
        "4 Mar 2026 · Saule Bekova · in 2 days"
    )
    assert release_line(NOW - timedelta(hours=1)) == "1 Mar 2026 · Saule Bekova · 1 day overdue"


def test_names_and_places_are_escaped() -> None:
    name = 'Saule "Sasha" <Bekova> & Co'
    place = "Court <b>No. 2</b> & annex"
    data = DigestData(
        today=TODAY,
        hearings_today=[hearing(person_name=name, place=place)],
        releases_soon=[person(name=name, release_at=NOW + timedelta(days=2))],
        in_custody=[person(name=name)],
        pending_reports=[(report(12, ReportKind.DETENTION, NOW), name)],
    )

    text = render(data, coordinators=True)

    assert set(re.findall(r"<[^>]*>", text)) == {"<b>", "</b>"}
    assert "10:00 · Saule &quot;Sasha&quot; &lt;Bekova&gt; &amp; Co · Court &lt;b&gt;No. 2" in text
    assert unescape(text).count(name) == 4
    assert unescape(text).count(place) == 1


class BracketTranslator(Translator):
    """Marks everything it translates, to find text that skipped the translator."""

    def __init__(self) -> None:
        super().__init__("en")
        self.plurals: list[tuple[str, int]] = []

    def __call__(self, message: str, /, **values: object) -> str:
        return f"[{super().__call__(message, **values)}]"

    def plural(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        self.plurals.append((singular, count))
        return f"[{super().plural(singular, plural, count, **values)}]"

    # Dates, times, numbers and units are words too ("Mar", "Mon", "days"): the locale writes them.
    def number(self, value: float) -> str:
        return f"[{super().number(value)}]"

    def date(self, day: date, zone: ZoneInfo | None = None) -> str:
        return f"[{super().date(day, zone)}]"

    def weekday_date(self, day: date) -> str:
        return f"[{super().weekday_date(day)}]"

    def time(self, moment: datetime, zone: ZoneInfo) -> str:
        return f"[{super().time(moment, zone)}]"

    def datetime(self, moment: datetime, zone: ZoneInfo) -> str:
        return f"[{super().datetime(moment, zone)}]"

    def duration(self, delta: timedelta) -> str:
        return f"[{super().duration(delta)}]"

    def units(self, count: int, unit: str) -> str:
        return f"[{super().units(count, unit)}]"


def test_every_word_goes_through_the_translator() -> None:
    tr = BracketTranslator()

    text = unescape(render(coordinators=True, tr=tr))

    # Formatted values nest inside translated messages ("[in [3] days]"): strip innermost first.
    leftover = re.sub(r"</?b>", "", text)
    while (stripped := re.sub(r"\[[^\[\]]*\]", "", leftover)) != leftover:
        leftover = stripped
    for value in ("Saule Bekova", "Daniyar Sarsenbayev", "Aigerim Nurlanovna"):
        leftover = leftover.replace(value, "")
    for value in ("Almaty City Court, room 5", "Medeu District Court"):
        leftover = leftover.replace(value, "")
    assert not re.search(r"[^\W\d_]", leftover), leftover
    assert tr.plurals == [
        ("in {count} day", 3),
        ("{count} day in custody", 10),
        ("{count} day in custody", 1),
    ]
