"""The gateway beside PostGraphile 4 on the same PostgreSQL, with two floors, in one table.

    PYTHONPATH=. python -m bench.compare            # 100,000 spacecraft and flights, ~10 min
    PYTHONPATH=. python -m bench.compare --quick    # 1,000 of each, a smoke run

A throwaway PostgreSQL gets the synthetic dataset (restored from a dump cached in var/bench/;
the first run loads it, which takes minutes). Then, all on loopback:

- the gateway (`spacecraft-gateway serve --workers 2`) three ways: every cache off with the
  compiled path, every cache off with the resolvers only (`GATEWAY_COMPILED=false`), and
  caches on with the same query repeated;
- PostGraphile 4 (npm, `bench/compare/postgraphile/`, installed with `npm ci`), one Node
  process as its CLI runs, serving the same database;
- the HTTP floor: a bare Starlette endpoint (uvicorn, 2 workers) returning the gateway's bytes;
- the data floor: one hand-written SQL statement building the same JSON, run by pgbench.

Before measuring, every source's answer to every query is compared with the gateway's (names
normalised, see `normalise`); a difference stops the run. Then wrk POSTs each query (Q1-Q4,
see `queries`) to each server in turn for a fixed time after a warm-up, with the same number
of requests in flight, and the table gives requests per second, p50 and p99 and the ratio to
PostGraphile, followed by the issue's targets read off it. The figures are reported, never
asserted.
"""
