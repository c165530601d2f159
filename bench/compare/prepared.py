"""A row of the race made ready: its documents (one query, or the members of the mix) with the
values drawn for them, and what the load sends each source (`streams`)."""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from bench.compare import load, mix, servers, values
from bench.compare.database import psql_command, scalar
from bench.compare.queries import GATEWAY, QUERIES, Query
from tests.support.pgserver import PostgresServer


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def as_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Part(Protocol):
    """A document of a row: a query, or one member of the mix."""

    @property
    def texts(self) -> dict[str, str]: ...
    @property
    def operation(self) -> str: ...
    @property
    def weight(self) -> int: ...


@dataclass(frozen=True)
class Prepared:
    """A row's documents with their drawn values; `query` when it has a data floor."""

    key: str
    parts: list[tuple[Part, values.Values]]
    query: Query | None

    def streams(self, source: str, fixed: bool = False) -> list[load.Stream]:
        """What the load sends to `source`: new values, or (`fixed`) each document's first."""
        return [
            load.Stream(
                part.texts[source],
                part.operation,
                [as_json(v) for v in drawn.variables[source][: 1 if fixed else None]],
                part.weight,
            )
            for part, drawn in self.parts
        ]

    def size(self) -> int:
        return min(len(drawn) for _, drawn in self.parts)

    def fixed_body(self) -> str:
        stream = self.streams(GATEWAY, fixed=True)[0]
        return load.body(stream.document, stream.operation, stream.variables[0])


def get_url(server: servers.Server, p: Prepared) -> str:
    """The URL asking `p`'s first document with its first values by GET."""
    stream = p.streams(GATEWAY, fixed=True)[0]
    parameters = {
        "query": stream.document,
        "operationName": stream.operation,
        "variables": stream.variables[0],
    }
    return f"{server.url}?{httpx.QueryParams(parameters)}"


def prepare(pg: PostgresServer, url: str, post: values.Post, limit: int) -> list[Prepared]:
    """Every row's values: walks first, then draws; the data floor's tables written."""
    ids = [int(v) for v in scalar(pg, url, "SELECT id FROM spacecraft ORDER BY id").split()]
    walks: dict[str, list[values.Position]] = {}
    for query in QUERIES:
        walk = query.draw.walk
        if walk is not None and walk.name not in walks:
            say(f"walking {walk.name} on every server")
            walks[walk.name] = values.walk(walk, post)
    rng = random.Random(1)
    prepared = []
    for query in QUERIES:
        drawn = values.draw(query, ids, walks, rng, limit)
        values.write_table(psql_command(pg, url), query.values_table, drawn)
        prepared.append(Prepared(query.key, [(query, drawn)], query))
    ranges = {
        "spacecraft": ids,
        "flights": [int(v) for v in scalar(pg, url, "SELECT id FROM spacecraft_flight").split()],
        "configurations": [
            int(v) for v in scalar(pg, url, "SELECT id FROM spacecraft_configuration").split()
        ],
        "small": [1, 2, 3],
    }
    members = [(m, mix.draw(m, ranges, rng, limit)) for m in mix.MEMBERS]
    prepared.append(Prepared("mix", list(members), None))
    return prepared
