"""A fair race: the gateway beside PostGraphile 4 and PostGraphile 5 on the same PostgreSQL, on
the traffic a frontend sends, with two floors, in one table.

    PYTHONPATH=. python -m bench.compare            # 20,000 spacecraft, about 20 minutes
    PYTHONPATH=. python -m bench.compare --quick    # 1,000, a smoke run

A throwaway PostgreSQL with its defaults (JIT included) gets the synthetic dataset (`synth
--into`, restored from a dump cached in var/bench/ after the first run) and is analysed. Then,
all on loopback, each with as many workers as the gateway:

- the gateway (`spacecraft-gateway serve --workers 2`) with every cache of answers off, and
  with its defaults (caches on);
- PostGraphile 4 (`--cluster-workers 2`) and PostGraphile 5 (amber preset, connection-filter,
  two processes on Node 22), installed with `npm ci` from their lock files (`servers`);
- the HTTP floor: a bare Starlette endpoint (uvicorn, 2 workers) returning the gateway's bytes;
- the data floor: one hand-written SQL statement per query building the same JSON, by pgbench.

Every query is a document with variables, each request drawing new values (`values`, `load`):
ids over the whole table, filter bounds, cursors from a walk of the ordering on each server.
Beside those rows: the same document with one fixed value (caches off), the same request
repeated (caches on) and revalidated by GET (304), and the realistic mix of `bench/load` written
for each server (`mix`). Before timing, every source answers several values of every query with
the same data (`check`); a difference stops the run. The table gives requests per second, p50
and p99 and the ratio to the best peer, then the issue's targets read off it (`report`). The
figures are reported, never asserted.
"""
