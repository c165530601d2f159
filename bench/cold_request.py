"""Where a cold request's time goes, step by step, in process: new variables on every request.

    PYTHONPATH=. python bench/cold_request.py [--backend sqlite|postgresql|both]
        [--requests 400] [--spacecraft 20000] [--json]

The issue's three frontend documents (a lookup, a detail page, a filtered page), each sent with
a new id or bound on every request, through the whole app called as ASGI (no sockets), caches
off and on. Each step is timed by wrapping the function that does it: reading the request,
limits and cost, parsing (cached), the caches' lookup and keep, finding the plan and binding the
values, the root totals, the driver (the database's work and the driver's), writing the answer;
"other" is the rest (middleware, routing, context, sending). The data floor is the same
statements run on a raw driver connection (asyncpg, sqlite3): the database's own time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cache_latency import Call, InProcess  # noqa: E402
from bench.datasets import postgres_database, sqlite_database, start_postgres  # noqa: E402

LOOKUP = """query Lookup($id: Int!) {
  spacecraft(ll2Id: $id) { ll2Id name serialNumber spacecraftConfig { name agency { name abbrev } } }
}"""
DETAIL = """query Detail($id: Int!) {
  spacecraft(ll2Id: $id) { name flights(first: 5) { nodes {
    ll2Id duration launch { name net } launchCrew { role { role } astronaut { name } } } } }
}"""
PAGE = """query Page($min: Int!) {
  allSpacecraft(first: 20, filter: {flightsCount: {gte: $min}}, orderBy: [{field: NAME}]) {
    pageInfo { hasNextPage endCursor } nodes { ll2Id name flightsCount }
  }
}"""

STEPS = {
    "read": ("gateway.http.view", "GraphQLView.read_raw"),
    "parse request": ("gateway.http.view", "parse_raw"),
    "limits and cost": ("gateway.limits.step", "Limits.check"),
    "source limits": ("gateway.limits.step", "Limits.check_source"),
    "prepare": ("gateway.http.view", "prepare"),
    "caches": ("gateway.caching.steps", "Caching.lookup"),
    "keep": ("gateway.caching.steps", "Caching.keep"),
    "plan and bind": ("gateway.compiled.run", "PlanCache.get"),
    "root totals": ("gateway.http.compiled", "CompiledRunner._total"),
    "driver": ("gateway.loaders.database", "RequestDatabase.value"),
    "write answer": ("gateway.http.view", "encode"),
}


ORIGINAL: Any = None


class StepTimer:
    """Wraps each step's function to add up its time per request (async or not)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def installed(self) -> Iterator[None]:
        import importlib

        undo: list[Callable[[], None]] = []
        for step, (module_name, path) in STEPS.items():
            module = importlib.import_module(module_name)
            owner: Any = module
            *parents, name = path.split(".")
            for parent in parents:
                owner = getattr(owner, parent)
            original = getattr(owner, name)
            setattr(owner, name, self._timed(step, original))
            undo.append(lambda o=owner, n=name, f=original: setattr(o, n, f))
        try:
            yield
        finally:
            for restore in undo:
                restore()

    def _timed(self, step: str, function: Any) -> Any:
        seconds = self.seconds
        if asyncio.iscoroutinefunction(function):

            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await function(*args, **kwargs)
                finally:
                    seconds[step] += time.perf_counter() - started

            return timed_async

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[step] += time.perf_counter() - started

        return timed


def _documents(ids: list[int]) -> dict[str, tuple[str, Callable[[random.Random], dict[str, Any]]]]:
    return {
        "lookup": (LOOKUP, lambda r: {"id": r.choice(ids)}),
        "detail": (DETAIL, lambda r: {"id": r.choice(ids)}),
        "page": (PAGE, lambda r: {"min": r.randint(0, 12)}),
    }


def _post(query: str, variables: dict[str, Any]) -> Call:
    body = json.dumps({"query": query, "variables": variables}).encode()
    return Call("POST", body=body, headers=((b"content-type", b"application/json"),))


async def _ids(url: str) -> list[int]:
    from db.engine import create_engine

    engine = create_engine(url, read_only=True)
    try:
        async with engine.connect() as conn:
            import sqlalchemy as sa

            return [r[0] for r in await conn.execute(sa.text("SELECT id FROM spacecraft"))]
    finally:
        await engine.dispose()


async def _data_floor(url: str, statements: list[tuple[str, tuple[Any, ...]]]) -> float:
    """Median seconds the database takes for the gateway's statements on a raw connection."""
    times = []
    if url.startswith("postgresql"):
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgresql://", "postgres://"))
        try:
            for sql, parameters in statements:
                started = time.perf_counter()
                await conn.fetchval(sql.replace("::VARCHAR", "::text"), *parameters)
                times.append(time.perf_counter() - started)
        finally:
            await conn.close()
    else:
        from db.sqlfunctions import register_sqlite

        path = url.removeprefix("sqlite:///")
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        register_sqlite(db)
        for sql, parameters in statements:
            started = time.perf_counter()
            db.execute(sql, parameters).fetchone()
            times.append(time.perf_counter() - started)
        db.close()
    return statistics.median(times)


async def measure(backend: str, url: str, requests: int) -> list[dict[str, Any]]:
    from gateway.app import create_app
    from gateway.compiled import CompiledOperation
    from gateway.settings import Settings

    global ORIGINAL
    ORIGINAL = CompiledOperation.data_json_of

    ids = await _ids(url)
    rows = []
    for name, (query, draw) in _documents(ids).items():
        for cache in (False, True):
            settings = Settings(database_url=url, cache=cache, access_log=False)
            app = create_app(settings)
            timer = StepTimer()
            statements: list[tuple[str, tuple[Any, ...]]] = []

            async def kept(
                self: Any, db: Any, totals: Any = (), seen: list[Any] = statements
            ) -> str:
                seen.append((self.sql, self.with_totals(totals)))
                return await ORIGINAL(self, db, totals)

            async with app.router.lifespan_context(app) as state:
                client = InProcess(app, dict(state or {}))
                drawn = random.Random(7)
                for _ in range(20):  # warm: plans built, pools filled
                    status, _, body = await client.call(_post(query, draw(drawn)))
                    assert status == 200 and b'"errors"' not in body, body[:300]
                totals = []
                CompiledOperation.data_json_of = kept  # type: ignore[method-assign]
                try:
                    with timer.installed():
                        for _ in range(requests):
                            call = _post(query, draw(drawn))
                            started = time.perf_counter()
                            status, _, body = await client.call(call)
                            totals.append(time.perf_counter() - started)
                            assert status == 200, body[:300]
                finally:
                    CompiledOperation.data_json_of = ORIGINAL  # type: ignore[method-assign]
            floor = await _data_floor(url, statements[:200]) if statements else 0.0
            per = {step: s / requests * 1e6 for step, s in timer.seconds.items()}
            whole = statistics.mean(totals) * 1e6
            inner = ("read", "limits and cost", "source limits", "prepare", "caches", "keep")
            inner += ("plan and bind", "root totals", "driver", "write answer")
            per["other"] = whole - sum(per.get(s, 0.0) for s in inner)
            rows.append(
                {
                    "backend": backend,
                    "document": name,
                    "caches": "on" if cache else "off",
                    "mean_us": round(whole, 1),
                    "p50_us": round(statistics.median(totals) * 1e6, 1),
                    "data_floor_us": round(floor * 1e6, 1),
                    "python_us": round(whole - floor * 1e6, 1),
                    "steps_us": {k: round(v, 1) for k, v in sorted(per.items())},
                }
            )
    return rows


def _print(rows: list[dict[str, Any]]) -> None:
    steps = sorted({s for r in rows for s in r["steps_us"]})
    print(
        "| backend | document | caches | mean µs | data floor µs | Python µs | "
        + " | ".join(steps)
        + " |"
    )
    print("| --- " * (6 + len(steps)) + "|")
    for r in rows:
        cells = [f"{r['steps_us'].get(s, 0.0):.0f}" for s in steps]
        print(
            f"| {r['backend']} | {r['document']} | {r['caches']} | {r['mean_us']:.0f} | "
            f"{r['data_floor_us']:.0f} | {r['python_us']:.0f} | " + " | ".join(cells) + " |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--spacecraft", type=int, default=20_000)
    parser.add_argument("--flights", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    if args.backend in ("sqlite", "both"):
        url = sqlite_database(args.spacecraft, args.flights, direct=True)
        rows += asyncio.run(measure("sqlite", url, args.requests))
    if args.backend in ("postgresql", "both"):
        server = start_postgres()
        if server is None:
            sys.exit("PostgreSQL's binaries are not installed")
        try:
            url = postgres_database(server, args.spacecraft, args.flights, direct=True)
            server.psql("ANALYZE", database=url.rsplit("/", 1)[1])
            rows += asyncio.run(measure("postgresql", url, args.requests))
        finally:
            server.stop()
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _print(rows)


if __name__ == "__main__":
    main()
