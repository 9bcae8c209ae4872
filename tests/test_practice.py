"""Practice mode (issue 9): the bot against a fake Telegram on 127.0.0.1, with a web chat.

The browser itself is driven in ``test_practice_browser.py``; here: the settings never reach
the real configuration, the drill's story, the command line, and how ``make run`` chooses.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import pytest

from bot import practice
from bot.people import Status
from bot.practice import ADMIN, COORDINATOR, MEMBER, PEOPLE, PracticeWorld
from bot.roles import Role

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[PracticeWorld]:
    """The practice world on free ports, with its database in ``tmp_path``."""
    practice_world = PracticeWorld(tmp_path / "practice.sqlite3", port=0)
    try:
        await practice_world.start()
        yield practice_world
    finally:
        await practice_world.stop()
    assert practice_world.telegram.schema_errors == []


# -- settings ---------------------------------------------------------------------------------
def test_practice_reads_no_environment_and_no_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real token, database, alert channel or webhook can never reach practice mode."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "BOT_TOKEN=123456789:AAHrealrealrealrealrealreal\nDATABASE_PATH=real-from-env-file.db\n"
    )
    monkeypatch.setenv("DATABASE_PATH", "real.sqlite3")
    monkeypatch.setenv("ALERT_CHAT_IDS", "-100123")
    monkeypatch.setenv("ADMIN_IDS", "42")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/dabyl")
    token = practice.new_token()
    settings = practice.practice_settings("http://127.0.0.1:9/bot", token)
    assert settings.bot_token.get_secret_value() == token
    assert settings.database_path == Path("data/practice.sqlite3")
    assert settings.telegram_api_url == "http://127.0.0.1:9/bot"
    assert settings.alert_chat_ids == frozenset()
    assert settings.admin_ids == frozenset({ADMIN.telegram_id})
    assert settings.webhook_url is None


def test_tokens_are_new_every_run_and_shaped_like_botfathers() -> None:
    first, second = practice.new_token(), practice.new_token()
    assert first != second
    practice.practice_settings("http://127.0.0.1:9/bot", first)  # passes the token check


def test_banner_says_practice_where_to_look_and_how_to_run_for_real() -> None:
    text = practice.banner("http://127.0.0.1:8080", Path("data/practice.sqlite3"), drill=True)
    assert "PRACTICE MODE" in text
    assert "No real messages, no real alerts" in text
    assert "http://127.0.0.1:8080" in text
    assert "data/practice.sqlite3" in text
    assert "BOT_TOKEN" in text and "config.example.env" in text
    assert "two people detained" in text
    assert "Drill" not in practice.banner("http://x", Path("p"), drill=False)


def test_the_practice_people_are_an_admin_a_coordinator_two_members_three_subscribers() -> None:
    roles = [person.role for person in PEOPLE]
    assert roles.count(Role.ADMIN) == 1
    assert roles.count(Role.COORDINATOR) == 1
    assert roles.count(Role.MEMBER) == 2
    assert roles.count(Role.SUBSCRIBER) == 3
    assert {person.language for person in PEOPLE} == {"kk", "ru", "en"}
    assert len({person.telegram_id for person in PEOPLE}) == len(PEOPLE)


# -- the practice world -----------------------------------------------------------------------
async def test_everyone_is_welcomed_in_their_role(world: PracticeWorld) -> None:
    await world.say_hello()
    admin = world.person(ADMIN).messages[-1].text or ""
    assert "You are: admin" in admin
    assert "You are: coordinator" in (world.person(COORDINATOR).messages[-1].text or "")
    assert "You are: member" in (world.person(MEMBER).messages[-1].text or "")
    users = world.services.users
    for persona in PEOPLE:
        stored = await users.get(persona.telegram_id)
        assert stored is not None and stored.role is persona.role
        assert stored.language == persona.language


async def test_each_run_starts_from_an_empty_practice_database(tmp_path: Path) -> None:
    database = tmp_path / "practice.sqlite3"
    first = PracticeWorld(database, port=0)
    try:
        await first.start()
        await first.drill()
    finally:
        await first.stop()
    second = PracticeWorld(database, port=0)
    try:
        await second.start()
        assert await second.services.people.in_custody() == []
    finally:
        await second.stop()


async def test_the_drill_is_a_rally_two_detained_and_a_hearing_tomorrow(
    world: PracticeWorld,
) -> None:
    await world.say_hello()
    await world.drill()
    services = world.services
    detained = {person.name for person in await services.people.in_custody()}
    assert detained == {"Marat Ospanov", "Asel Nurpeis"}
    hearings, _ = await services.hearings.upcoming()
    zone = services.settings.timezone
    tomorrow = services.clock.now().astimezone(zone).date() + timedelta(days=1)
    assert [(h.person_name, h.starts_at.astimezone(zone)) for h in hearings] == [
        ("Marat Ospanov", datetime.combine(tomorrow, dt_time(10, 0), tzinfo=zone))
    ]
    running = await services.checkins.all_running()
    assert [checkin.member_id for checkin in running] == [MEMBER.telegram_id]
    # Every subscriber already has both alerts, each in their own language.
    for persona in PEOPLE:
        texts = "\n".join(message.text or "" for message in world.person(persona).messages)
        assert "Marat Ospanov" in texts and "Asel Nurpeis" in texts, persona
    statuses = {person.status for person in await services.people.in_custody()}
    assert statuses == {Status.DETAINED}


# -- the command line -------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bare_env(**extra: str) -> dict[str, str]:
    """An environment with nothing of the developer's configuration in it."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **extra}


def test_dabyl_practice_runs_serves_the_page_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "practice", "--port", str(port)],
        cwd=tmp_path,
        env=_bare_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(3)]  # waits until it is ready
        assert "PRACTICE MODE" in banner[1], banner
        assert f"http://127.0.0.1:{port}" in banner[2]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/people", timeout=10) as answer:
            people = json.load(answer)["people"]
        assert [person["id"] for person in people] == [p.telegram_id for p in PEOPLE]
        assert (tmp_path / "data" / "practice.sqlite3").is_file()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Dabyl starting in PRACTICE mode" in stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["practice.sqlite3"]


def test_a_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "practice", "--port", str(port)],
            cwd=tmp_path,
            env=_bare_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use; try: dabyl practice --port {port + 1}" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("argument", ["--port=70000", "--port=eighty"])
def test_a_bad_port_shows_the_format(argument: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "practice", argument],
        env=_bare_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "expected a port number from 1 to 65535, like 8081" in result.stderr


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({}, "BOT_TOKEN: is required"),
        ({"BOT_TOKEN_FILE": "/run/secrets/no-such-token"}, "BOT_TOKEN_FILE: cannot read"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN: expected the token from @BotFather"),
    ],
)
def test_the_real_bot_never_falls_into_practice_mode(
    tmp_path: Path, env: dict[str, str], error: str
) -> None:
    """No token, an unreadable token file or a mistyped token: an error, never a practice bot."""
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=_bare_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert error in result.stderr
    assert "PRACTICE" not in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []  # no database of either kind


def test_the_real_bot_refuses_the_practice_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=_bare_env(
            BOT_TOKEN="123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
            DATABASE_PATH="data/practice.sqlite3",
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "DATABASE_PATH: data/practice.sqlite3 is practice mode's database" in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- make run ---------------------------------------------------------------------------------
@pytest.fixture
def make_run(tmp_path: Path) -> Path:
    """A copy of the Makefile whose venv's python only prints how it was called."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\necho "python $*"\n')
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    time.sleep(0.01)
    (tmp_path / "venv" / ".installed-run").touch()  # newer than pyproject.toml: no install
    return tmp_path


@pytest.mark.parametrize(
    ("env", "dotenv", "expected"),
    [
        ({}, False, "python -m bot practice"),
        ({"BOT_TOKEN": "123:abc"}, False, "python -m bot"),
        ({"BOT_TOKEN_FILE": "/run/secrets/typo"}, False, "python -m bot"),
        ({}, True, "python -m bot"),
    ],
)
def test_make_run_practises_only_when_nothing_is_configured(
    make_run: Path, env: dict[str, str], dotenv: bool, expected: str
) -> None:
    if dotenv:
        (make_run / ".env").write_text("# BOT_TOKEN still to be filled in\n")
    result = subprocess.run(
        ["make", "--no-print-directory", "run", "VENV=venv"],
        cwd=make_run,
        env=_bare_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == expected
    assert ("PRACTICE MODE" in result.stdout) == (expected.endswith("practice"))


async def test_lang_puts_everyone_and_the_page_in_one_language(tmp_path: Path) -> None:
    """A Russian-speaking trainer: every practice person and the page speak Russian."""
    world = PracticeWorld(tmp_path / "practice.sqlite3", port=0, language="ru")
    try:
        await world.start()
        await world.say_hello()
        await world.drill()
        users = world.services.users
        for persona in PEOPLE:
            stored = await users.get(persona.telegram_id)
            assert stored is not None and stored.language == "ru"
        assert world.webchat is not None
        assert world.webchat.texts["send"] == "Отправить"
        assert world.webchat.places[0].name == "Площадь Республики, Алматы"
        member = world.person(MEMBER)
        typed = [m.text for m in member.history if not m.from_bot]
        assert "/detained Marat Ospanov; Площадь Республики, Алматы;" in typed[1]
        hearings, _ = await world.services.hearings.upcoming()
        assert [h.place for h in hearings] == ["Медеуский районный суд, Алматы"]
    finally:
        await world.stop()
