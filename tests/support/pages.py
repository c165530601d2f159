"""Cursors for deep pages: the cursor of the row at a given depth of an ordering.

Walking 900,000 rows page by page to reach a deep page would take the time the test or benchmark
means to measure; the cursor names the row before the page, so it is read from the table itself
with the connection's own ordering and encoding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from db.read import ordering
from db.tables import ENTITY_TABLES
from gateway.resolvers import cursors


async def cursor_at(
    conn: AsyncConnection,
    entity: str,
    type_name: str,
    requested: list[tuple[str, bool]],
    depth: int,
    where: sa.ColumnElement[bool] | None = None,
) -> str:
    """The cursor of the `depth`-th row (1-based) of `entity` in the order `requested`
    (`[("name", True)]`: by name descending; `[]`: by id) among the rows `where` keeps; a page
    `after` it starts at row `depth + 1`."""
    keys = ordering.order_keys(entity, requested)
    table = ENTITY_TABLES[entity]
    statement = (
        sa.select(*[table.c[k.column] for k in keys])
        .order_by(*ordering.order_by(entity, keys))
        .offset(depth - 1)
        .limit(1)
    )
    if where is not None:
        statement = statement.where(where)
    row = (await conn.execute(statement)).mappings().one()
    values: list[Any] = ordering.key_values(keys, dict(row))
    return cursors.encode(type_name, ordering.signature(keys), values)


async def count(conn: AsyncConnection, entity: str, where: sa.ColumnElement[bool] | None) -> int:
    """The number of rows of `entity` that `where` keeps."""
    statement = sa.select(sa.func.count()).select_from(ENTITY_TABLES[entity])
    if where is not None:
        statement = statement.where(where)
    return int((await conn.execute(statement)).scalar_one())


def _status(name: str) -> sa.ColumnElement[bool]:
    status = ENTITY_TABLES["spacecraft_status"]
    spacecraft = ENTITY_TABLES["spacecraft"]
    return spacecraft.c.status_id.in_(sa.select(status.c.id).where(status.c.name == name))


@dataclass(frozen=True)
class DeepCase:
    """A page of spacecraft, asked for at the start and after the row at a depth.

    `order` and `where` say in SQL what the query's orderBy and filter say in GraphQL, to find
    the cursor of a deep row.
    """

    name: str
    arguments: str
    order: list[tuple[str, bool]]
    where: Callable[[], sa.ColumnElement[bool]] | None = None
    selection: str = "ll2Id name"

    def query(self) -> str:
        arguments = f"first: $first, after: $after{', ' if self.arguments else ''}{self.arguments}"
        return (
            "query($first: Int, $after: String) { allSpacecraft("
            f"{arguments}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {self.selection} }} }} }}"
        )


_STATUS = 'filter: {{status: {{name: {{eq: "{}"}}}}}}'
CASES = [
    DeepCase("by id (default)", "", []),
    DeepCase("NAME", "orderBy: [{field: NAME}]", [("name", False)]),
    DeepCase("NAME DESC", "orderBy: [{field: NAME, direction: DESC}]", [("name", True)]),
    DeepCase(
        "status Active, by name",
        _STATUS.format("Active") + ", orderBy: [{field: NAME}]",
        [("name", False)],
        lambda: _status("Active"),
    ),
    DeepCase(
        "not Single Use, by name desc",
        'filter: {NOT: {status: {name: {eq: "Single Use"}}}}, '
        "orderBy: [{field: NAME, direction: DESC}]",
        [("name", True)],
        lambda: sa.not_(_status("Single Use")),
    ),
    DeepCase(
        "configuration 1, by name",
        "filter: {spacecraftConfig: {ll2Id: {eq: 1}}}, orderBy: [{field: NAME}]",
        [("name", False)],
        lambda: ENTITY_TABLES["spacecraft"].c.spacecraft_config_id == 1,
    ),
    DeepCase(
        "each with its first 5 flights",
        "",
        [],
        selection="ll2Id name flights(first: 5) { nodes { ll2Id duration } }",
    ),
    DeepCase(
        "TIME_IN_SPACE",
        "orderBy: [{field: TIME_IN_SPACE}]",
        [("time_in_space", False)],
    ),
    DeepCase(
        "TIME_IN_SPACE DESC",
        "orderBy: [{field: TIME_IN_SPACE, direction: DESC}]",
        [("time_in_space", True)],
    ),
]


async def deep_cursor(conn: AsyncConnection, case: DeepCase, fraction: float) -> tuple[str, int]:
    """(cursor, depth): the cursor of the row `fraction` of the way into the case's rows."""
    where = case.where() if case.where else None
    depth = max(1, int(await count(conn, "spacecraft", where) * fraction))
    return await cursor_at(conn, "spacecraft", "Spacecraft", case.order, depth, where), depth
