"""Export at scale: time, peak memory and size of `export`, and the re-import of its output.

    PYTHONPATH=. python bench/export.py --spacecraft 100000 --flights 100000 [--backend postgresql]
    PYTHONPATH=. python bench/export.py --source DUMP_DIR        # e.g. the output of `synth`

Builds an LL2 dump (tests/support/richer.py) unless --source names one, imports it into a new
database, exports that, imports the export into a second new database and, with --verify,
checks that both hold the same rows. Peak memory is the export's own (the high-water mark is
reset before it starts).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from db.engine import create_engine
from db.export import export
from db.ingest import ingest
from tests.support.data import dump
from tests.support.pgserver import PostgresServer
from tests.support.richer import write_richer
from tests.support.system import postgres_bin


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _size(path: Path) -> str:
    return subprocess.run(["du", "-sh", str(path)], capture_output=True, text=True).stdout.split()[
        0
    ]


@contextmanager
def _databases(backend: str, scratch: Path) -> Iterator[tuple[str, str]]:
    if backend == "sqlite":
        yield f"sqlite:///{scratch / 'a.db'}", f"sqlite:///{scratch / 'b.db'}"
        return
    bindir = postgres_bin()
    if bindir is None:
        raise SystemExit("PostgreSQL's server binaries are not installed")
    server = PostgresServer(bindir).start()
    try:
        server.psql("CREATE DATABASE a")
        server.psql("CREATE DATABASE b")
        yield server.url("a"), server.url("b")
    finally:
        server.stop()


async def run(args: argparse.Namespace, scratch: Path) -> None:
    source = args.source
    if source is None:
        started = time.perf_counter()
        source = write_richer(scratch / "source", spacecraft=args.spacecraft, flights=args.flights)
        print(f"built dump: {time.perf_counter() - started:.1f} s, {_size(source)}")
    with _databases(args.backend, scratch) as (url_a, url_b):
        first, second = create_engine(url_a), create_engine(url_b)
        started = time.perf_counter()
        result = await ingest(first, [source])
        print(f"import: {time.perf_counter() - started:.1f} s, {result.objects} objects")
        _reset_peak()
        started = time.perf_counter()
        exported = await export(first, scratch / "export")
        seconds, peak = time.perf_counter() - started, _peak_rss_mb()
        print(f"export: {seconds:.1f} s, peak RSS {peak:.0f} MB, {_size(scratch / 'export')}")
        print(f"  {exported.summary()}")
        for warning in exported.warnings():
            print(f"  warning: {warning}")
        started = time.perf_counter()
        result = await ingest(second, [scratch / "export"])
        print(f"re-import: {time.perf_counter() - started:.1f} s, {result.objects} objects")
        if args.verify:
            before, after = await dump(first), await dump(second)
            before.pop("dataset_state")
            after.pop("dataset_state")
            rows = sum(len(r) for r in before.values())
            print(f"verify: {'identical' if before == after else 'DIFFERENT'} ({rows} rows)")
        await first.dispose()
        await second.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spacecraft", type=int, default=100_000)
    parser.add_argument("--flights", type=int, default=100_000)
    parser.add_argument("--source", type=Path, help="an LL2 dump directory to import instead")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--verify", action="store_true", help="compare both databases row by row")
    parser.add_argument("--scratch", type=Path, help="keep files here instead of a temporary dir")
    args = parser.parse_args()
    if args.scratch:
        args.scratch.mkdir(parents=True, exist_ok=True)
        asyncio.run(run(args, args.scratch))
    else:
        with tempfile.TemporaryDirectory(dir="/tmp") as scratch:
            asyncio.run(run(args, Path(scratch)))


if __name__ == "__main__":
    main()
