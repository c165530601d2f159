"""`python -m bench.compare`: see bench/compare/__init__.py."""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench.compare import report
from bench.compare.check import AnswersDiffer
from bench.compare.database import NoPostgres, StatementFailed
from bench.compare.load import Load, LoadFailed, MissingProgram
from bench.compare.queries import QUERIES
from bench.compare.run import CACHES_OFF_ENV, Options, run
from bench.compare.servers import ServerFailed
from bench.compare.values import ValuesDiffer


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.compare",
        description="The gateway beside PostGraphile 4 and 5 and two floors, on one PostgreSQL.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 1,000 spacecraft and flights, 2 s per row, 1 s warm-up",
    )
    parser.add_argument("--spacecraft", type=int, help="spacecraft in the dataset (20,000)")
    parser.add_argument("--flights", type=int, help="flights in the dataset (20,000)")
    parser.add_argument("--duration", type=int, help="seconds measured per query and row (10)")
    parser.add_argument("--warmup", type=int, help="seconds of warm-up before each (3)")
    parser.add_argument(
        "--values", type=int, default=20_000, help="values drawn per query, at most (20,000)"
    )
    parser.add_argument(
        "--checks", type=int, default=5, help="values per query checked on every source (5)"
    )
    parser.add_argument("--connections", type=int, default=8, help="requests in flight (8)")
    parser.add_argument(
        "--caches-off",
        type=_pair,
        action="append",
        metavar="NAME=VALUE",
        help="environment that turns every gateway cache off (repeatable); default: "
        f"{CACHES_OFF_ENV or 'none yet'}",
    )
    parser.add_argument(
        "--measure",
        type=lambda text: tuple(text.split(",")),
        help="measure only these rows (comma-separated: lookup,detail,page,Q1,Q2,Q4,mix); "
        "every one is still checked",
    )
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this directory")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    rows = [q.key for q in QUERIES] + ["mix"]
    unknown = [name for name in args.measure or () if name not in rows]
    if unknown:
        parser.error(
            f"--measure: no row {', '.join(map(repr, unknown))}; the rows are {', '.join(rows)}"
        )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # Stop the servers and the database on SIGTERM as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    quick = args.quick
    size = 1_000 if quick else 20_000
    options = Options(
        spacecraft=args.spacecraft or size,
        flights=args.flights or size,
        load=Load(
            duration=args.duration or (2 if quick else 10),
            warmup=args.warmup if args.warmup is not None else (1 if quick else 3),
            connections=args.connections,
        ),
        caches_off_env=dict(args.caches_off) if args.caches_off else dict(CACHES_OFF_ENV),
        log_dir=args.logs,
        values=args.values,
        checks=args.checks,
        measure=args.measure,
    )
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        rows, notes = run(options)
    except (
        AnswersDiffer,
        StatementFailed,
        ValuesDiffer,
        ServerFailed,
        MissingProgram,
        NoPostgres,
        LoadFailed,
    ) as e:
        print(f"bench/compare: {e}", file=sys.stderr)
        return 1
    print(
        f"bench/compare: {options.spacecraft:,} spacecraft, {options.flights:,} flights on "
        f"PostgreSQL (synth --into); {os.cpu_count()} CPUs ({platform.machine()}); "
        f"wrk -t1 -c{options.load.connections}, {options.load.duration} s per row after "
        f"{options.load.warmup} s of warm-up; run took {time.monotonic() - started:.0f} s; "
        f"load average {load_before:.1f} before the run (other work on the machine skews it)\n"
    )
    print("Requests per second (the gateway's ÷ the best peer's):\n")
    print(report.summary(rows))
    print()
    print(report.table(rows))
    print()
    print(report.targets(rows, os.cpu_count() or 1))
    for note in notes:
        print(f"\nNote: {note}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
