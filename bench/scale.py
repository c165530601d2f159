"""The depth benchmark: does a page 900,000 rows deep cost what the first page costs?

    python -m bench.scale                                   # a million spacecraft and flights
    python -m bench.scale --spacecraft 30000 --flights 30000 --depth 27000   # a quick run

Keyset cursors promise that it does, and `tests/gateway/test_query_plans.py` checks the plans
that keep the promise; this measures it, over HTTP against a real `serve` process with every
cache of answers off (GATEWAY_CACHE=false), on the compiled path and on the resolvers
(GATEWAY_COMPILED=true/false), on SQLite and PostgreSQL. For each case (`tests.support.pages`):
the median of `--requests` requests for page 1 (20 rows), then for the page after the row at
`--depth` (or 90% of the way into a filtered case's rows, when they are fewer). The dataset is
written with `synth --into` once and cached under var/bench/ (an SQLite file, a pg_dump).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.compare.database import dataset_database, start_server  # noqa: E402
from bench.datasets import sqlite_database  # noqa: E402
from db import migrate  # noqa: E402
from db.engine import create_engine  # noqa: E402
from db.ingest.statistics import analyze  # noqa: E402
from db.tables import ENTITY_TABLES, LINK_TABLES  # noqa: E402
from tests.support.pages import CASES, DeepCase, count, cursor_at  # noqa: E402
from tests.support.pgserver import free_port  # noqa: E402
from tests.support.processes import Process  # noqa: E402


@dataclass(frozen=True)
class Figure:
    backend: str
    path: str
    case: str
    depth: int
    first_ms: float
    deep_ms: float


async def _cursors(url: str, depth: int) -> dict[str, tuple[str, int]]:
    """Per case: the cursor of the row at `depth`, or 90% in when the case has fewer rows."""
    engine = create_engine(url, read_only=True)
    out = {}
    try:
        async with engine.connect() as conn:
            for case in CASES:
                where = case.where() if case.where else None
                rows = await count(conn, "spacecraft", where)
                # A full page past the cursor, 90% in at most when a filter leaves few rows.
                at = max(1, min(depth, rows * 9 // 10, rows - 20))
                out[case.name] = (
                    await cursor_at(conn, "spacecraft", "Spacecraft", case.order, at, where),
                    at,
                )
    finally:
        await engine.dispose()
    return out


async def _up_to_date(url: str) -> None:
    """A cached SQLite file made before a migration gets it, and statistics for what it added."""
    engine = create_engine(url)
    try:
        if await migrate.current_revision(engine) != migrate.head_revision():
            await migrate.upgrade(engine)
            tables = [t.name for t in [*ENTITY_TABLES.values(), *LINK_TABLES.values()]]
            await analyze(engine, tables)
    finally:
        await engine.dispose()


def _median_ms(client: httpx.Client, url: str, query: str, after: str | None, n: int) -> float:
    body = {"query": query, "variables": {"first": 20, "after": after}}
    answer = client.post(url, json=body)  # warm: parse, validation, compiled SQL, pages
    answer.raise_for_status()
    data = answer.json()
    assert "errors" not in data and len(data["data"]["allSpacecraft"]["nodes"]) == 20, data
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.post(url, json=body).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _measure(backend: str, url: str, path: str, depth: int, requests: int) -> list[Figure]:
    cursors = asyncio.run(_cursors(url, depth))
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "GATEWAY_CACHE": "false",
        "GATEWAY_COMPILED": "true" if path == "compiled" else "false",
        "GATEWAY_ACCESS_LOG": "false",
        "GATEWAY_READINESS_TIMEOUT": "60",
    }
    args = [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port)]
    figures = []
    with tempfile.TemporaryDirectory() as directory:
        server = Process(args, env, Path(directory))
        try:
            base = f"http://127.0.0.1:{port}"
            server.wait_until_up(base, timeout=300)
            with httpx.Client(timeout=120) as client:
                for case in CASES:
                    cursor, at = cursors[case.name]
                    query = case.query()
                    first = _median_ms(client, f"{base}/graphql", query, None, requests)
                    deep = _median_ms(client, f"{base}/graphql", query, cursor, requests)
                    figures.append(Figure(backend, path, case.name, at, first, deep))
                    print(_row(figures[-1]), file=sys.stderr, flush=True)
        finally:
            server.stop()
    return figures


def _row(f: Figure) -> str:
    return (
        f"| {f.backend} | {f.path} | {f.case} | {f.depth:,} | {f.first_ms:.2f} | "
        f"{f.deep_ms:.2f} | {f.deep_ms / f.first_ms:.2f} |"
    )


def table(figures: list[Figure]) -> str:
    head = [
        "| backend | path | case | depth | page 1 ms | deep page ms | deep ÷ page 1 |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    return "\n".join(head + [_row(f) for f in figures])


def _cases_named(names: str | None) -> None:
    if names:
        wanted = [n.strip() for n in names.split(",")]
        kept: list[DeepCase] = [c for c in CASES if c.name in wanted]
        CASES[:] = kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spacecraft", type=int, default=1_000_000)
    parser.add_argument("--flights", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--depth", type=int, default=900_000)
    parser.add_argument("--requests", type=int, default=30, help="requests per median")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--paths", default="compiled,resolvers")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--postgres-url", help="an already loaded database instead of a server")
    args = parser.parse_args(argv)
    _cases_named(args.cases)
    figures: list[Figure] = []
    server = None
    try:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = sqlite_database(args.spacecraft, args.flights, args.seed, direct=True)
                asyncio.run(_up_to_date(url))
            elif args.postgres_url:
                url = args.postgres_url
            else:
                server = server or start_server()
                url = dataset_database(
                    server, args.spacecraft, args.flights, args.seed, direct=True
                )
            for path in args.paths.split(","):
                figures += _measure(backend, url, path, args.depth, args.requests)
    finally:
        if server is not None:
            server.stop()
    print(
        f"{args.spacecraft:,} spacecraft, {args.flights:,} flights; pages of 20; medians of "
        f"{args.requests} requests over HTTP, GATEWAY_CACHE=false; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(table(figures))


if __name__ == "__main__":
    main()
