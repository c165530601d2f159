"""Import speed of a synthetic dump into SQLite and PostgreSQL, as `spacecraft-gateway ingest`.

    python bench/import_speed.py                       # 100,000 spacecraft, 100,000 flights
    python bench/import_speed.py --spacecraft 10000 --flights 10000 --backend sqlite

The dump is made once by `spacecraft-gateway synth` and kept under var/bench/ (reruns skip
it). Each run migrates a new, empty database with `spacecraft-gateway migrate` (timed apart),
then times `spacecraft-gateway ingest DUMP` in a process of its own, from start to exit, with
the CPU time that process used (the PostgreSQL server's work is not in it). The server is a
throwaway one started from the installed binaries, as the tests do. The machine's load average
is printed with each figure: other work on the machine slows it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pgserver import PostgresServer  # noqa: E402
from tests.support.system import postgres_bin  # noqa: E402

DONE = ".synth-complete"  # the importer skips dot-files


@dataclass(frozen=True)
class Figure:
    backend: str
    seconds: float
    cpu: float
    objects: int
    size: int
    migrate_seconds: float
    load: float


def cli(*args: str, database_url: str | None = None) -> tuple[float, float, str]:
    """Run a `spacecraft-gateway` subcommand: its wall time, its CPU time, its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "gateway.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode != 0:
        raise SystemExit(f"spacecraft-gateway {' '.join(args)} failed:\n{done.stderr}")
    return seconds, cpu, done.stdout


def dump(cache: Path, spacecraft: int, flights: int, seed: int) -> Path:
    """The cached dump, made first when missing (written aside, then renamed into place)."""
    out = cache / f"synth-{spacecraft}-{flights}-{seed}"
    if (out / DONE).exists():
        print(f"dump: {out} (cached)")
        return out
    shutil.rmtree(out, ignore_errors=True)
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    seconds, _, output = cli(
        "synth",
        f"--spacecraft={spacecraft}",
        f"--flights={flights}",
        f"--seed={seed}",
        f"--out={partial}",
    )
    (partial / DONE).write_text(output)
    partial.rename(out)
    print(f"dump: {out}, made in {seconds:.1f} s: {output.strip()}")
    return out


def measure(backend: str, url: str, path: Path, size: Callable[[], int]) -> Figure:
    migrate_seconds, _, _ = cli("migrate", database_url=url)
    load = os.getloadavg()[0]
    seconds, cpu, output = cli("ingest", str(path), database_url=url)
    found = re.search(r"imported \d+ files, (\d+) objects", output)
    if found is None:
        raise SystemExit(f"unexpected ingest output: {output!r}")
    return Figure(backend, seconds, cpu, int(found.group(1)), size(), migrate_seconds, load)


def sqlite_run(path: Path, scratch: Path) -> Figure:
    db = scratch / "import.db"
    for leftover in scratch.glob("import.db*"):
        leftover.unlink()

    def size() -> int:
        return sum(p.stat().st_size for p in scratch.glob("import.db*"))

    return measure("sqlite", f"sqlite:///{db}", path, size)


def postgres_run(path: Path, server: PostgresServer, run: int) -> Figure:
    name = f"import_{run}"
    server.psql(f"DROP DATABASE IF EXISTS {name}")
    server.psql(f"CREATE DATABASE {name}")

    def size() -> int:
        return int(server.psql(f"SELECT pg_database_size('{name}')").strip())

    return measure("postgresql", server.url(name), path, size)


def report(figure: Figure, spacecraft: int) -> None:
    print(
        f"{figure.backend:>10}: {figure.seconds:6.1f} s wall, "
        f"{figure.objects / figure.seconds:9,.0f} records/s, "
        f"{spacecraft / figure.seconds:7,.0f} spacecraft/s, "
        f"database {figure.size / 2**20:,.0f} MiB "
        f"(ingest process {figure.cpu:.1f} s CPU; migrate {figure.migrate_seconds:.1f} s; "
        f"load average {figure.load:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spacecraft", type=int, default=100_000)
    parser.add_argument("--flights", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=1, help="runs per backend; the best counts")
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args()

    path = dump(args.cache, args.spacecraft, args.flights, args.seed)
    print(f"{args.spacecraft:,} spacecraft, {args.flights:,} flights; {os.cpu_count()} CPUs")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="import-speed-") as scratch:
        if args.backend in ("sqlite", "both"):
            for _ in range(args.runs):
                figures.append(sqlite_run(path, Path(scratch)))
                report(figures[-1], args.spacecraft)
        if args.backend in ("postgresql", "both"):
            bindir = postgres_bin()
            if bindir is None:
                raise SystemExit("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
            server = PostgresServer(bindir).start()
            try:
                for run in range(args.runs):
                    figures.append(postgres_run(path, server, run))
                    report(figures[-1], args.spacecraft)
            finally:
                server.stop()
    if args.runs > 1:
        print("best:")
        for backend in ("sqlite", "postgresql"):
            runs = [f for f in figures if f.backend == backend]
            if runs:
                report(min(runs, key=lambda f: f.seconds), args.spacecraft)


if __name__ == "__main__":
    main()
