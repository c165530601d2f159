"""One whole comparison: the database, every server started, the check that every source
selects the same data, then the same load on each in turn, query by query, and the rows.

Every configuration's answer to every query is compared with the reference (the gateway, caches
off, compiled path) before anything is measured; any difference stops the run. Only the server
under load works at a time; the others sit idle, so one query's rows are measured close together
and a change in the machine's background load skews them least.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.compare import load, normalise, queries, servers
from bench.compare.database import dataset_database, start_server
from bench.compare.queries import Place, Query
from bench.compare.report import (
    CACHES_OFF,
    CACHES_ON,
    DATA_FLOOR,
    HTTP_FLOOR,
    POSTGRAPHILE,
    RESOLVERS,
    REVALIDATED,
    Row,
)
from tests.support.pgserver import PostgresServer

# Every cache of answers off (the result cache, HTTP caching, root totals by data version), for
# the "caches off" rows; parsing, validation and compiled statements stay cached, as in any
# GraphQL server.
CACHES_OFF_ENV: dict[str, str] = {"GATEWAY_CACHE": "false"}


class AnswersDiffer(RuntimeError):
    pass


@dataclass(frozen=True)
class Options:
    spacecraft: int
    flights: int
    load: load.Load
    caches_off_env: dict[str, str] = field(default_factory=lambda: dict(CACHES_OFF_ENV))
    log_dir: Path | None = None


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _scalar(pg: PostgresServer, url: str, sql: str) -> str:
    try:
        return pg.psql(sql, database=_database_name(url)).strip()
    except subprocess.CalledProcessError as e:
        raise AnswersDiffer(f"PostgreSQL refused:\n{sql}\n{e.stderr}") from None


def _walk(gateway: servers.Server, depth: int) -> tuple[str, str, int]:
    """Page through Q4's ordering on the gateway: the cursor, name and id after `depth` rows."""
    after: str | None = None
    last: dict[str, Any] = {}
    for _ in range(depth // 100):
        page = gateway.post(queries.Q4_WALK_GATEWAY, {"after": after})["allSpacecraft"]
        after = page["pageInfo"]["endCursor"]
        last = page["edges"][-1]["node"]
    return str(after), str(last["name"]), int(last["ll2Id"])


def _place(
    pg: PostgresServer, url: str, gateway: servers.Server, graphile: servers.Server
) -> Place:
    spacecraft_id = int(
        _scalar(
            pg,
            url,
            "SELECT id FROM spacecraft ORDER BY id "
            "OFFSET (SELECT count(*) / 2 FROM spacecraft) LIMIT 1",
        )
    )
    matching = int(
        _scalar(pg, url, f"SELECT count(*) FROM spacecraft WHERE {queries.Q4_WHERE_SQL}")
    )
    depth = max(100, matching // 2 // 100 * 100)
    say(f"Q4: walking {depth:,} of {matching:,} matching spacecraft on the gateway")
    cursor, name, last_id = _walk(gateway, depth)
    seek = graphile.post(queries.Q4_SEEK_POSTGRAPHILE, {"offset": depth - 1})["spacecrafts"]
    edge = seek["edges"][0]
    if int(edge["node"]["id"]) != last_id:
        raise AnswersDiffer(
            f"Q4: row {depth} of the ordering is spacecraft {last_id} on the gateway but "
            f"{edge['node']['id']} on PostGraphile"
        )
    return Place(spacecraft_id, depth, cursor, edge["cursor"], name, last_id)


def _same(source: str, query: Query, expected: Any, actual: Any) -> None:
    found = normalise.first_difference(
        normalise.without_cursors(expected), normalise.without_cursors(actual)
    )
    if found:
        raise AnswersDiffer(f"{query.key}: {source} answers differently from the gateway: {found}")


@dataclass(frozen=True)
class Target:
    """One row label of the table: how to measure a query there, and which queries it takes."""

    name: str
    measure: Callable[[Query], load.Figure]
    only: tuple[str, ...] | None = None  # None: every query

    def takes(self, query: Query) -> bool:
        return self.only is None or query.key in self.only


def _http_target(
    name: str,
    server: servers.Server,
    text: Callable[[Query], str],
    options: Options,
    only: tuple[str, ...] | None = None,
) -> Target:
    return Target(name, lambda q: load.http(server.url, text(q), options.load), only)


def _revalidations(
    server: servers.Server, chosen: list[Query], reference: dict[str, Any]
) -> dict[str, str]:
    """The ETag of each query the gateway answers by GET with one and then 304 (HTTP caching)."""
    tags: dict[str, str] = {}
    for query in chosen:
        url = server.get_url(query.gateway)
        answer = httpx.get(url, headers={"Accept": "application/json"}, timeout=120)
        tag = answer.headers.get("etag")
        if answer.status_code != 200 or not tag:
            continue
        _same(f"{REVALIDATED} (its 200)", query, reference[query.key], answer.json()["data"])
        again = httpx.get(url, headers={"Accept": "application/json", "If-None-Match": tag})
        if again.status_code == 304:
            tags[query.key] = tag
    return tags


def run(options: Options) -> tuple[list[Row], list[str]]:
    """The rows of the table, and the notes that go with it."""
    load.require("wrk", "wrk")
    servers.install_postgraphile()
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        log_dir = options.log_dir or Path(tmp)
        options = Options(
            options.spacecraft, options.flights, options.load, options.caches_off_env, log_dir
        )
        pg = start_server()
        try:
            url = dataset_database(pg, options.spacecraft, options.flights)
            # Both servers query as OLTP services do: no JIT compilation of short statements.
            pg.psql(f"ALTER DATABASE {_database_name(url)} SET jit = off")
            return _run(pg, url, options, Path(tmp), notes), notes
        finally:
            pg.stop()


def _run(pg: PostgresServer, url: str, options: Options, tmp: Path, notes: list[str]) -> list[Row]:
    caches_off = options.caches_off_env
    if not caches_off:
        notes.append(
            "caches off: no setting turns the gateway's caches off yet (CACHES_OFF_ENV in "
            "bench/compare/run.py, or --caches-off NAME=VALUE), so those rows ran the defaults"
        )
    rows: list[Row] = []
    version = servers.postgraphile_version()
    notes.append(f"PostGraphile {version}: {' '.join(servers.POSTGRAPHILE_OPTIONS)}")

    assert options.log_dir is not None
    logs = options.log_dir
    gateways = {
        CACHES_OFF: servers.gateway(url, caches_off, "gateway-caches-off"),
        RESOLVERS: servers.gateway(
            url, {**caches_off, "GATEWAY_COMPILED": "false"}, "gateway-resolvers"
        ),
        CACHES_ON: servers.gateway(url, {}, "gateway-caches-on"),
    }
    graphile = servers.postgraphile(url)
    answers = tmp / "answers.json"
    floor = servers.http_floor(answers)
    with contextlib.ExitStack() as running:
        started = [*gateways.values(), graphile]
        for server in started:
            running.enter_context(server.launch(logs))
        for server in started:
            server.wait()
        reference_server = gateways[CACHES_OFF]

        say("checking that every source selects the same data")
        place = _place(pg, url, reference_server, graphile)
        chosen = queries.build(place)
        reference = {q.key: reference_server.post(q.gateway) for q in chosen}
        raw = {body(q): reference_server.raw(q.gateway).decode() for q in chosen}
        answers.write_text(json.dumps(raw))
        running.enter_context(floor.start(logs))
        for query in chosen:
            for name, server in gateways.items():
                _same(name, query, reference[query.key], server.post(query.gateway))
            theirs = normalise.postgraphile(graphile.post(query.postgraphile))
            _same(POSTGRAPHILE, query, reference[query.key], theirs)
            if floor.raw(query.gateway).decode() != raw[body(query)]:
                raise AnswersDiffer(
                    f"{query.key}: the HTTP floor does not answer the gateway's bytes"
                )
            _same(DATA_FLOOR, query, reference[query.key], json.loads(_scalar(pg, url, query.sql)))
        tags = _revalidations(gateways[CACHES_ON], chosen, reference)
        if not tags:
            notes.append(
                "HTTP caching: the gateway answered no GET with an ETag and then 304, so the "
                f"rows {REVALIDATED!r} are left out"
            )
        say("all sources select the same data")

        gateway_text: Callable[[Query], str] = lambda q: q.gateway  # noqa: E731
        targets = [
            _http_target(CACHES_OFF, gateways[CACHES_OFF], gateway_text, options),
            _http_target(RESOLVERS, gateways[RESOLVERS], gateway_text, options, ("Q1", "Q2")),
            _http_target(CACHES_ON, gateways[CACHES_ON], gateway_text, options),
            Target(
                REVALIDATED,
                lambda q: load.http_get(
                    gateways[CACHES_ON].get_url(q.gateway),
                    {"If-None-Match": tags[q.key]},
                    options.load,
                ),
                tuple(tags),
            ),
            _http_target(POSTGRAPHILE, graphile, lambda q: q.postgraphile, options),
            _http_target(HTTP_FLOOR, floor, gateway_text, options),
            Target(DATA_FLOOR, lambda q: load.sql(pg.bindir, url, q.sql, options.load)),
        ]
        say(
            f"measuring: {options.load.duration} s per query and server after "
            f"{options.load.warmup} s of warm-up, {options.load.connections} connections"
        )
        # Query by query, every server in turn, so a query's rows are measured minutes apart
        # at most; the servers not under load sit idle.
        for query in chosen:
            for target in targets:
                if target.takes(query):
                    figure = target.measure(query)
                    say(
                        f"  {query.key} {target.name}: {figure.requests_per_second:,.0f} req/s, "
                        f"p50 {figure.p50_ms:.2f} ms, p99 {figure.p99_ms:.2f} ms, "
                        f"errors {figure.errors}"
                    )
                    rows.append(Row(query.key, target.name, figure))
    return rows


def body(query: Query) -> str:
    """The body the load POSTs to the gateway and the HTTP floor."""
    return json.dumps({"query": query.gateway})
