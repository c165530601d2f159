"""Keyset pagination over 10,000 synthetic spacecraft: every item exactly once, in order, both
ways, under orderings with many ties and nulls, on both paths (compiled SQL and resolvers);
`last`/`before` pages equal slices of the forward walk."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from graphql import parse
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import load_graph
from gateway.compiled import compile_operation
from gateway.context import request_context
from gateway.schema import schema
from tests.support.graphql import data

ORDERINGS = [
    pytest.param(
        "[{field: FLIGHTS_COUNT, direction: DESC}]",
        [("flights_count", True)],
        id="flights-count-desc",
    ),
    pytest.param(
        "[{field: NAME}, {field: TIME_IN_SPACE, direction: DESC}]",
        [("name", False), ("time_in_space", True)],
        id="name-then-time-in-space-desc",
    ),
    # Ascending over a nullable key, "after" a set value is the range, then the nulls.
    pytest.param("[{field: TIME_DOCKED}]", [("time_docked", False)], id="time-docked-with-nulls"),
    pytest.param(
        "[{field: TIME_DOCKED, direction: DESC}]",
        [("time_docked", True)],
        id="time-docked-desc-with-nulls",
    ),
    pytest.param(
        "[{field: TIME_IN_SPACE}, {field: TIME_DOCKED}]",
        [("time_in_space", False), ("time_docked", False)],
        id="two-nullable-keys-asc",
    ),
    pytest.param(
        "[{field: TIME_DOCKED}, {field: TIME_IN_SPACE, direction: DESC}]",
        [("time_docked", False), ("time_in_space", True)],
        id="two-nullable-keys-mixed",
    ),
    # Descending from a row whose values are set, "after" is one row-value comparison.
    pytest.param(
        "[{field: TIME_IN_SPACE, direction: DESC}, {field: TIME_DOCKED, direction: DESC}]",
        [("time_in_space", True), ("time_docked", True)],
        id="two-nullable-keys-desc",
    ),
]

QUERY = """query($first: Int, $after: String, $last: Int, $before: String) {
  allSpacecraft(first: $first, after: $after, last: $last, before: $before, orderBy: %s) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ll2Id } }
  }
}"""


def _python_order(rows: dict[Any, dict[str, Any]], keys: list[tuple[str, bool]]) -> list[int]:
    """The expected order: nulls last ascending and first descending, then the id in the
    direction of the last key."""

    def sort_key(row: dict[str, Any]) -> tuple[Any, ...]:
        parts: list[Any] = []
        for column, descending in keys:
            value = row[column]
            if descending:
                parts.append((0, 0) if value is None else (1, _negate(value)))
            else:
                parts.append((1, 0) if value is None else (0, value))
        return (*parts, -row["id"] if keys[-1][1] else row["id"])

    return [r["id"] for r in sorted(rows.values(), key=sort_key)]


class _Reversed:
    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return bool(other.value < self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.value == other.value


def _negate(value: Any) -> Any:
    return -value if isinstance(value, (int, float)) else _Reversed(value)


def _spacecraft(result: Any) -> Any:
    return result["allSpacecraft"]


async def _page(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any],
    path: str,
    connection: Callable[[Any], Any] = _spacecraft,
) -> Any:
    if path == "resolvers":
        return connection(await data(engine, query, variables))
    compiled = compile_operation(schema, parse(query), None, variables, dialect=engine.dialect.name)
    assert compiled is not None
    async with request_context(engine) as context, context.db.connection() as conn:
        return connection(json.loads(await compiled.data_json(conn)))


async def _walk(
    engine: AsyncEngine,
    query: str,
    path: str,
    *,
    forward: bool,
    size: int,
    given: dict[str, Any] | None = None,
    connection: Callable[[Any], Any] = _spacecraft,
) -> list[tuple[int, str]]:
    items: list[tuple[int, str]] = []
    cursor = None
    while True:
        variables = (
            {"first": size, "after": cursor} if forward else {"last": size, "before": cursor}
        )
        page = await _page(engine, query, {**(given or {}), **variables}, path, connection)
        edges = [(e["node"]["ll2Id"], e["cursor"]) for e in page["edges"]]
        items = items + edges if forward else edges + items
        info = page["pageInfo"]
        if not (info["hasNextPage"] if forward else info["hasPreviousPage"]):
            return items
        cursor = info["endCursor"] if forward else info["startCursor"]


@pytest.mark.parametrize("path", ["compiled", "resolvers"])
@pytest.mark.parametrize(("order_by", "keys"), ORDERINGS)
async def test_walks_visit_every_item_once_in_order(
    synthetic_reader: AsyncEngine, order_by: str, keys: list[tuple[str, bool]], path: str
) -> None:
    async with synthetic_reader.connect() as conn:
        rows = (await load_graph(conn, ["spacecraft"])).rows["spacecraft"]
    expected = _python_order(rows, keys)
    assert len(expected) == 10_000
    ties = len(expected) - len({tuple(rows[i][c] for c, _ in keys) for i in expected})
    assert ties > 500, "the ordering must have many ties to prove the id tie-break"

    query = QUERY % order_by
    forward = await _walk(synthetic_reader, query, path, forward=True, size=100)
    assert [i for i, _ in forward] == expected
    backward = await _walk(synthetic_reader, query, path, forward=False, size=97)
    assert [i for i, _ in backward] == expected

    for position in (1, 250, 4999, 9999):
        cursor = forward[position][1]
        page = await _page(synthetic_reader, query, {"last": 30, "before": cursor}, path)
        assert [e["node"]["ll2Id"] for e in page["edges"]] == expected[
            max(0, position - 30) : position
        ]
        assert page["pageInfo"]["hasPreviousPage"] is (position > 30)


NESTED = """query($id: Int!, $first: Int, $after: String, $last: Int, $before: String) {
  allSpacecraft(filter: {ll2Id: {eq: $id}}) { nodes {
    flights(first: $first, after: $after, last: $last, before: $before, orderBy: %s) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ll2Id } }
    }
  } }
}"""


def _flights(result: Any) -> Any:
    [spacecraft] = result["allSpacecraft"]["nodes"]
    return spacecraft["flights"]


@pytest.mark.parametrize("path", ["compiled", "resolvers"])
@pytest.mark.parametrize(
    ("order_by", "keys"),
    [
        pytest.param("[{field: DURATION}]", [("duration", False)], id="duration"),
        pytest.param(
            "[{field: DURATION, direction: DESC}]", [("duration", True)], id="duration-desc"
        ),
    ],
)
async def test_nested_walks_over_a_nullable_key_visit_every_item_once_in_order(
    synthetic_reader: AsyncEngine, order_by: str, keys: list[tuple[str, bool]], path: str
) -> None:
    """A spacecraft's flights by a duration that is often unknown, cursors among the nulls."""
    async with synthetic_reader.connect() as conn:
        flights = (await load_graph(conn, ["spacecraft_flight"])).rows["spacecraft_flight"]
    by_parent: dict[Any, dict[Any, dict[str, Any]]] = {}
    for ident, row in flights.items():
        by_parent.setdefault(row["spacecraft_id"], {})[ident] = row
    parent, rows = max(by_parent.items(), key=lambda item: (len(item[1]), item[0]))
    durations = [r["duration"] for r in rows.values()]
    assert len(rows) >= 5 and None in durations and any(d is not None for d in durations)
    expected = _python_order(rows, keys)

    query = NESTED % order_by
    given = {"id": parent}
    for forward, size in ((True, 2), (False, 3)):
        walked = await _walk(
            synthetic_reader,
            query,
            path,
            forward=forward,
            size=size,
            given=given,
            connection=_flights,
        )
        assert [i for i, _ in walked] == expected
