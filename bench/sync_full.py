"""A full sync of a synthetic LL2 (600 spacecraft, 3,000 flights): requests made, time taken.

    PYTHONPATH=. python bench/sync_full.py [--spacecraft N] [--flights N]

Runs the sync twice against the fake LL2 of the test suite (a real HTTP server on a loopback
port): once at LL2's anonymous allowance of 15 requests an hour, on a simulated clock (the waits
are counted, not slept), and once with no limit (LL2's development host). Each run starts from
an empty SQLite database. Reports requests (pages, and reads of /api-throttle/), simulated time
(waiting for the allowance) and wall-clock time (fetching, checking and writing).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from db.engine import create_engine
from db.graph import Graph
from db.sync import SimulatedClock, SyncOptions, format_seconds, sync
from db.synth import synthesize
from tests.support.fake_ll2 import FakeLL2


async def one_run(
    database_url: str, graph: Graph, limit: int | None, label: str
) -> dict[str, object]:
    clock = SimulatedClock()
    engine = create_engine(database_url)
    try:
        with FakeLL2(graph, limit=limit, clock=clock) as ll2:
            for endpoint, offset in ll2.page_offsets():  # render before timing the sync
                query = {"mode": "detailed", "limit": "100", "ordering": "id"}
                ll2.page(endpoint, query | ({"offset": str(offset)} if offset else {}))
            started = time.perf_counter()
            result = await sync(engine, SyncOptions(base_url=ll2.base_url), clock=clock)
            wall = time.perf_counter() - started
            throttle_reads = sum(1 for r in ll2.requests if r.endpoint == "api-throttle")
            return {
                "run": label,
                "outcome": result.outcome.value,
                "pages": result.pages,
                "page requests": result.requests,
                "throttle reads": throttle_reads,
                "429s": sum(1 for r in ll2.requests if r.status == 429),
                "max in any hour": ll2.max_use_in_window(),
                "waits": len(clock.sleeps),
                "simulated time": format_seconds(clock.monotonic()),
                "wall time": f"{wall:.1f}s",
                "records": {e: s.records for e, s in result.endpoints.items()},
            }
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--spacecraft", type=int, default=600)
    parser.add_argument("--flights", type=int, default=3000)
    args = parser.parse_args()
    graph = synthesize(spacecraft=args.spacecraft, flights=args.flights, seed=7).graph
    print(f"synthetic LL2: {args.spacecraft} spacecraft, {args.flights} flights")
    with tempfile.TemporaryDirectory() as scratch:
        for limit, label in ((15, "15 requests/hour"), (None, "no limit")):
            url = f"sqlite:///{Path(scratch) / f'{limit}.db'}"
            figures = await one_run(url, graph, limit, label)
            print("; ".join(f"{k}: {v}" for k, v in figures.items()))


if __name__ == "__main__":
    asyncio.run(main())
