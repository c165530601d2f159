"""An in-memory slice of the dataset: rows per entity and link lists per edge.

The importer builds one from JSON, `load_graph` reads one from the database, `synth` invents one;
the renderer writes LL2 JSON from any of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from db.tables import ENTITY_TABLES, LINK_TABLES

Row = dict[str, Any]


@dataclass
class Graph:
    rows: dict[str, dict[Any, Row]] = field(default_factory=lambda: defaultdict(dict))
    links: dict[tuple[str, str], dict[Any, list[Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )


async def load_graph(conn: AsyncConnection, entities: Iterable[str] | None = None) -> Graph:
    """Every row of the named entities (all by default) and of their link tables."""
    names = set(entities) if entities is not None else set(ENTITY_TABLES)
    graph = Graph()
    for name in names:
        result = await conn.execute(sa.select(ENTITY_TABLES[name]))
        graph.rows[name] = {row["id"]: dict(row) for row in result.mappings()}
    for (owner, key), table in LINK_TABLES.items():
        if owner not in names:
            continue
        lists: dict[Any, list[Any]] = {}
        result = await conn.execute(
            sa.select(table.c.owner_id, table.c.target_id).order_by(
                table.c.owner_id, table.c.position
            )
        )
        for owner_id, target_id in result:
            lists.setdefault(owner_id, []).append(target_id)
        graph.links[(owner, key)] = lists
    return graph
