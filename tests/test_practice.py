"""Practice mode (issue 9): the bot against a fake Telegram on 127.0.0.1, with a web chat.

The browser itself is driven in ``test_practice_browser.py``; here: the settings never reach
the real configuration, the drill's story, the command line, and how ``make run`` chooses.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
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
from bot.settings import Settings
from fakebotapi import webchat

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
    assert settings.alert_chat_ids == frozenset({practice.ALERT_CHANNEL})  # its own, not -100123
    assert settings.admin_ids == frozenset({ADMIN.telegram_id})
    assert settings.webhook_url is None
    assert settings.practice  # its calendars and exports say PRACTICE


def test_no_environment_makes_the_real_bot_a_practice_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRACTICE", "true")
    monkeypatch.setenv("BOT_TOKEN", "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0")
    assert Settings().practice is False


def test_tokens_are_new_every_run_and_shaped_like_botfathers() -> None:
    first, second = practice.new_token(), practice.new_token()
    assert first != second
    practice.practice_settings("http://127.0.0.1:9/bot", first)  # passes the token check


def test_banner_says_practice_where_to_look_and_how_to_run_for_real() -> None:
    database = Path("data/practice.sqlite3")
    text = practice.banner("http://127.0.0.1:8080", database, drill="Drill: two detained")
    assert "PRACTICE MODE" in text
    assert "No real messages, no real alerts" in text
    assert "http://127.0.0.1:8080" in text
    assert str(database.resolve()) in text  # where it is, whatever the current folder
    assert "BOT_TOKEN" in text and "config.example.env" in text
    assert "Drill: two detained" in text
    assert "Drill" not in practice.banner("http://x", database)


def test_the_page_words_practice_translates_are_the_web_chats_own() -> None:
    """bot/practice.py marks the page's words for translation (fakebotapi cannot use the bot's
    catalogs): the same keys and English words, so none is left untranslated by a slip."""
    assert practice.PAGE_TEXTS == webchat.PAGE_TEXTS


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
    assert "Welcome back" not in admin  # they are new here
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
    note = await world.drill()
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
    # 20 minutes: asked "still OK?" after 10 (so the exercise sees it), alerted after 20.
    (checkin,) = running
    assert checkin.due_at - checkin.set_at == timedelta(minutes=20)
    assert checkin.warn_at == checkin.due_at - timedelta(minutes=10)
    due = checkin.due_at.astimezone(zone).strftime("%H:%M")
    assert f"Zhanar's check-in\n  runs out at {due}" in note
    # Every subscriber already has both alerts, each in their own language.
    for persona in PEOPLE:
        texts = "\n".join(message.text or "" for message in world.person(persona).messages)
        assert "Marat Ospanov" in texts and "Asel Nurpeis" in texts, persona
    # The network's alert channel (a read-only tab on the page) has them too.
    posts = "\n".join(post.text or "" for post in world.channel.messages)
    assert "Detained: Marat Ospanov" in posts and "Detained: Asel Nurpeis" in posts
    statuses = {person.status for person in await services.people.in_custody()}
    assert statuses == {Status.DETAINED}


async def test_a_second_run_in_the_same_folder_leaves_the_first_alone(
    world: PracticeWorld,
) -> None:
    await world.say_hello()
    second = PracticeWorld(world.database, port=0)
    with pytest.raises(practice.AlreadyRunning, match="already running"):
        await second.start()
    await second.stop()
    # The first run's database is still there and in use.
    assert await world.services.users.get(ADMIN.telegram_id) is not None
    assert world.database.stat().st_size > 0


async def test_a_busy_page_port_stops_before_the_database_is_emptied(tmp_path: Path) -> None:
    database = tmp_path / "practice.sqlite3"
    database.write_bytes(b"an earlier practice")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        world = PracticeWorld(database, port=busy.getsockname()[1])
        with pytest.raises(OSError, match="in use"):
            await world.start()
        await world.stop()
    assert database.read_bytes() == b"an earlier practice"


# -- the command line -------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bare_env(**extra: str) -> dict[str, str]:
    """An environment with nothing of the developer's configuration in it."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **extra}


def _dabyl(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m bot <args>`` to its end, in a bare environment plus ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=_bare_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _start_dabyl(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """``python -m bot <args>`` left running, its output piped, in a bare environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=_bare_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_dabyl_practice_runs_serves_the_page_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    process = _start_dabyl("practice", "--port", str(port), cwd=tmp_path)
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
    # The database, and the lock that keeps a second run from emptying it (kept: harmless).
    names = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert names == ["practice.sqlite3", "practice.sqlite3.lock"]


def test_ctrl_c_during_the_drill_stops_at_once(tmp_path: Path) -> None:
    process = _start_dabyl("practice", "--drill", "--port", str(_free_port()), cwd=tmp_path)
    assert process.stderr is not None
    for line in process.stderr:  # wait until it is on its way, then press Ctrl-C
        if "Dabyl starting in PRACTICE mode" in line:
            break
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "PRACTICE MODE" not in stdout  # no banner: it never became ready
    assert "Traceback" not in stderr


def test_a_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _dabyl("practice", "--port", str(port), cwd=tmp_path)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use; try: dabyl practice --port {port + 1}" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("argument", ["--port=70000", "--port=eighty"])
def test_a_bad_port_shows_the_format(argument: str) -> None:
    result = _dabyl("practice", argument)
    assert result.returncode == 2
    assert "expected a port number from 1 to 65535 (or 0: any free port), like 8081" in (
        result.stderr
    )


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
    result = _dabyl(cwd=tmp_path, **env)
    assert result.returncode == 2
    assert error in result.stderr
    assert "PRACTICE" not in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []  # no database of either kind


def test_the_real_bot_refuses_the_practice_database(tmp_path: Path) -> None:
    result = _dabyl(
        cwd=tmp_path,
        BOT_TOKEN="123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
        DATABASE_PATH="data/practice.sqlite3",
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


def _make_run(folder: Path, env: dict[str, str], *, terminal: bool) -> str:
    """``make run`` in ``folder``, its output on a terminal (a pseudo-terminal) or a pipe."""
    command = ["make", "--no-print-directory", "run", "VENV=venv"]
    if not terminal:
        result = subprocess.run(
            command, cwd=folder, env=_bare_env(**env), capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout
    leader, follower = pty.openpty()
    try:
        with subprocess.Popen(
            command, cwd=folder, env=_bare_env(**env), stdout=follower, stderr=follower
        ) as process:
            os.close(follower)
            follower = -1
            output = b""
            with contextlib.suppress(OSError):  # EIO once make has exited
                while chunk := os.read(leader, 4096):
                    output += chunk
            assert process.wait(timeout=60) == 0, output
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    return output.decode().replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("env", "dotenv", "terminal", "expected"),
    [
        ({}, False, True, "python -m bot practice"),
        ({"BOT_TOKEN": "123:abc"}, False, True, "python -m bot"),
        ({"BOT_TOKEN_FILE": "/run/secrets/typo"}, False, True, "python -m bot"),
        ({}, True, True, "python -m bot"),
        # Set but empty (an unexpanded secret): configured, so the real bot, which refuses it.
        ({"BOT_TOKEN": ""}, False, True, "python -m bot"),
        ({"BOT_TOKEN_FILE": ""}, False, True, "python -m bot"),
        # Nobody at a terminal (systemd, a container, cron): never practice.
        ({}, False, False, "python -m bot"),
    ],
)
def test_make_run_practises_only_when_nothing_is_configured(
    make_run: Path, env: dict[str, str], dotenv: bool, terminal: bool, expected: str
) -> None:
    if dotenv:
        (make_run / ".env").write_text("# BOT_TOKEN still to be filled in\n")
    output = _make_run(make_run, env, terminal=terminal)
    assert output.splitlines()[-1] == expected
    assert ("PRACTICE MODE" in output) == (expected.endswith("practice"))


async def test_lang_puts_everyone_and_the_page_in_one_language(tmp_path: Path) -> None:
    """A Russian-speaking trainer: every practice person, the page and the channel in Russian."""
    world = PracticeWorld(tmp_path / "practice.sqlite3", port=0, language="ru")
    try:
        await world.start()
        await world.say_hello()
        await world.drill()
        users = world.services.users
        for persona in PEOPLE:
            stored = await users.get(persona.telegram_id)
            assert stored is not None and stored.language == "ru"
        assert world.webchat.texts["send"] == "Отправить"
        assert world.webchat.places[0].name == "Площадь Республики, Алматы"
        member = world.person(MEMBER)
        typed = [m.text or "" for m in member.history if not m.from_bot]
        assert typed[1].startswith("/detained Marat Ospanov; Площадь Республики, Алматы;")
        hearings, _ = await world.services.hearings.upcoming()
        assert [h.place for h in hearings] == ["Медеуский районный суд, Алматы"]
        # The alert channel has no reader language: it gets the trainer's one.
        assert "Задержан" in (world.channel.messages[0].text or "")
    finally:
        await world.stop()
