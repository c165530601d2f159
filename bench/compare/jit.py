"""Does PostgreSQL's JIT kick in on the gateway's own statements, and what does it cost?

    PYTHONPATH=. python -m bench.compare.jit              # 20,000 spacecraft, as bench/compare
    PYTHONPATH=. python -m bench.compare.jit --spacecraft 1000 --flights 1000

The gateway (`serve`, caches off) answers each query of `bench/compare` for a few of its values
while PostgreSQL logs the plan of every statement it runs with `auto_explain` (EXPLAIN ANALYZE
of the statements as the gateway sent them), once with PostgreSQL's defaults (`jit = on`) and
once with `jit = off`. Printed: for each query, the statements' time in both runs, and where JIT
compiled, how many functions and how long compiling took.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.compare import servers
from bench.compare.database import dataset_database, start_server
from bench.compare.queries import GATEWAY, QUERIES
from bench.compare.run import CACHES_OFF_ENV
from tests.support.pgserver import PostgresServer

# One logged plan: `duration: 1.234 ms  plan:` then the query and its plan, up to the next log
# line (which starts with its time).
_ENTRY = re.compile(r"duration: ([\d.]+) ms\s+plan:\n(.*?)(?=\n\d{4}-\d\d-\d\d |\Z)", re.S)
_JIT = re.compile(r"Functions: (\d+).*?Timing: .*?Total ([\d.]+) ms", re.S)


@dataclass(frozen=True)
class Statement:
    milliseconds: float
    jit_functions: int
    jit_milliseconds: float
    text: str


def _plans(log: str) -> list[Statement]:
    found = []
    for match in _ENTRY.finditer(log):
        plan = match.group(2)
        jit = _JIT.search(plan)
        found.append(
            Statement(
                float(match.group(1)),
                int(jit.group(1)) if jit else 0,
                float(jit.group(2)) if jit else 0.0,
                " ".join(plan.split()),
            )
        )
    return found


def _configure(pg: PostgresServer, database: str, jit: str) -> None:
    for setting in (
        "session_preload_libraries = 'auto_explain'",
        "auto_explain.log_min_duration = 0",
        "auto_explain.log_analyze = on",
        f"jit = {jit}",
    ):
        pg.psql(f"ALTER DATABASE {database} SET {setting}")


def measure(
    pg: PostgresServer, url: str, jit: str, log_dir: Path, tries: int
) -> dict[str, list[Statement]]:
    """Each query's statements, `tries` values each, on a gateway started with `jit`."""
    database = url.rsplit("/", 1)[1]
    _configure(pg, database, jit)
    log = pg.root / "log"
    ids = [int(v) for v in pg.psql("SELECT id FROM spacecraft", database=database).split()]
    rng = random.Random(1)
    found: dict[str, list[Statement]] = {}
    with servers.gateway(url, CACHES_OFF_ENV, f"gateway-jit-{jit}").start(log_dir) as gateway:
        for query in QUERIES:
            if query.draw.kind != "ids" and query.draw.kind != "bounds":
                variables: list[dict[str, object]] = [{query.draw.variable: None}] * tries
            elif query.draw.kind == "ids":
                variables = [{query.draw.variable: v} for v in rng.sample(ids, tries)]
            else:
                variables = [{query.draw.variable: rng.choice(query.draw.bounds)}]
                variables *= tries
            start = log.stat().st_size
            for v in variables:
                gateway.post(query.texts[GATEWAY], v)
            with log.open() as text:
                text.seek(start)
                found[query.key] = [s for s in _plans(text.read()) if "spacecraft" in s.text]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare.jit", description=__doc__)
    parser.add_argument("--spacecraft", type=int, default=20_000)
    parser.add_argument("--flights", type=int, default=20_000)
    parser.add_argument("--tries", type=int, default=3, help="values asked per query (3)")
    args = parser.parse_args(argv)
    servers_log = Path(tempfile.mkdtemp(prefix="compare-jit-"))
    pg = start_server()
    try:
        url = dataset_database(pg, args.spacecraft, args.flights, direct=True)
        runs = {jit: measure(pg, url, jit, servers_log, args.tries) for jit in ("on", "off")}
    finally:
        pg.stop()
    print(
        f"The gateway's statements (EXPLAIN ANALYZE by auto_explain), {args.spacecraft:,} "
        f"spacecraft, {args.tries} requests per query, caches off:\n"
    )
    print("| query | statements | ms, jit = on | of which JIT | JIT functions | ms, jit = off |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for query in runs["on"]:
        on, off = runs["on"][query], runs["off"][query]
        print(
            f"| {query} | {len(on)} | {sum(s.milliseconds for s in on):.2f} "
            f"| {sum(s.jit_milliseconds for s in on):.2f} "
            f"| {sum(s.jit_functions for s in on)} | {sum(s.milliseconds for s in off):.2f} |"
        )
    jitted = [s for statements in runs["on"].values() for s in statements if s.jit_functions]
    for s in jitted[:5]:
        print(
            f"\nJIT compiled {s.jit_functions} functions in {s.jit_milliseconds} ms of "
            f"{s.milliseconds} ms: {s.text[:300]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
