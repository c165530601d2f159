"""The check before timing: every source answers the same data as the gateway (caches off) for
several of each row's values, PostGraphile's names and types normalised; a difference stops the
run, naming the row, the value and the path where the answers part."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from bench.compare import normalise, servers, values
from bench.compare.database import scalar
from bench.compare.prepared import Prepared, get_url
from bench.compare.queries import GATEWAY, POSTGRAPHILE4, POSTGRAPHILE5, SOURCES
from bench.compare.report import CACHES_ON, DATA_FLOOR, REVALIDATED
from bench.compare.report import POSTGRAPHILE4 as PG4_ROW
from bench.compare.report import POSTGRAPHILE5 as PG5_ROW
from tests.support.pgserver import PostgresServer


class AnswersDiffer(RuntimeError):
    pass


def same(source: str, key: str, n: int, expected: Any, actual: Any) -> None:
    found = normalise.first_difference(
        normalise.without_cursors(expected), normalise.without_cursors(actual)
    )
    if found:
        raise AnswersDiffer(
            f"{key}: {source} answers value {n} differently from the gateway: {found}"
        )


def check(
    pg: PostgresServer,
    url: str,
    p: Prepared,
    post: values.Post,
    caches_on: servers.Server,
    checks: int,
) -> Any:
    """Compare every source's answers for `checks` of the values; the first one's answer."""
    first: Any = None
    for part, drawn in p.parts:
        size = len(drawn)
        picked = sorted({0, size - 1, *(n * size // max(1, checks) for n in range(checks))})
        for n in picked:
            variables = {s: drawn.variables[s][n] for s in SOURCES}
            expected = post(GATEWAY, part.texts[GATEWAY], variables[GATEWAY])
            if first is None:
                first = expected
            key = p.key if p.query else f"{p.key} {part.operation}"
            on = caches_on.post(part.texts[GATEWAY], variables[GATEWAY])
            same(CACHES_ON, key, n, expected, on)
            for source, label in ((POSTGRAPHILE4, PG4_ROW), (POSTGRAPHILE5, PG5_ROW)):
                answer = post(source, part.texts[source], variables[source])
                same(label, key, n, expected, normalise.postgraphile(answer))
            if p.query is not None:
                statement = re.sub(r"(?<!:):i\b", str(n + 1), p.query.floor_sql())
                same(DATA_FLOOR, key, n, expected, json.loads(scalar(pg, url, statement)))
    return first


def revalidations(
    server: servers.Server, prepared: list[Prepared], reference: dict[str, Any]
) -> dict[str, str]:
    """The ETag of each query the gateway answers by GET with one and then 304 (HTTP caching)."""
    tags: dict[str, str] = {}
    for p in prepared:
        if p.query is None:
            continue
        url = get_url(server, p)
        answer = httpx.get(url, headers={"Accept": "application/json"}, timeout=120)
        tag = answer.headers.get("etag")
        if answer.status_code != 200 or not tag:
            continue
        same(f"{REVALIDATED} (its 200)", p.key, 0, reference[p.key], answer.json()["data"])
        again = httpx.get(url, headers={"Accept": "application/json", "If-None-Match": tag})
        if again.status_code == 304:
            tags[p.key] = tag
    return tags
