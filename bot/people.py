"""People under watch: how names are matched, and the statuses a person can have."""

from __future__ import annotations

import enum
import re
import unicodedata

MAX_NAME_LENGTH = 200
_SPACES = re.compile(r"\s+")


class Status(enum.StrEnum):
    """Where a person stands; health is tracked beside this, not as a status."""

    FREE = "free"
    DETAINED = "detained"
    ARRESTED = "arrested"  # administrative arrest (days)
    IMPRISONED = "imprisoned"


def clean_name(name: str) -> str:
    """A name as it will be recorded: trimmed, inner runs of spaces collapsed, case kept."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


def match_key(name: str) -> str:
    """The key two spellings of one name share: case-insensitive, spaces and ё/е ignored.

    Every lookup of a person by name goes through this one function, so fuzzy and Latin/Cyrillic
    matching can be added here later.
    """
    return clean_name(name).casefold().replace("ё", "е")
