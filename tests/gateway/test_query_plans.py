"""Query plans at scale: pages of 30,000 synthetic spacecraft read an index, never a whole table.

The database holds 30,000 spacecraft and 30,000 flights (written by `synth --into`, analysed as
after any big import), enough for both planners to choose as they would at a million rows. Each
statement a query runs is explained, on both paths (compiled and resolvers) and both backends,
for the first page and for a page 90% of the way in: no full scan of a big table, no sort of an
unbounded number of its rows, and a deep page starts its read at the cursor (a seek) instead of
walking the index from the start. Timings are `bench/scale.py`'s business.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from graphql import parse
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.synth.load import load_world
from db.tables import ENTITY_TABLES
from gateway.compiled import compile_operation
from gateway.context import request_context
from gateway.schema import schema
from tests.support.pages import CASES, DeepCase, count, deep_cursor
from tests.support.plans import Plan, Statement, captured, explain, problems, seeks

SPACECRAFT = FLIGHTS = 30_000
BIG = {"spacecraft", "spacecraft_flight"}
PATHS = ["compiled", "resolvers"]


@pytest.fixture
async def scale_reader(
    loaded_database: Callable[[str, Callable[[AsyncEngine], Awaitable[object]]], Awaitable[str]],
) -> AsyncIterator[AsyncEngine]:
    """A read-only engine on a database of 30,000 synthetic spacecraft and flights."""

    def load(writer: AsyncEngine) -> Awaitable[object]:
        return load_world(writer, spacecraft=SPACECRAFT, flights=FLIGHTS, seed=1)

    engine = create_engine(await loaded_database("synth --into 30k", load), read_only=True)
    yield engine
    await engine.dispose()


async def _run(
    engine: AsyncEngine, query: str, variables: dict[str, Any], path: str
) -> tuple[Any, list[Plan]]:
    """The query's data on one path, and the plans of the statements it ran."""
    with captured(engine) as statements:
        async with request_context(engine) as context:
            if path == "compiled":
                compiled = compile_operation(
                    schema, parse(query), None, variables, dialect=engine.dialect.name
                )
                assert compiled is not None
                async with context.db.connection() as conn:
                    data = json.loads(await compiled.data_json(conn))
            else:
                result = await schema.execute(
                    query, variable_values=variables, context_value=context
                )
                assert result.errors is None, result.errors
                data = result.data
    return data, [await explain(engine, s) for s in statements]


async def _expected(engine: AsyncEngine, case: DeepCase, depth: int) -> list[dict[str, Any]]:
    """The page's nodes straight from the table: the 20 rows after `depth` in the case's order."""
    from db.read import ordering

    table = ENTITY_TABLES["spacecraft"]
    flights = ENTITY_TABLES["spacecraft_flight"]
    keys = ordering.order_keys("spacecraft", case.order)
    statement = (
        sa.select(table.c.id, table.c.name)
        .order_by(*ordering.order_by("spacecraft", keys))
        .offset(depth)
        .limit(20)
    )
    if case.where is not None:
        statement = statement.where(case.where())
    async with engine.connect() as conn:
        rows = (await conn.execute(statement)).all()
        nodes: list[dict[str, Any]] = [{"ll2Id": r.id, "name": r.name} for r in rows]
        if "flights" in case.selection:
            for node in nodes:
                found = await conn.execute(
                    sa.select(flights.c.id, flights.c.duration)
                    .where(flights.c.spacecraft_id == node["ll2Id"])
                    .order_by(flights.c.id)
                    .limit(5)
                )
                node["flights"] = {
                    "nodes": [{"ll2Id": f.id, "duration": f.duration} for f in found]
                }
    return nodes


def _comparable(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Durations as the API writes them (ISO 8601) are compared by presence; the rest as is."""
    out = []
    for node in nodes:
        node = dict(node)
        if "flights" in node:
            node["flights"] = [
                (f["ll2Id"], f["duration"] is not None) for f in node["flights"]["nodes"]
            ]
        out.append(node)
    return out


def _params() -> list[Any]:
    return [pytest.param(case, path, id=f"{case.name}-{path}") for case in CASES for path in PATHS]


@pytest.mark.parametrize(("case", "path"), _params())
async def test_pages_seek_and_never_read_a_big_table_whole(
    scale_reader: AsyncEngine, case: DeepCase, path: str
) -> None:
    async with scale_reader.connect() as conn:
        cursor, depth = await deep_cursor(conn, case, 0.9)
    first_data, first_plans = await _run(
        scale_reader, case.query(), {"first": 20, "after": None}, path
    )
    deep_data, deep_plans = await _run(
        scale_reader, case.query(), {"first": 20, "after": cursor}, path
    )
    first_page = first_data["allSpacecraft"]
    deep_page = deep_data["allSpacecraft"]
    assert _comparable(first_page["nodes"]) == _comparable(await _expected(scale_reader, case, 0))
    assert _comparable(deep_page["nodes"]) == _comparable(
        await _expected(scale_reader, case, depth)
    )
    assert (first_page["pageInfo"]["hasNextPage"], deep_page["pageInfo"]["hasNextPage"]) == (
        True,
        True,
    )
    shown = "\n\n".join(p.text() for p in first_plans + deep_plans)
    assert problems(first_plans, BIG) == [], shown
    assert problems(deep_plans, BIG) == [], shown
    assert seeks(deep_plans[0], "spacecraft"), shown


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("name", "fraction"),
    [
        pytest.param("TIME_IN_SPACE", 0.97, id="ascending, nulls last"),
        pytest.param("TIME_IN_SPACE DESC", 0.03, id="descending, nulls first"),
    ],
)
async def test_a_page_from_a_cursor_in_the_nulls_seeks(
    scale_reader: AsyncEngine, name: str, fraction: float, path: str
) -> None:
    case = next(c for c in CASES if c.name == name)
    async with scale_reader.connect() as conn:
        cursor, depth = await deep_cursor(conn, case, fraction)
        nulls = await count(
            conn, "spacecraft", ENTITY_TABLES["spacecraft"].c.time_in_space.is_(None)
        )
    in_the_nulls = depth > SPACECRAFT - nulls if fraction > 0.5 else depth <= nulls
    assert in_the_nulls, (depth, nulls)
    data, plans = await _run(scale_reader, case.query(), {"first": 20, "after": cursor}, path)
    assert data["allSpacecraft"]["nodes"] == await _expected(scale_reader, case, depth)
    shown = "\n\n".join(p.text() for p in plans)
    assert problems(plans, BIG) == [], shown
    assert seeks(plans[0], "spacecraft"), shown


async def test_a_deep_page_by_name_seeks_the_name_index(
    scale_reader: AsyncEngine, backend: str
) -> None:
    """PostgreSQL seeks `(name, id) > (?, ?)`; SQLite, which would seek the name alone, the
    cursor's name past its id and then the names past it, and reads the page's rows by id."""
    case = next(c for c in CASES if c.name == "NAME")
    async with scale_reader.connect() as conn:
        cursor, _ = await deep_cursor(conn, case, 0.9)
    _, plans = await _run(scale_reader, case.query(), {"first": 20, "after": cursor}, "resolvers")
    [plan] = plans
    if backend == "sqlite":
        lines = [line.strip() for line in plan.text().splitlines()]
        assert [line for line in lines if line.startswith(("SEARCH", "SCAN spacecraft"))] == [
            "SEARCH spacecraft USING COVERING INDEX ix_spacecraft_name (name=? AND id>?)",
            "SEARCH spacecraft USING COVERING INDEX ix_spacecraft_name (name>?)",
            "SEARCH spacecraft USING INTEGER PRIMARY KEY (rowid=?)",
        ]
    else:
        lines = plan.text().splitlines()
        assert [line.strip() for line in lines[:2]] == [
            "Limit",
            "Index Scan using ix_spacecraft_name on spacecraft",
        ]
        assert lines[2].strip().startswith("Index Cond: (ROW(name, id) > ROW(")


async def test_a_sort_of_a_whole_table_is_named(scale_reader: AsyncEngine, backend: str) -> None:
    statement = Statement("SELECT id FROM spacecraft ORDER BY description LIMIT 5", ())
    plan = await explain(scale_reader, statement)
    expected = ["statement 1: sort of spacecraft rows"]
    if backend == "postgresql":
        expected = [*expected, "statement 1: full scan of spacecraft"]
    assert problems([plan], BIG) == expected
    assert seeks(plan, "spacecraft") == []
