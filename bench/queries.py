"""Benchmark 5, queries: ``/status <name>``, ``/status``, ``/custody`` and ``/find <name>`` on a
database of 1,000 people and 100,000 events (``--smoke``: 200 people, 10,000 events).

Run from the repository root::

    python -m bench.queries            # 1,000 people, 100,000 events
    python -m bench.queries --smoke    # 200 people, 10,000 events

A fresh SQLite database is built with the real migrations and filled with fictional people
(Kazakh and Russian names in Latin and Cyrillic, some with patronymics and aliases) and three
years of reports, hearings and sentences; how many events a person has is skewed, as in life (a
few prisoners get daily health reports, most people a handful). 15% are in custody.

Each command is timed through the service calls its handler makes (``handlers/casefile.py``),
after a warm-up, over random people:

* ``/status <name>``: ``find`` (half typed exactly in any case, half a Latin spelling with
  variants or a typo of a Cyrillic name: the fuzzy path ranks everyone), then ``status`` and
  ``health_lines``; as a member (sees health) and as a subscriber;
* ``/status`` (the overview) and ``/custody``;
* ``/find <name>``: ``search`` and one ``get`` per match; warm, and cold (the name matcher's
  caches cleared before every query, as after a restart; this replaces benchmarks/names.py);
* apart from the verdict, ``/status`` again and again for the person with the most health
  reports (their texts are read on every /status).

Then once end to end, a small sample: the real application long-polling the fake Bot API (its own
process, no added latency, so the figure is the bot's own time), from the update being available
to the last reply message sent.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import TOKEN, Figure, ServerOptions, ServerProcess, percentile, report
from bot import names
from bot.clock import FrozenClock
from bot.i18n import translator
from bot.people import match_key
from bot.roles import Role
from bot.services import Services
from bot.settings import Settings
from storage.database import Database, to_db_time
from tests.harness import running_bot

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
TARGET_MS = 50.0
MAX_SHARE = 0.03  # nobody has more than 3% of all events (3,000 of 100,000: ~3 a day)

# (Latin, Cyrillic) pairs; first names by gender, surnames in their masculine form.
MALE = [
    ("Daniyar", "Данияр"), ("Yerlan", "Ерлан"), ("Nurlan", "Нұрлан"), ("Ilyas", "Ілияс"),
    ("Askar", "Асқар"), ("Marat", "Марат"), ("Kairat", "Қайрат"), ("Timur", "Тимур"),
    ("Bauyrzhan", "Бауыржан"), ("Serik", "Серік"), ("Olzhas", "Олжас"), ("Yerzhan", "Ержан"),
    ("Dmitry", "Дмитрий"), ("Sergey", "Сергей"), ("Alexei", "Алексей"), ("Maxim", "Максим"),
    ("Zhanbolat", "Жанболат"), ("Almas", "Алмас"), ("Galym", "Ғалым"), ("Azamat", "Азамат"),
    ("Yevgeny", "Евгений"), ("Rustem", "Рүстем"), ("Aidos", "Айдос"), ("Medet", "Медет"),
    ("Nikolai", "Николай"), ("Arman", "Арман"), ("Talgat", "Талғат"), ("Kuanysh", "Қуаныш"),
]  # fmt: skip
FEMALE = [
    ("Aigerim", "Айгерім"), ("Saule", "Сәуле"), ("Zhanar", "Жанар"), ("Gulnara", "Гүлнара"),
    ("Botagoz", "Ботагөз"), ("Aliya", "Әлия"), ("Dana", "Дана"), ("Madina", "Мадина"),
    ("Aruzhan", "Аружан"), ("Dinara", "Динара"), ("Assel", "Әсел"), ("Zhuldyz", "Жұлдыз"),
    ("Olga", "Ольга"), ("Yelena", "Елена"), ("Natalya", "Наталья"), ("Irina", "Ирина"),
    ("Aizhan", "Айжан"), ("Kamila", "Камила"), ("Ainur", "Айнұр"), ("Gaukhar", "Гауһар"),
    ("Tatyana", "Татьяна"), ("Anel", "Әнел"), ("Moldir", "Мөлдір"), ("Yulia", "Юлия"),
    ("Symbat", "Сымбат"), ("Akmaral", "Ақмарал"), ("Svetlana", "Светлана"), ("Inkar", "Іңкәр"),
]  # fmt: skip
LAST = [
    ("Toregozhin", "Торегожин"), ("Sarsenbayev", "Сарсенбаев"), ("Bekov", "Беков"),
    ("Abenov", "Әбенов"), ("Kasymov", "Қасымов"), ("Omarov", "Омаров"),
    ("Nurpeisov", "Нұрпейісов"), ("Zhakupov", "Жақыпов"), ("Tulegenov", "Төлегенов"),
    ("Ermekov", "Ермеков"), ("Bulatov", "Булатов"), ("Dzhaksybekov", "Джаксыбеков"),
    ("Kuanyshev", "Қуанышев"), ("Mukhamediyarov", "Мұхамедияров"), ("Shaikenov", "Шайкенов"),
    ("Ospanov", "Оспанов"), ("Iskakov", "Ысқақов"), ("Rakhimov", "Рахимов"),
    ("Utepov", "Өтепов"), ("Khasenov", "Хасенов"), ("Amanzholov", "Аманжолов"),
    ("Baimukhanov", "Баймұханов"), ("Gabdullin", "Ғабдуллин"), ("Ivanov", "Иванов"),
    ("Kuznetsov", "Кузнецов"), ("Smirnov", "Смирнов"), ("Popov", "Попов"),
    ("Volkov", "Волков"), ("Sokolov", "Соколов"), ("Akhmetov", "Ахметов"),
    ("Zhumabayev", "Жұмабаев"), ("Yesenov", "Есенов"), ("Kenzhebekov", "Кенжебеков"),
    ("Serikbayev", "Серікбаев"), ("Mukanov", "Мұқанов"),
]  # fmt: skip
INVARIABLE = [("Seitkali", "Сейтқали"), ("Tsoi", "Цой"), ("Kim", "Ким"), ("Li", "Ли")]
CITIES = ["Almaty", "Astana", "Shymkent", "Aktau", "Zhanaozen", "Oral", "Karaganda", "Taraz"]
FACILITIES = [
    "SIZO-1, Almaty", "ИВС ДП г. Алматы", "SIZO, Astana", "ЛА-155/14, Шымкент", "ИК-3, Караганда",
    "спецприемник, Алматы", "SIZO-2, Aktau",
]  # fmt: skip
PLACES = [
    "Republic Square", "Абай даңғылы", "у акимата", "Astana Square", "Zhanaozen, central square",
    "court building", "на выходе из дома", "airport", "", "",
]  # fmt: skip
HEALTH = [
    "weight {kg} kg, day {day} of hunger strike",
    "вес {kg} кг, {day}-й день голодовки",
    "салмағы {kg} кг, аштықтың {day}-күні",
    "{day} den golodovki, ves {kg} kg",
    "announced a hunger strike this morning; the lawyer was not let in",
    "объявила голодовку в знак протеста против условий содержания",
    "taken to hospital after fainting in the cell; weighs {kg} kg",
    "госпитализирован, давление 80/50, вес {kg}",
    "ауруханаға жатқызылды",
    "discharged from hospital, back in SIZO",
    "выписали из больницы, переведён обратно в СИЗО",
    "ended the hunger strike on day {day}; weight {kg} kg",
    "прекратила голодовку, вес {kg} кг",
    "complains of back pain, no medical help for {day} days",
    "lawyer says she looks exhausted, lost weight, {kg} kg now",
]  # fmt: skip
DETAILS = {
    "detention": [
        "detained by police at the rally, taken to an unknown station",
        "задержан у подъезда тремя людьми в штатском",
        "ұсталды, полиция бөліміне апарылды",
        "detained after a post on Facebook, phone taken",
    ],
    "release": [
        "released after 10 days of administrative arrest",
        "отпущен без протокола",
        "босатылды",
        "released on bail, must not leave the city",
    ],
    "other": [
        "search at home, laptops seized",
        "допрос в качестве свидетеля",
        "lawyer not allowed to see him",
        "передача принята",
        "letters are not delivered",
    ],
}
BROADCAST = "gathering at the court at 10:00, bring water"
REPORT_STATES = (
    ["confirmed"] * 70 + ["unverified"] * 10 + ["rejected"] * 5 + ["retracted"] * 2
) + ["duplicate"] * 13
REPORT_KINDS = ["detention"] * 20 + ["release"] * 10 + ["health"] * 40 + ["other"] * 30


@dataclass
class Person:
    id: int
    name: str
    latin: str  # the name in Latin letters, for fuzzy queries
    aliases: list[str] = field(default_factory=list)
    events: int = 0


def feminine(surname: str, language: str) -> str:
    """Bekov -> Bekova, Беков -> Бекова; -in too."""
    return surname + ("a" if language == "latin" else "а")


def make_people(count: int, rng: random.Random) -> list[Person]:
    """``count`` people with different names; half recorded in Cyrillic; some with aliases."""
    people: list[Person] = []
    keys: set[str] = set()
    while len(people) < count:
        female = rng.random() < 0.45
        first, first_cyr = rng.choice(FEMALE if female else MALE)
        if rng.random() < 0.1:
            last, last_cyr = rng.choice(INVARIABLE)
        else:
            last, last_cyr = rng.choice(LAST)
            if female:
                last, last_cyr = feminine(last, "latin"), feminine(last_cyr, "cyrillic")
        latin, cyrillic = f"{first} {last}", f"{last_cyr} {first_cyr}"
        if rng.random() < 0.35:  # patronymic, Russian style
            father, father_cyr = rng.choice(MALE)
            suffix, suffix_cyr = ("ovna", "овна") if female else ("ovich", "ович")
            latin = f"{first} {father}{suffix} {last}"
            cyrillic = f"{last_cyr} {first_cyr} {father_cyr}{suffix_cyr}"
        name, other = (cyrillic, latin) if rng.random() < 0.5 else (latin, cyrillic)
        aliases = []
        if rng.random() < 0.5:
            aliases.append(other)
        if rng.random() < 0.1:
            aliases.append(f"{last_cyr} {first_cyr[0]}.")  # "Беков Д." as a short form
        wanted = [match_key(name), *(match_key(alias) for alias in aliases)]
        if keys.intersection(wanted) or len(set(wanted)) < len(wanted):
            continue
        keys.update(wanted)
        people.append(Person(len(people) + 1, name, latin, aliases))
    return people


def spread(people: list[Person], total: int, rng: random.Random) -> None:
    """Share ``total`` events among ``people``, skewed (Pareto), at least one each."""
    weights = [rng.paretovariate(1.2) for _ in people]
    cap = max(int(total * MAX_SHARE), 1)
    scale = (total - len(people)) / sum(weights)
    for person, weight in zip(people, weights, strict=True):
        person.events = 1 + min(int(weight * scale), cap)
    rest = total - sum(person.events for person in people)
    while rest > 0:  # what the cap and rounding left over, spread evenly
        for person in rng.sample(people, min(rest, len(people))):
            person.events += 1
            rest -= 1


def when(rng: random.Random, start: datetime = NOW - SPAN, end: datetime = NOW) -> datetime:
    return start + (end - start) * rng.random()


def health_text(rng: random.Random) -> str:
    return rng.choice(HEALTH).format(kg=f"{rng.uniform(41, 80):.1f}".rstrip("0").rstrip("."),
                                     day=rng.randint(1, 60))  # fmt: skip


async def build(db: Database, people_count: int, events: int, rng: random.Random) -> list[Person]:
    """Fill a migrated database; returns the people as generated."""
    people = make_people(people_count, rng)
    spread(people, events, rng)
    users = [
        (20_000 + i, f"user{i}", f"User {i}", role, "en", 1, f"pseud-{i:05d}", to_db_time(NOW),
         to_db_time(NOW))
        for i, role in enumerate(["member"] * 150 + ["coordinator"] * 15 + ["subscriber"] * 300)
    ]  # fmt: skip
    reporters = [user[0] for user in users if user[3] != "subscriber"]
    coordinators = [user[0] for user in users if user[3] == "coordinator"]

    people_rows, alias_rows, report_rows, hearing_rows, sentence_rows = [], [], [], [], []
    report_id = hearing_id = sentence_id = 0
    custody = rng.sample(people, k=len(people) * 15 // 100)  # 15% are held now
    held = {person.id: i for i, person in enumerate(custody)}
    for person in people:
        stamps = sorted(when(rng) for _ in range(person.events))
        last_report_id: int | None = None
        for at in stamps:
            roll = rng.random()
            if roll < 0.06:
                hearing_id += 1
                future = rng.random() < 0.05
                starts = when(rng, NOW, NOW + timedelta(days=90)) if future else at
                state = "cancelled" if rng.random() < 0.08 else "scheduled" if future else "over"
                hearing_rows.append(
                    (hearing_id, person.id, to_db_time(starts), rng.choice(FACILITIES[:4]),
                     "", int(rng.random() < 0.2), state, rng.randint(0, 40), coordinators[0],
                     to_db_time(at), to_db_time(at))
                )  # fmt: skip
            elif roll < 0.065:
                sentence_id += 1
                years, months = rng.randint(0, 7), rng.randint(0, 11)
                start = at.date()
                release = date(start.year + years, start.month, min(start.day, 28)) + timedelta(
                    days=30 * months
                )
                sentence_rows.append(
                    (sentence_id, person.id, years, months, 0, start.isoformat(),
                     rng.randint(0, 200), release.isoformat(), coordinators[0], to_db_time(at))
                )  # fmt: skip
            else:
                report_id += 1
                kind = rng.choice(REPORT_KINDS)
                if kind == "health" and person.id not in held and rng.random() < 0.6:
                    kind = "other"  # health reports are mostly about people held
                state = rng.choice(REPORT_STATES)
                if NOW - at < timedelta(hours=36) and rng.random() < 0.5:
                    state = "pending"  # coordinators keep up; only recent ones wait
                if state == "duplicate" and last_report_id is None:
                    state = "confirmed"
                details = health_text(rng) if kind == "health" else rng.choice(DETAILS[kind])
                decided = state not in ("pending", "unverified")
                report_rows.append(
                    (report_id, kind, person.id, rng.choice(reporters), rng.choice(PLACES),
                     None, None, details, state,
                     last_report_id if state == "duplicate" else None, rng.randint(1, 3),
                     to_db_time(at), rng.choice(coordinators) if decided else None,
                     to_db_time(at + timedelta(minutes=7)) if decided else None, "", None)
                )  # fmt: skip
                last_report_id = report_id
        status, since, release_at, place = "free", None, None, ""
        if person.id in held:
            status = rng.choice(["detained"] * 2 + ["arrested"] * 5 + ["imprisoned"] * 8)
            days = {"detained": 2, "arrested": 15, "imprisoned": 700}[status]
            since = when(rng, NOW - timedelta(days=days), NOW)
            if status != "detained" and rng.random() < 0.85:
                release_at = when(rng, NOW, NOW + timedelta(days=days * 2))
            place = rng.choice(FACILITIES)
        elif stamps and rng.random() < 0.3:
            since = stamps[-1]
        people_rows.append(
            (person.id, person.name, match_key(person.name), rng.choice(CITIES), status,
             to_db_time(since) if since else None, place, "", to_db_time(NOW - SPAN),
             to_db_time(stamps[-1]) if stamps else None,
             to_db_time(release_at) if release_at else None, int(rng.random() < 0.1))
        )  # fmt: skip
        alias_rows += [(person.id, alias, match_key(alias)) for alias in person.aliases]
    # A few broadcasts (about nobody), counted among the events.
    for _ in range(max(events // 200, 1)):
        report_id += 1
        at = when(rng)
        report_rows.append(
            (report_id, "broadcast", None, coordinators[0], "", None, None, BROADCAST,
             "confirmed", None, 1, to_db_time(at), None, None, "", None)
        )  # fmt: skip
    # Number the reports in time order, as the bot would have.
    report_rows.sort(key=lambda row: row[11])
    renumber = {row[0]: index for index, row in enumerate(report_rows, start=1)}
    report_rows = [
        (renumber[row[0]], *row[1:9], renumber.get(row[9]), *row[10:]) for row in report_rows
    ]

    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (telegram_id, username, first_name, role, language, subscribed,"
            " pseudonym, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            users,
        )
        await conn.executemany(
            "INSERT INTO people (id, name, match_key, city, status, status_since, held_at, notes,"
            " created_at, last_reported_at, release_at, health_public)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            people_rows,
        )
        await conn.executemany(
            "INSERT INTO person_aliases (person_id, alias, match_key) VALUES (?, ?, ?)",
            alias_rows,
        )
        await conn.executemany(
            "INSERT INTO reports (id, kind, person_id, reporter_id, place, latitude, longitude,"
            " details, state, duplicate_of, corroborations, reported_at, decided_by, decided_at,"
            " decision_note, escalated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            report_rows,
        )
        await conn.executemany(
            "INSERT INTO hearings (id, person_id, starts_at, place, notes, closed, state,"
            " attendee_count, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            hearing_rows,
        )
        await conn.executemany(
            "INSERT INTO sentences (id, person_id, years, months, days, start_date, credit_days,"
            " release_date, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sentence_rows,
        )
    await db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)")
    return people


def variant(latin: str, rng: random.Random) -> str:
    """A Latin spelling people type for a name: another transliteration, a typo, or both."""
    swaps = [("zh", "j"), ("kh", "h"), ("y", "i"), ("ya", "ia"), ("k", "q"), ("ts", "c"),
             ("ov", "off"), ("e", "ye")]  # fmt: skip
    text = latin
    for old, new in rng.sample(swaps, 3):
        if old in text:
            text = text.replace(old, new, 1)
    if text == latin or rng.random() < 0.5:  # one letter of the surname replaced
        words = text.split()
        word = words[-1]
        index = rng.randrange(1, len(word))
        words[-1] = word[:index] + rng.choice("aeiouklmnrst") + word[index + 1 :]
        text = " ".join(words)
    return text


@dataclass
class Timing:
    label: str
    values: list[float]  # milliseconds
    note: str = ""
    in_verdict: bool = True


async def timed(
    label: str, calls: Sequence[Callable[[], Awaitable[object]]], warmup: int, note: str = ""
) -> Timing:
    """Milliseconds each call took, after ``warmup`` untimed calls."""
    for call in calls[:warmup]:
        await call()
    values = []
    for call in calls:
        started = time.perf_counter()
        await call()
        values.append((time.perf_counter() - started) * 1000)
    return Timing(label, values, note)


async def scalar(db: Database, sql: str) -> int:
    row = await db.fetch_one(sql)
    assert row is not None
    return int(row[0])


def make_settings(path: Path, **extra: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        database_path=path,
        admin_ids="5001",
        digest_time="",
        commands_per_minute=1000,
        **extra,
    )


async def service_layer(
    db: Database, settings: Settings, people: list[Person], args: argparse.Namespace
) -> tuple[list[Timing], dict[str, Any]]:
    """Time each command through the service calls its handler makes."""
    rng = random.Random(args.seed + 1)
    services = Services.build(settings, FrozenClock(NOW), db)
    casefiles, tr = services.casefiles, translator("en")

    tables = ["people", "person_aliases", "reports", "hearings", "sentences", "users"]
    rows = {table: await scalar(db, f"SELECT count(*) FROM {table}") for table in tables}
    heaviest = await db.fetch_one(
        "SELECT person_id, count(*) FROM reports WHERE kind = 'health'"
        " AND state IN ('confirmed', 'unverified') GROUP BY person_id ORDER BY 2 DESC LIMIT 1"
    )
    assert heaviest is not None
    heavy, heavy_health = heaviest[0], heaviest[1]
    events = sorted(person.events for person in people)
    shape = {
        "rows": rows,
        "events_per_person_median": events[len(events) // 2],
        "events_per_person_max": events[-1],
        "in_custody": len(await casefiles.custody()),
        "most_health_reports": heavy_health,
    }

    picks = [rng.choice(people) for _ in range(args.queries)]
    warmup = min(20, args.queries)
    exact = [rng.choice([p.name, *p.aliases]) for p in picks]
    exact = [rng.choice([text, text.upper(), text.lower()]) for text in exact]
    fuzzy_people = [p for p in people if p.name != p.latin and p.latin not in p.aliases]
    fuzzy = [variant(rng.choice(fuzzy_people).latin, rng) for _ in range(args.queries)]
    typed = [rng.choice([e, f]) for e, f in zip(exact, fuzzy, strict=True)]

    async def status(text: str, reader: Role) -> list[str]:
        """/status <name>: what handlers/casefile.py status() and status_text() call."""
        lookup = await casefiles.find(text, reader)
        if lookup.person is None:
            return []
        view = await casefiles.status(lookup.person, reader)
        return await casefiles.health_lines(lookup.person, view, tr) if view.show_health else []

    async def find(text: str, cold: bool = False) -> int:
        """/find <name>: search, then the status line of each match."""
        if cold:
            names._words.cache_clear()
        matches = await casefiles.search(text[:200], Role.SUBSCRIBER)
        return len([await casefiles.get(m.person_id) for m in matches])

    async def heavy_status() -> list[str]:
        person = await casefiles.get(heavy)
        assert person is not None
        view = await casefiles.status(person, Role.MEMBER)
        return await casefiles.health_lines(person, view, tr)

    cold = typed[: min(len(typed), 200)]
    timings = [
        await timed(
            "/status <name>, member",
            [lambda t=t: status(t, Role.MEMBER) for t in typed],
            warmup,
            "half exact, half Latin/typo of Cyrillic",
        ),
        await timed(
            "/status <name>, subscriber",
            [lambda t=t: status(t, Role.SUBSCRIBER) for t in typed],
            warmup,
        ),
        await timed("/status (overview)", [casefiles.overview] * args.queries, warmup),
        await timed("/custody", [casefiles.custody] * args.queries, warmup),
        await timed("/find <name>, warm", [lambda t=t: find(t) for t in typed], warmup),
        await timed(
            "/find <name>, cold caches",
            [lambda t=t: find(t, cold=True) for t in cold],
            0,
            "name matcher's cache cleared each time: the first /find after a restart;"
            " not in the verdict",
        ),
    ]
    timings[-1].in_verdict = False
    worst = await timed(
        "/status, most health reports",
        [heavy_status] * min(args.queries, 100),
        warmup,
        f"{heavy_health} health reports; not in the verdict",
    )
    worst.in_verdict = False
    timings.append(worst)
    shape["sample"] = {"typed": typed[:5]}
    return timings, shape


async def end_to_end(path: Path, people: list[Person], samples: int, seed: int) -> list[Timing]:
    """The same commands through the real application and the fake Bot API (no added latency):
    from the update being available to the last reply message sent, one at a time."""
    rng = random.Random(seed + 2)
    member, first_name = 20_000, "User 0"  # a member, from build()
    options = ServerOptions(latency=0.0, users=0)
    with ServerProcess(options) as server:
        settings = make_settings(path, telegram_api_url=server.base_url)
        async with running_bot(settings, FrozenClock(NOW)):
            commands = {
                "/status <name>, e2e": [
                    f"/status {rng.choice([p.name, variant(p.latin, rng)])}"
                    for p in rng.sample(people, samples)
                ],
                "/custody, e2e": ["/custody"] * samples,
                "/find <name>, e2e": [
                    f"/find {variant(p.latin, rng)}" for p in rng.sample(people, samples)
                ],
            }
            timings = []
            server.send(member, first_name, "/status")  # warm-up: first update, first reply
            await asyncio.sleep(1)
            for label, texts in commands.items():
                values = []
                for text in texts:
                    before = server.stats().sends
                    at = server.send(member, first_name, text)
                    values.append(await _last_reply(server, before, at) * 1000)
                timings.append(Timing(label, values, "no added latency; not in the verdict", False))
    return timings


async def _last_reply(server: ServerProcess, before: int, at: float) -> float:
    """Seconds from ``at`` to the last message sent after ``before`` sends, once it is quiet."""
    deadline = time.monotonic() + 10
    last_count, quiet_since = before, time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.02)
        stats = server.stats()
        if stats.sends != last_count:
            last_count, quiet_since = stats.sends, time.monotonic()
        elif last_count > before and time.monotonic() - quiet_since > 0.3:
            return max(stats.send_times[before:]) - at
    raise TimeoutError("no reply within 10 s")


async def run(args: argparse.Namespace, folder: Path) -> bool:
    rng = random.Random(args.seed)
    path = folder / "dabyl.sqlite3"
    settings = make_settings(path)
    db = await Database.open(path)
    await db.migrate()
    started = time.perf_counter()
    people = await build(db, args.people, args.events, rng)
    built = time.perf_counter() - started
    timings, shape = await service_layer(db, settings, people, args)
    await db.close()
    if args.e2e:
        timings += await end_to_end(path, people, args.e2e, args.seed)

    figures = []
    for timing in timings:
        p50, p99 = percentile(timing.values, 0.50), percentile(timing.values, 0.99)
        note = f"n={len(timing.values)}; p50 {p50:.2f} ms; max {max(timing.values):.2f} ms"
        note += f"; {timing.note}" if timing.note else ""
        target = f"<= {TARGET_MS:g}" if timing.in_verdict else ""
        figures.append(Figure(f"{timing.label} p99", p99, "ms", target, note))
    title = f"5. Queries: {args.people:,} people, {args.events:,} events"
    return report(
        "queries",
        title + (" (smoke)" if args.smoke else ""),
        figures,
        built_s=built,
        shape=shape,
        timings={t.label: t.values for t in timings},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="200 people, 10,000 events")
    parser.add_argument("--people", type=int)
    parser.add_argument("--events", type=int)
    parser.add_argument("--queries", type=int, default=500, help="timed calls per command")
    parser.add_argument("--e2e", type=int, default=20, help="end-to-end samples (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.people = args.people or (200 if args.smoke else 1000)
    args.events = args.events or (10_000 if args.smoke else 100_000)
    if args.smoke:
        args.queries = min(args.queries, 200)
        args.e2e = min(args.e2e, 10)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        ok = asyncio.run(run(args, Path(folder)))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
