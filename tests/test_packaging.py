"""The image and the wheel carry every package the bot imports (no Docker engine runs here)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def packages() -> list[str]:
    """The top-level packages pyproject.toml ships (``include = ["bot*", ...]``)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(pattern.rstrip("*") for pattern in include)


def test_the_dockerfile_copies_every_shipped_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.MULTILINE))
    assert set(packages()) <= copied, set(packages()) - copied


def test_every_shipped_package_is_a_package_and_nothing_imported_is_left_out() -> None:
    shipped = packages()
    assert shipped == ["bot", "fakebotapi", "handlers", "storage"]
    for name in shipped:
        assert (ROOT / name / "__init__.py").is_file(), name
    # Whatever the bot's code imports from this repository is shipped: never from tests/.
    for path in sorted(p for name in shipped for p in (ROOT / name).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) (tests|bench)\b", text, re.MULTILINE), path


def test_package_data_covers_the_practice_page_migrations_and_catalogs() -> None:
    """Files that are not Python must be listed as package data, or an installed (not
    editable) bot, such as the Docker image, runs without them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"]
    for package, folder in [
        ("fakebotapi", "web"),
        ("storage", "migrations"),
        ("bot", "locales"),
        ("bot", "guides"),
    ]:
        files = [p for p in (ROOT / package / folder).rglob("*") if p.is_file()]
        files = [p for p in files if p.suffix not in (".py", ".pyc")]
        assert files, (package, folder)
        for path in files:
            relative = path.relative_to(ROOT / package)
            assert any(relative.match(pattern) for pattern in data[package]), relative
