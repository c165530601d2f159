"""What the integrity check at start costs: `PRAGMA quick_check` over a SQLite file, timed.

    PYTHONPATH=. python bench/integrity_check.py var/spacecraft.db [--runs 3]

Every command that writes, `export` and `serve` run it before they trust a file
(`db.integrity`); it reads every page once, so it costs about the time to read the file.
Prints the file's size and each run's seconds (the first with whatever the page cache holds).
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path


def time_quick_check(path: Path, runs: int) -> list[float]:
    seconds = []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        for _ in range(runs):
            started = time.perf_counter()
            found = conn.execute("PRAGMA quick_check(3)").fetchall()
            seconds.append(time.perf_counter() - started)
            if found != [("ok",)]:
                raise SystemExit(f"{path} is damaged: {found}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = args.path.stat().st_size
    seconds = time_quick_check(args.path, args.runs)
    runs = ", ".join(f"{s:.3f} s" for s in seconds)
    print(
        f"{args.path}: {size / 2**20:.1f} MiB, quick_check {runs} ({size / 2**20 / min(seconds):.0f} MiB/s)"
    )


if __name__ == "__main__":
    main()
