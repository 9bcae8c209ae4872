"""Matching a typed name to people, forgiving typos, initials, word order and script.

Names are transliterated only to compare them: whatever the bot shows is the name as recorded.
Everything here is pure; :func:`rank` scores a query against candidates and :func:`resolve` says
whether the caller may go ahead with the best match, should ask with buttons, or found nobody.

Scoring, on skeletons (see :func:`skeleton`), with rapidfuzz's ``fuzz.ratio`` word against word:

* every word of the query is paired with its closest word of the name, and the score is the mean
  (each word counts the same, so a short wrong surname is not outvoted by a long right first
  name). A surname alone therefore matches the full name, in any word order;
* the same the other way round, for names of two words or more, so a query that adds a
  patronymic ("Aigerim Toregozhina Bolatovna") still matches "Aigerim Toregozhina";
* the words joined without spaces, so "Abdirakhman" meets "Abdi Rakhman";
* initials ("Б.", "A.", "Zh.") never count as words; when the query has one, the first must begin
  one of the name's other words, or the score loses :data:`INITIAL_PENALTY` points. A wrong initial
  alone keeps a person findable but lets the one whose initial fits win.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

DEFAULT_CUTOFF = 80.0
DEFAULT_MARGIN = 5.0
# More than the default margin, so that of two namesakes the one whose initial fits is ONE.
INITIAL_PENALTY = 10.0
EXACT = 100.0

# One table, Cyrillic to Latin (Russian and Kazakh letters, and the few Ukrainian ones that get
# pasted), together with the Latin letters whose mark changes the sound (ş is ш, not s). Other
# accents (ä, ö, ü, ū, ñ, ğ, é ...) are simply dropped afterwards. The folds below then merge
# the usual Latin spellings of one sound, so the targets here are only a starting point.
_TRANSLITERATION = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",  # as in people.match_key: ё and е are one letter for names
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        # Kazakh
        "ә": "a",
        "ғ": "g",
        "қ": "k",
        "ң": "n",
        "ө": "o",
        "ұ": "u",
        "ү": "u",
        "һ": "h",
        "і": "i",
        # Ukrainian and Belarusian
        "є": "ye",
        "ї": "yi",
        "ґ": "g",
        "ў": "u",
        # Latin letters whose mark is a different sound
        "ş": "sh",
        "ș": "sh",
        "š": "sh",
        "ç": "ch",
        "č": "ch",
        "ž": "zh",
        "ə": "a",  # Әбенов written Əbenov (Azerbaijani-style schwa)
        "ı": "y",  # Kazakh Latin (2021) ı is ы: Qasımov
        "ŋ": "n",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        # Apostrophes vanish: Kazakh Latin of 2018 wrote a', o', g' ...
        "'": "",
        "’": "",
        "‘": "",
        "ʼ": "",
        "ʻ": "",
        "`": "",
        "´": "",
    }
)

# Kazakh Latin of 2018 wrote ш and ч as s' and c'; only then does an apostrophe carry a sound.
_APOSTROPHE_DIGRAPH = re.compile(r"([sc])['’ʼ]")

# Applied in order to transliterated words (lower-case a-z and spaces by then). Each merges
# spellings people actually use for one sound; they are not a transliteration standard. A plain
# string is replaced as such (several times faster than a regular expression).
_FOLDS: tuple[tuple[re.Pattern[str] | str, str], ...] = (
    (re.compile(r"\bye"), "e"),  # Yerlan, Erlan, Ерлан
    ("shch", "sh"),  # щ: shch, sch
    ("sch", "sh"),
    ("dzh", "j"),  # ж: zh, j (Kazakh Latin); and дж: dzh, dj
    ("dj", "j"),
    ("zh", "j"),
    (re.compile(r"ks(?!h)"), "x"),  # кс and x are one (Maxim, Максим); x then joins х below
    ("kh", "h"),  # х: kh, h, x
    ("x", "h"),
    ("ts", "c"),  # ц
    ("q", "k"),  # қ: Qasymov, Kasymov
    ("w", "v"),
    (re.compile(r"(?<=[aeiouy])j\b"), "y"),  # a final j after a vowel is й: Sergej, Sergey
    ("y", "i"),  # ы, й, і, и: Kasymov, Kasimov; Evgeniy, Evgenii
    (re.compile(r"(?<=[aeou])i(?=[aeou])"), ""),  # a glide between vowels: Sarsenbayev, -baev
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Zhannat, Zhanat; Daniiar, Daniar
)

# A run of letters (apostrophes inside allowed), then perhaps the dot of an abbreviation.
_WORD = re.compile(r"([\w'’‘`´]+)(\.)?")  # digits and "_" are dropped by _fold
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘ʼʻ`´"))
# "Б", "Б." and the two-letter abbreviations of one Cyrillic letter ("Zh.", "Sh.") are initials.
_MAX_INITIAL_WITH_DOT = 2


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person who may be meant: their id and every name they go by."""

    person_id: int
    names: tuple[str, ...]  # display name first, then aliases


@dataclass(frozen=True, slots=True)
class Match:
    """A person found for a query, with the name of theirs that scored best."""

    person_id: int
    name: str
    score: float  # 0..100


class Resolution(enum.Enum):
    """What the caller should do with a ranking."""

    ONE = "one"  # go ahead with the best match
    CHOOSE = "choose"  # ask, with a button per close match
    NONE = "none"  # nobody passed the cutoff


@dataclass(frozen=True, slots=True)
class _Words:
    """A name as skeleton words: the words that are scored, and the initials."""

    words: tuple[str, ...]
    initials: tuple[str, ...]
    joined: str  # the words sorted and run together, so "Abdirakhman" meets "Abdi Rakhman"


def _fold(words: str) -> str:
    """The skeletons of casefolded words separated by single spaces, still one per word.

    Folding the words of a name in one go is about twice as fast as one by one; no step joins,
    splits or drops a word (one may become empty).
    """
    if not (words.isascii() and words.replace(" ", "").isalpha()):  # plain Latin needs none
        words = _APOSTROPHE_DIGRAPH.sub(r"\1h", words).translate(_TRANSLITERATION)
        if not words.isascii():
            decomposed = unicodedata.normalize("NFKD", words)
            words = "".join(char for char in decomposed if not unicodedata.combining(char))
        words = "".join(char for char in words if char.isalpha() or char == " ")
    for pattern, replacement in _FOLDS:
        if isinstance(pattern, str):
            words = words.replace(pattern, replacement)
        else:
            words = pattern.sub(replacement, words)
    return words


def _split(text: str) -> list[tuple[str, bool]]:
    """The skeleton words of ``text`` in order, each with whether it is an initial.

    Args:
        text: A name as typed or recorded.

    Returns:
        ``(skeleton word, is_initial)`` pairs; words that fold to nothing (a lone "ь") are left out.
    """
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    if not text.isascii():
        # casefold can leave a combining mark that NFC cannot absorb: "İ" becomes "i" + dot above.
        text = "".join(char for char in text if not unicodedata.combining(char))
    found = _WORD.findall(text)
    if not found:
        return []
    folded = _fold(" ".join(raw for raw, _ in found)).split(" ")
    if len(folded) != len(found):
        # A word that folds away with its space ("2" in "Asel 2 Nur"): fold one by one (slower).
        folded = [_fold(raw) for raw, _ in found]
    result: list[tuple[str, bool]] = []
    for (raw, dot), word in zip(found, folded, strict=True):
        letters = len(raw.translate(_APOSTROPHES))
        initial = letters == 1 or (dot == "." and letters <= _MAX_INITIAL_WITH_DOT)
        if word:
            result.append((word, initial))
    return result


def skeleton(text: str) -> str:
    """A Latin, lower-case, accent-free form for comparing names across scripts and spellings.

    Cyrillic (Russian and Kazakh) goes through one transliteration table; Latin spellings of one
    sound are then merged (zh/j/ж, kh/h/x/х, ts/ц, q/k, y/i/й/ы/і, doubled letters, a glide
    between vowels); punctuation separates words and initials keep their letter. Kazakh letters
    fold into their nearest Russian ones (ә into a, ұ and ү into u ...), as people without a Kazakh
    keyboard type them. For matching only: never show a skeleton.

    Args:
        text: A name in any script, case and spacing.

    Returns:
        The words' skeletons joined by single spaces, e.g. ``"toregojina b"`` for "Торегожина Б."
        and for "Toregozhina B."; ``""`` when nothing in ``text`` is a letter.
    """
    return " ".join(word for word, _ in _split(text))


@functools.lru_cache(maxsize=16_384)
def _words(text: str) -> _Words:
    """:func:`_split` grouped into scored words and initials; cached, as people's names recur."""
    pairs = _split(text)
    words = tuple(word for word, initial in pairs if not initial)
    return _Words(
        words=words,
        initials=tuple(word for word, initial in pairs if initial),
        joined="".join(sorted(words)),
    )


def _score(query: _Words, name: _Words) -> float:
    """How well a name fits a query, 0..100 (see the module docstring for the rules)."""
    if not query.words or not name.words:
        return 0.0
    grid = [[fuzz.ratio(word, other) for other in name.words] for word in query.words]
    score = sum(max(row) for row in grid) / len(grid)
    if len(name.words) > 1:
        columns = zip(*grid, strict=True)
        score = max(score, sum(max(column) for column in columns) / len(name.words))
    score = max(score, fuzz.ratio(query.joined, name.joined))
    if query.initials and not _initial_fits(query.initials[0], grid, name):
        score -= INITIAL_PENALTY
    return max(score, 0.0)


def _initial_fits(initial: str, grid: list[list[float]], name: _Words) -> bool:
    """Whether an initial begins one of the name's words not already taken by the query's words.

    A name with no word left over (only a surname) cannot contradict the initial, so it fits.
    """
    taken = {row.index(max(row)) for row in grid}
    rest = [word for index, word in enumerate(name.words) if index not in taken]
    rest.extend(name.initials)
    return not rest or any(word.startswith(initial) for word in rest)


def rank(
    query: str,
    candidates: Sequence[Candidate],
    *,
    limit: int = 5,
    cutoff: float = DEFAULT_CUTOFF,
) -> list[Match]:
    """The people a typed name may mean, best first.

    Args:
        query: The name as typed: any script, word order, case; initials and typos allowed.
        candidates: The people to search, each with a display name and aliases.
        limit: At most this many matches are returned.
        cutoff: Matches scoring below this (0..100) are left out.

    Returns:
        One :class:`Match` per person (their best-scoring name; the earlier name on a tie),
        sorted by score, then person id. Empty when the query has no word besides initials.
    """
    wanted = _words(query)
    if not wanted.words or limit <= 0 or cutoff > EXACT:
        return []
    named = [(candidate, name) for candidate in candidates for name in candidate.names]
    keys = [_words(name) for _, name in named]
    best: dict[int, Match] = {}
    for index in sorted(_contenders(wanted, keys, cutoff)):  # sorted: the earlier name wins a tie
        candidate, name = named[index]
        score = _score(wanted, keys[index])
        found = best.get(candidate.person_id)
        if score >= cutoff and (found is None or score > found.score):
            best[candidate.person_id] = Match(candidate.person_id, name, score)
    return sorted(best.values(), key=lambda match: (-match.score, match.person_id))[:limit]


def _contenders(wanted: _Words, keys: Sequence[_Words], cutoff: float) -> set[int]:
    """The indexes of the names that can reach ``cutoff``, found by rapidfuzz in C.

    Exact, not a heuristic: a mean of best word scores reaches the cutoff only if some pair of
    words does, and the joined score is checked as such; the initial penalty only lowers.
    """
    cutoff = max(cutoff, 0.0)  # rapidfuzz refuses a cutoff outside 0..100
    owners = [index for index, key in enumerate(keys) for _ in key.words]
    words = [word for key in keys for word in key.words]
    found = {
        owners[position]
        for word in wanted.words
        for _, _, position in process.extract(
            word, words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
    }
    joined = [key.joined for key in keys]
    found.update(
        position
        for _, _, position in process.extract(
            wanted.joined, joined, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
    )
    return found


def resolve(matches: Sequence[Match], *, margin: float = DEFAULT_MARGIN) -> Resolution:
    """Whether a ranking names one person, needs the user to choose, or found nobody.

    Args:
        matches: The result of :func:`rank` (any order).
        margin: The best must lead the runner-up by more than this many points to stand alone.

    Returns:
        ``NONE`` for no matches; ``ONE`` for a single match, a lead of more than ``margin``, or
        an exact (100) best over an inexact runner-up; otherwise ``CHOOSE``, including two
        exact matches (namesakes).
    """
    if not matches:
        return Resolution.NONE
    scores = sorted((match.score for match in matches), reverse=True)
    if len(scores) == 1:
        return Resolution.ONE
    best, second = scores[0], scores[1]
    if best >= EXACT > second or best - second > margin:
        return Resolution.ONE
    return Resolution.CHOOSE
