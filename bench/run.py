"""Run the whole benchmark suite: ``make bench`` (or ``python -m bench.run [--smoke] [names]``).

Each benchmark runs in a fresh Python process, one after another (they would disturb each
other's figures if run together), prints its table and writes ``bench/results/<name>.json``.
At the end a summary lists every figure next to its target. The exit status is 1 if a figure
missed its target or a benchmark failed, so a scheduled run can alert someone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
# In the order of issues 8 and 9; each is ``python -m bench.<name>``.
BENCHMARKS = ("paid", "free_cap", "latency", "memory", "queries", "faults", "practice")
# A benchmark that takes longer than this is stopped and reported as failed.
TIMEOUT = {"smoke": 240, "full": 600}


def run(names: list[str], smoke: bool) -> int:
    began = time.monotonic()
    failed: list[str] = []
    for name in names:
        (RESULTS / f"{name}.json").unlink(missing_ok=True)
        command = [sys.executable, "-m", f"bench.{name}", *(["--smoke"] if smoke else [])]
        print(f"\n$ {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        try:
            done = subprocess.run(
                command,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                timeout=TIMEOUT["smoke" if smoke else "full"],
                check=False,
            )
            code = done.returncode
        except subprocess.TimeoutExpired:
            code = -1
            print(f"!! bench.{name} timed out")
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
        if code != 0 or not (RESULTS / f"{name}.json").exists():
            failed.append(name)
    summary(names)
    print(f"\nSuite: {time.monotonic() - began:.0f} s on {os.cpu_count()} cores.")
    if failed:
        print("Missed a target or failed:", ", ".join(failed))
    return 1 if failed else 0


def summary(names: list[str]) -> None:
    print("\n== Summary")
    for name in names:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            print(f"  {name}: no result")
            continue
        result = json.loads(path.read_text())
        for figure in result["figures"]:
            if not figure["target"]:
                continue
            mark = "ok" if figure["met"] else "MISSED"
            value = f"{figure['value']:,.2f}".rstrip("0").rstrip(".")
            print(
                f"  {name:<9} {figure['name']:<44} {value:>12} {figure['unit']:<6}"
                f" target {figure['target']:<10} {mark}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, a quick check")
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    return run(list(args.names) or list(BENCHMARKS), args.smoke)


if __name__ == "__main__":
    sys.exit(main())
