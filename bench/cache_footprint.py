"""What each per-worker cache holds once fresh requests have filled it, and what its bound lets
it hold: the figures behind the soak's memory (bench/load/run.py --fresh).

    PYTHONPATH=. python bench/cache_footprint.py                    # 100,000 spacecraft, 3,000 requests
    PYTHONPATH=. python bench/cache_footprint.py --spacecraft 2000 --flights 600 --requests 300

One gateway (the app as `serve` builds it, caches at their defaults) runs in this process under
uvicorn; `FRESH_MIX`'s requests, whose variables never repeat, fill its caches, with Python's
allocations traced (`tracemalloc`). Each cache is then emptied in turn: the memory
each one releases is what it held, and that divided by its entries, times its bound, is what
it may hold at most. Only the result cache is bounded in bytes (`GATEWAY_RESULT_CACHE_BYTES`);
the others are bounded in entries, so their most is an estimate from the entries measured.

`--clients` requests are in flight at once (16: what each of two workers gets in the soak), so
the read engine's pool opens as many connections as the load makes it. SQLite's own memory
(each connection's page cache, up to `cache_size`, and its prepared statements) is outside
Python's allocator: it is read from SQLite itself (`sqlite3_memory_used`, through the library
Python's sqlite3 module links to).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import json
import random
import sqlite3
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Sized
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.datasets import sqlite_database  # noqa: E402
from bench.http_small_query import free_port  # noqa: E402
from bench.load.queries import FRESH_MIX  # noqa: E402
from gateway.app import create_app  # noqa: E402
from gateway.http.view import GraphQLView  # noqa: E402
from gateway.settings import Settings  # noqa: E402


@dataclass(frozen=True)
class Footprint:
    cache: str
    entries: int
    bound_entries: int
    held_bytes: int
    bytes_per_entry: int
    most_bytes: int  # at its bound (entries x bytes per entry, or the byte bound if lower)


def _view(app: Any) -> GraphQLView:
    (view,) = [r.endpoint for r in app.routes if getattr(r, "path", None) == "/graphql"]
    assert isinstance(view, GraphQLView)
    return view


def _serve(app: Any, port: int) -> uvicorn.Server:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


@dataclass(frozen=True)
class SQLiteMemory:
    before_bytes: int  # in use once the app had started
    after_bytes: int  # in use after the requests
    highwater_bytes: int
    connections: int  # the read engine's pool held this many at the end
    cache_size_kib: int  # each connection's page cache bound


def _sqlite_library() -> Any:
    """SQLite as Python's sqlite3 module uses it (the shared library: one memory count)."""
    lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.argtypes = [ctypes.c_int]
    return lib


def measure(
    *, spacecraft: int, flights: int, requests: int, clients: int
) -> tuple[list[Footprint], SQLiteMemory]:
    database_url = sqlite_database(spacecraft, flights)
    settings = Settings(database_url=database_url, access_log=False, log_level="warning")
    app = create_app(settings)
    view = _view(app)
    port = free_port()
    server = _serve(app, port)
    ranges = {"spacecraft": spacecraft}
    weights = [q.weight for q in FRESH_MIX]
    local = threading.local()
    sqlite = _sqlite_library()

    def ask(n: int) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        rng = random.Random(n)
        (query,) = rng.choices(FRESH_MIX, weights)
        body = {"query": query.document, "variables": query.fresh(ranges, n, rng)}
        answer = local.client.post("/graphql", json=body)
        if answer.status_code != 200 or "errors" in answer.json():
            raise SystemExit(f"{query.name} answered {answer.status_code}: {answer.text}")

    sqlite_before = sqlite.sqlite3_memory_used()
    # Tracing from before the caches fill: only memory allocated under it is seen released.
    tracemalloc.start()
    try:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(ask, range(requests)))
        pool_size = _read_pool_size(server)
        sqlite_memory = SQLiteMemory(
            before_bytes=sqlite_before,
            after_bytes=sqlite.sqlite3_memory_used(),
            highwater_bytes=sqlite.sqlite3_memory_highwater(0),
            connections=pool_size,
            cache_size_kib=_cache_size_kib(),
        )
        results = view.caching.results
        assert results is not None and view.replay is not None and view.compiled is not None
        counts = app.state.counts
        caches: list[tuple[str, Sized, int, int | None, Callable[[], None]]] = [
            (
                "result cache",
                results.store,
                results.store.max_entries,
                results.store.max_bytes,
                results.store.clear,
            ),
            (
                "known requests",
                view.replay.known._entries,
                view.replay.known.max_entries,
                None,
                view.replay.known._entries.clear,
            ),
            (
                "compiled plans",
                view.compiled.cache._shapes,
                view.compiled.cache.size,
                None,
                view.compiled.cache._shapes.clear,
            ),
            ("root totals", counts._entries, counts.size, None, counts._entries.clear),
        ]
        found = []
        for name, entries, bound, byte_bound, clear in caches:
            count = len(entries)
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            clear()
            gc.collect()
            held = max(before - tracemalloc.get_traced_memory()[0], 0)
            per_entry = held // count if count else 0
            most = max(per_entry * bound, held)  # held: a cache at its bound already
            if byte_bound is not None:
                most = min(most, byte_bound)
            found.append(Footprint(name, count, bound, held, per_entry, most))
        return found, sqlite_memory
    finally:
        tracemalloc.stop()
        server.should_exit = True


def _read_pool_size(server: uvicorn.Server) -> int:
    """Connections the read engine's pool holds (idle in it, or checked out)."""
    pool = server.lifespan.state["engine"].sync_engine.pool
    return int(pool.checkedin() + pool.checkedout())


def _cache_size_kib() -> int:
    """SQLite's default page cache bound per connection (negative: in KiB)."""
    (value,) = sqlite3.connect(":memory:").execute("PRAGMA cache_size").fetchone()
    return -int(value) if value < 0 else int(value) * 4


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spacecraft", type=int, default=100_000)
    parser.add_argument("--flights", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--clients", type=int, default=16, help="requests in flight at once")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    found, sqlite = measure(
        spacecraft=args.spacecraft,
        flights=args.flights,
        requests=args.requests,
        clients=args.clients,
    )
    if args.json:
        print(json.dumps({"caches": [asdict(f) for f in found], "sqlite": asdict(sqlite)}))
        return
    print("| cache | entries held | bound | bytes per entry | held | at its bound |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for f in found:
        print(
            f"| {f.cache} | {f.entries:,} | {f.bound_entries:,} | {f.bytes_per_entry:,} | "
            f"{f.held_bytes / 2**20:.1f} MiB | {f.most_bytes / 2**20:.1f} MiB |"
        )
    total = sum(f.most_bytes for f in found)
    print(f"all four at their bounds: {total / 2**20:.1f} MiB per worker process")
    print(
        f"SQLite's own memory: {sqlite.before_bytes / 2**20:.1f} MiB after start, "
        f"{sqlite.after_bytes / 2**20:.1f} MiB after the requests (at most "
        f"{sqlite.highwater_bytes / 2**20:.1f} MiB), over {sqlite.connections} connections "
        f"of {sqlite.cache_size_kib:,} KiB of page cache each at most"
    )


if __name__ == "__main__":
    main()
