"""The values each request of a query draws, decided before anything is timed.

Request n sends the n-th values of the list to whichever server is under load, so every server
answers the same requests: ids over the whole table in a random order (a new one for each
request until the list wraps), filter bounds, or cursors at random positions of an ordering
that was walked on each server first. The walk doubles as a check: every server must list the
same rows in the same order. The data floor gets the same values as the rows of a table.
"""

from __future__ import annotations

import random
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.compare.queries import GATEWAY, SOURCES, Draw, Query, Walk, walk_document

# Post(source, document, variables) -> the answer's data.
Post = Callable[[str, str, dict[str, Any]], Any]


class ValuesDiffer(RuntimeError):
    pass


@dataclass(frozen=True)
class Values:
    """One query's values: `variables[source][n]` for request n, `rows[n]` for the floor."""

    variables: dict[str, list[dict[str, Any]]]
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Position:
    """A row of a walked ordering: each server's cursor for it, and the gateway's node."""

    cursors: dict[str, str]
    node: dict[str, Any]


def _node_id(source: str, node: dict[str, Any]) -> int:
    return int(node["ll2Id"] if source == GATEWAY else node["id"])


def walk(ordering: Walk, post: Post) -> list[Position]:
    """Every row of `ordering`, page by page on every server; they must list the same rows."""
    rows: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for source in SOURCES:
        document = walk_document(ordering, source)
        after: str | None = None
        found: list[tuple[str, dict[str, Any]]] = []
        while True:
            page = next(iter(post(source, document, {"after": after}).values()))
            found += [(edge["cursor"], edge["node"]) for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        rows[source] = found
    reference = [_node_id(GATEWAY, node) for _, node in rows[GATEWAY]]
    for source in SOURCES:
        ids = [_node_id(source, node) for _, node in rows[source]]
        if ids != reference:
            at = next(
                (n for n, (a, b) in enumerate(zip(ids, reference, strict=False)) if a != b),
                min(len(ids), len(reference)),
            )
            raise ValuesDiffer(
                f"walking {ordering.name}: {source} "
                f"lists {len(ids)} rows, the gateway {len(reference)}; they first differ at "
                f"row {at}"
            )
    return [
        Position({source: rows[source][n][0] for source in SOURCES}, rows[GATEWAY][n][1])
        for n in range(len(reference))
    ]


def _typed(source: str, value: int) -> int | str:
    """PostGraphile types bigint as BigInt, which travels as a string."""
    return value if source == GATEWAY else str(value)


def draw(
    query: Query,
    ids: list[int],
    walks: dict[str, list[Position]],
    rng: random.Random,
    limit: int,
) -> Values:
    """At most `limit` values of `query`'s variables, for every source and the floor."""
    how: Draw = query.draw
    name = how.variable
    if how.kind == "ids":
        chosen = rng.sample(ids, min(limit, len(ids)))
        return Values(
            {s: [{name: _typed(s, v)} for v in chosen] for s in SOURCES},
            ("id",),
            [(v,) for v in chosen],
        )
    if how.kind == "bounds":
        bounds = [rng.choice(how.bounds) for _ in range(limit)]
        return Values(
            {s: [{name: _typed(s, v)} for v in bounds] for s in SOURCES},
            ("min",),
            [(v,) for v in bounds],
        )
    assert how.kind == "cursors" and how.walk is not None, how
    positions = walks[how.walk.name]
    picked = rng.sample(positions, min(limit, len(positions)))
    keys = how.walk.keys
    return Values(
        {s: [{name: p.cursors[s]} for p in picked] for s in SOURCES},
        tuple(key.lower() for key in keys),
        [tuple(p.node[key] for key in keys) for p in picked],
    )


def _copy_text(value: Any) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def write_table(psql: list[str], table: str, values: Values) -> None:
    """The floor's copy of `values` as `table` (i from 1, then the columns), analysed."""
    types = {"id": "bigint", "min": "bigint", "ll2id": "bigint", "flightscount": "bigint"}
    columns = ", ".join(f"{c} {types.get(c, 'text')}" for c in values.columns)
    lines = "".join(
        "\t".join([str(n), *(_copy_text(v) for v in row)]) + "\n"
        for n, row in enumerate(values.rows, start=1)
    )
    script = (
        f"DROP TABLE IF EXISTS {table};\n"
        f"CREATE TABLE {table} (i int PRIMARY KEY, {columns});\n"
        f"COPY {table} FROM STDIN;\n{lines}\\.\n"
        f"ANALYZE {table};\n"
    )
    subprocess.run(
        [*psql, "-v", "ON_ERROR_STOP=1", "-q", "-f", "-"],
        input=script,
        text=True,
        check=True,
        capture_output=True,
    )
