"""How long bot.names.rank takes to rank 1,000 people for one typed name.

Run from the repository root::

    python benchmarks/names.py
    python benchmarks/names.py --candidates 5000 --queries 500

Each fictional person has a Latin display name and a Cyrillic alias. Queries mix exact names,
surnames alone, the other script, word order, initials and one-letter typos. "Warm" is the usual
case (the names' skeletons are cached after the first query); "cold" clears that cache before
every query, as after a restart.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import names  # noqa: E402
from bot.names import Candidate  # noqa: E402

FIRST = [
    ("Aigerim", "Айгерім"),
    ("Daniyar", "Данияр"),
    ("Saule", "Сәуле"),
    ("Yerlan", "Ерлан"),
    ("Nurlan", "Нұрлан"),
    ("Ilyas", "Іляс"),
    ("Zhanar", "Жанар"),
    ("Askar", "Асқар"),
    ("Gulnara", "Гүлнара"),
    ("Marat", "Марат"),
    ("Botagoz", "Ботагөз"),
    ("Kairat", "Қайрат"),
    ("Aliya", "Әлия"),
    ("Timur", "Тимур"),
    ("Dana", "Дана"),
    ("Bauyrzhan", "Бауыржан"),
    ("Madina", "Мадина"),
    ("Serik", "Серік"),
    ("Aruzhan", "Аружан"),
    ("Olzhas", "Олжас"),
]
LAST = [
    ("Toregozhin", "Торегожин"),
    ("Sarsenbayev", "Сарсенбаев"),
    ("Bekov", "Беков"),
    ("Abenov", "Әбенов"),
    ("Kasymov", "Қасымов"),
    ("Omarov", "Омаров"),
    ("Nurpeisov", "Нұрпейісов"),
    ("Zhakupov", "Жақыпов"),
    ("Tulegenov", "Төлегенов"),
    ("Seitkali", "Сейтқали"),
    ("Ermekov", "Ермеков"),
    ("Bulatov", "Булатов"),
    ("Dzhaksybekov", "Джаксыбеков"),
    ("Kuanyshev", "Қуанышев"),
    ("Mukhamediyarov", "Мұхамедияров"),
    ("Shaikenov", "Шайкенов"),
    ("Ospanov", "Оспанов"),
    ("Iskakov", "Ысқақов"),
    ("Rakhimov", "Рахимов"),
    ("Utepov", "Өтепов"),
    ("Khasenov", "Хасенов"),
    ("Tsoi", "Цой"),
    ("Amanzholov", "Аманжолов"),
    ("Baimukhanov", "Баймұханов"),
    ("Gabdullin", "Ғабдуллин"),
]
SUFFIX = [("", ""), ("a", "а")]  # feminine forms double the surnames


def people(count: int, rng: random.Random) -> list[Candidate]:
    """``count`` fictional people, each with a Latin display name and a Cyrillic alias."""
    result = []
    for person_id in range(count):
        first, first_cyr = rng.choice(FIRST)
        last, last_cyr = rng.choice(LAST)
        ending, ending_cyr = rng.choice(SUFFIX)
        if last == "Seitkali" or last == "Tsoi":
            ending, ending_cyr = "", ""
        result.append(
            Candidate(
                person_id=person_id,
                names=(f"{first} {last}{ending}", f"{last_cyr}{ending_cyr} {first_cyr}"),
            )
        )
    return result


def typo(word: str, rng: random.Random) -> str:
    """``word`` with one letter replaced."""
    index = rng.randrange(len(word))
    return word[:index] + rng.choice("aeiouklmnrst") + word[index + 1 :]


def queries(candidates: list[Candidate], count: int, rng: random.Random) -> list[str]:
    """Queries of the kinds people type, drawn from ``candidates``."""
    forms: list[Callable[[str, str], str]] = [
        lambda latin, cyrillic: latin,
        lambda latin, cyrillic: cyrillic,
        lambda latin, cyrillic: latin.split()[-1],
        lambda latin, cyrillic: " ".join(reversed(latin.split())),
        lambda latin, cyrillic: f"{cyrillic.split()[0]} {cyrillic.split()[1][0]}.",
        lambda latin, cyrillic: " ".join(typo(word, rng) for word in latin.split()[-1:]),
    ]
    result = []
    for _ in range(count):
        latin, cyrillic = rng.choice(candidates).names
        result.append(rng.choice(forms)(latin, cyrillic))
    return result


def timings(candidates: list[Candidate], texts: list[str], *, cold: bool) -> list[float]:
    """Milliseconds taken by ``rank`` for each query."""
    result = []
    for text in texts:
        if cold:
            names._words.cache_clear()
        started = time.perf_counter()
        names.rank(text, candidates)
        result.append((time.perf_counter() - started) * 1000)
    return result


def report(label: str, values: list[float]) -> None:
    """Print p50, p99 and the maximum of ``values`` (milliseconds)."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    print(f"{label}: p50 {cuts[49]:.2f} ms  p99 {cuts[98]:.2f} ms  max {max(values):.2f} ms")


def main() -> None:
    """Parse arguments, rank, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    candidates = people(args.candidates, rng)
    texts = queries(candidates, args.queries, rng)
    print(f"{args.candidates} candidates x 2 names, {args.queries} queries")
    timings(candidates, texts[:10], cold=False)  # fill the cache
    report("warm", timings(candidates, texts, cold=False))
    report("cold", timings(candidates, texts, cold=True))


if __name__ == "__main__":
    main()
