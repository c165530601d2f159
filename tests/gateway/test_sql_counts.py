"""The number of SQL statements follows the shape of a query, never its number of nodes.

Each kind of object appears at one level of these queries, so no level can be served from the
cache of another and the expected count is exact: one statement per level.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import load_graph
from tests.support.graphql import execute

FOUR_LEVELS = """query($n: Int, $ids: [Int!]) { allSpacecraft(first: $n, filter: {ll2Id: {in: $ids}}) { nodes {
  name image { imageUrl license { name } }
  spacecraftConfig { name family { name manufacturer { name abbrev } } }
} } }"""

FLIGHTS = """query($n: Int, $ids: [Int!]) { allSpacecraft(first: $n, filter: {ll2Id: {in: $ids}}) { nodes {
  name
  flights(first: 5) { totalCount nodes {
    ll2Id duration
    launch { name net }
    launchCrew { role { role } astronaut { name } }
  } }
} } }"""


def _levels(value: Any, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """The paths (by field name) that hold at least one object in a result."""
    found: set[tuple[str, ...]] = set()
    if isinstance(value, list):
        for item in value:
            found |= _levels(item, path)
    elif isinstance(value, dict):
        found.add(path)
        for key, item in value.items():
            found |= _levels(item, (*path, key))
    return found


async def _run(
    engine: AsyncEngine, query: str, n: int, ids: list[int]
) -> tuple[int, int, set[tuple[str, ...]]]:
    result = await execute(engine, query, {"n": n, "ids": ids}, debug=True)
    assert result.errors is None, result.errors
    assert result.extensions is not None and result.data is not None
    nodes = result.data["allSpacecraft"]["nodes"]
    return result.extensions["sql"]["statements"], len(nodes), _levels(nodes[:10])


async def _candidates(engine: AsyncEngine) -> tuple[list[int], list[int]]:
    """Spacecraft whose every level is filled: an image, a family with a manufacturer; and
    spacecraft with a crewed flight among their first five."""
    async with engine.connect() as conn:
        graph = await load_graph(conn)
    rows, links = graph.rows, graph.links
    families = links[("spacecraft_configuration", "family")]
    full = [
        s["id"]
        for s in rows["spacecraft"].values()
        if s["image_id"] is not None
        and any(
            rows["spacecraft_family"][f]["manufacturer_id"] is not None
            for f in families.get(s["spacecraft_config_id"], [])
        )
    ]
    flights_of: dict[int, list[int]] = {}
    for f in sorted(rows["spacecraft_flight"]):
        flights_of.setdefault(rows["spacecraft_flight"][f]["spacecraft_id"], []).append(f)
    crewed = set(links[("spacecraft_flight", "launch_crew")])
    with_crews = [s for s, fs in sorted(flights_of.items()) if any(f in crewed for f in fs[:5])]
    return sorted(full)[:100], with_crews[:100]


@pytest.mark.parametrize(
    ("query", "which", "expected"),
    [
        # spacecraft page; images; configurations; licenses; family links; manufacturers
        pytest.param(FOUR_LEVELS, 0, 6, id="four-levels-with-images"),
        # spacecraft page; flight pages (one window query); their counts; launches; crew links;
        # roles; astronauts
        pytest.param(FLIGHTS, 1, 7, id="spacecraft-with-first-five-flights"),
    ],
)
async def test_same_statement_count_at_10_and_100_nodes(
    synthetic_reader: AsyncEngine, query: str, which: int, expected: int
) -> None:
    ids = (await _candidates(synthetic_reader))[which]
    assert len(ids) == 100
    at_10, nodes_10, levels_10 = await _run(synthetic_reader, query, 10, ids)
    at_100, nodes_100, levels_100 = await _run(synthetic_reader, query, 100, ids)
    assert (nodes_10, nodes_100) == (10, 100)
    assert levels_10 == levels_100, "every level must hold objects at both sizes"
    assert (at_10, at_100) == (expected, expected)
