"""Plans are built once per document and variable shape; each request binds its own values.

A frontend sends the same few documents with new variables every time: the compiled path must
build a document's statement once (counted by `plans_built`), bind every value as a parameter,
and answer each request exactly as the resolvers do.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import isodate
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.caching.documents import parse_document
from gateway.compiled import CompiledCache
from gateway.resolvers import cursors
from gateway.schema import schema
from tests.support.differential import both_paths

LOOKUP = """
query Lookup($id: Int!) {
  spacecraft(ll2Id: $id) { ll2Id name serialNumber spacecraftConfig { name agency { name abbrev } } }
}
"""

DETAIL = """
query Detail($id: Int!) {
  spacecraft(ll2Id: $id) {
    name
    flights(first: 5) {
      totalCount
      nodes { ll2Id duration launch { name net } launchCrew { role { role } astronaut { name } } }
    }
  }
}
"""

PAGE = """
query Page($min: Int, $after: String) {
  allSpacecraft(first: 20, after: $after, filter: {flightsCount: {gte: $min}},
                orderBy: [{field: NAME}]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ll2Id name flightsCount }
  }
}
"""

SEARCHED = """
query Searched($filter: SpacecraftFilter, $search: String, $first: Int, $after: String,
               $order: [SpacecraftOrder!]) {
  allSpacecraft(first: $first, after: $after, filter: $filter, search: $search, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ll2Id name inSpace timeInSpace flightsCount status { name } } }
  }
}
"""


async def _ids(engine: AsyncEngine, table: str) -> list[int]:
    async with engine.connect() as conn:
        rows = await conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY id"))
        return [r[0] for r in rows]


def _cursor(normalised: list[Any]) -> str:
    """A cursor again from what `both_paths` shows of it (version, type, ordering, values)."""
    _, type_name, ordering, values = normalised
    return cursors.encode(type_name, ordering, values)


def _agree(both: tuple[Any, Any] | None) -> Any:
    assert both is not None, "this document must compile"
    compiled, resolved = both
    assert compiled == resolved
    return compiled


async def test_a_lookup_with_200_ids_builds_one_plan_and_answers_as_the_resolvers(
    synthetic_reader: AsyncEngine,
) -> None:
    ids = await _ids(synthetic_reader, "spacecraft")
    plans = CompiledCache(schema)
    drawn = [*random.Random(13).sample(ids, 199), -1]  # and one that is not there
    answers = [
        _agree(await both_paths(synthetic_reader, LOOKUP, {"id": i}, plans=plans)) for i in drawn
    ]
    assert plans.plans_built == 1
    assert [a["spacecraft"]["ll2Id"] if a["spacecraft"] else None for a in answers] == [
        *drawn[:-1],
        None,
    ]


async def test_a_detail_page_with_200_ids_builds_one_plan(synthetic_reader: AsyncEngine) -> None:
    flown = await _ids(synthetic_reader, "spacecraft")
    plans = CompiledCache(schema, root_totals=True)
    for i in random.Random(14).sample(flown, 200):
        compiled = plans.get(DETAIL, parse_document(DETAIL), None, {"id": i}, dialect="sqlite")
        assert compiled is not None
        assert i in compiled.parameters
    assert plans.plans_built == 1
    checked = CompiledCache(schema)
    for i in random.Random(15).sample(flown, 25):
        _agree(await both_paths(synthetic_reader, DETAIL, {"id": i}, plans=checked))
    assert checked.plans_built == 1


async def test_a_filtered_page_walked_by_cursor_builds_a_plan_per_shape(
    synthetic_reader: AsyncEngine,
) -> None:
    plans = CompiledCache(schema)
    for minimum in range(0, 200, 20):
        after = None
        for _ in range(3):
            data = _agree(
                await both_paths(
                    synthetic_reader, PAGE, {"min": minimum, "after": after}, plans=plans
                )
            )
            page = data["allSpacecraft"]
            assert all(n["flightsCount"] >= minimum for n in page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = _cursor(page["pageInfo"]["endCursor"])
    _agree(await both_paths(synthetic_reader, PAGE, {"min": None, "after": None}, plans=plans))
    # Shapes: no cursor or a cursor (two), and then a null bound: no condition at all.
    assert plans.plans_built == 3


def _ops(random_: random.Random, kind: str) -> dict[str, Any]:
    if kind == "int":
        value = random_.randint(0, 12)
        return random_.choice(
            [
                {"eq": value},
                {"gte": value},
                {"lt": value},
                {"in": random_.sample(range(13), random_.randint(0, 4))},
                {"isNull": random_.random() < 0.5},
            ]
        )
    if kind == "duration":
        value = isodate.duration_isoformat(dt.timedelta(days=random_.randint(0, 400)))
        return random_.choice([{"gt": value}, {"lte": value}, {"isNull": random_.random() < 0.5}])
    if kind == "bool":
        return {"eq": random_.random() < 0.5}
    word = random_.choice(["a", "e", "so", "dragon", "X", "ор", "%", "_", ""])
    return random_.choice(
        [{"contains": word}, {"startsWith": word}, {"in": [word, "Soyuz"]}, {"eq": word}]
    )


FIELDS = {
    "flightsCount": "int",
    "missionEndsCount": "int",
    "timeInSpace": "duration",
    "timeDocked": "duration",
    "inSpace": "bool",
    "isPlaceholder": "bool",
    "name": "text",
    "serialNumber": "text",
}


def _filter(random_: random.Random, depth: int = 0) -> dict[str, Any] | None:
    if random_.random() < 0.2:
        return None
    chosen = random_.sample(sorted(FIELDS), random_.randint(1, 2))
    out: dict[str, Any] = {name: _ops(random_, FIELDS[name]) for name in chosen}
    if depth < 1 and random_.random() < 0.3:
        out["OR"] = [f for f in (_filter(random_, depth + 1) for _ in range(2)) if f]
    if depth < 1 and random_.random() < 0.2:
        out["spacecraftConfig"] = {"agency": {"abbrev": _ops(random_, "text")}}
    return out


def _variables(random_: random.Random) -> dict[str, Any]:
    order = random_.choice(
        [
            None,
            [{"field": "NAME"}],
            [{"field": "TIME_IN_SPACE", "direction": "DESC"}],
            [{"field": "FLIGHTS_COUNT"}, {"field": "NAME", "direction": "DESC"}],
        ]
    )
    return {
        "filter": _filter(random_),
        "search": random_.choice([None, "", "soyuz", "a e", "dragon crew"]),
        "first": random_.choice([None, 3, 7]),
        "after": None,
        "order": order,
    }


WORDS = ["a", "e", "so", "dragon", "X", "ор", "%", "_", "", "Soyuz"]


def _revalue(random_: random.Random, value: Any, key: str = "") -> Any:
    """The same variables with new values: nulls, list lengths, Booleans and enums kept."""
    if isinstance(value, dict):
        return {k: _revalue(random_, v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_revalue(random_, v, key) for v in value]
    if isinstance(value, bool) or value is None or key in ("field", "direction", "first"):
        return value
    if isinstance(value, int):
        return random_.randint(0, 12)
    if value.startswith("P"):
        return isodate.duration_isoformat(dt.timedelta(days=random_.randint(0, 400)))
    if key == "search":
        return " ".join(random_.choice([*WORDS[:4], "soyuz"]) for _ in value.split())
    return random_.choice(WORDS)


async def test_one_document_with_many_variable_values_answers_as_the_resolvers(
    unicode_reader: AsyncEngine,
) -> None:
    """The differential test over variables: one document, 25 variable shapes with 4 sets of
    values each, some paged on from their last cursor; a plan per shape, not per value."""
    plans = CompiledCache(schema)
    random_ = random.Random(20261204)
    for _ in range(25):
        shape = _variables(random_)
        for variables in [shape, *(_revalue(random_, shape) for _ in range(3))]:
            data = _agree(await both_paths(unicode_reader, SEARCHED, variables, plans=plans))
            end = data["allSpacecraft"]["pageInfo"]["endCursor"]
            if end is not None:
                paged = {**variables, "after": _cursor(end)}
                _agree(await both_paths(unicode_reader, SEARCHED, paged, plans=plans))
    # Each shape, and a page after a cursor: at most 50 statements for 200 requests.
    assert 0 < plans.plans_built <= 50


async def test_the_resolvers_statements_are_compiled_once_per_shape(
    synthetic_reader: AsyncEngine,
) -> None:
    """The resolver path builds its statements per request, and SQLAlchemy compiles each shape
    once: for a new id its statements are all found compiled (its cache's hits)."""
    from sqlalchemy import event
    from sqlalchemy.engine.default import CACHE_HIT, CACHE_MISS

    from gateway.context import request_context

    seen: list[Any] = []

    def record(*args: Any) -> None:
        context = args[4]
        if context.compiled is not None:  # not the driver's own SQL (BEGIN)
            seen.append(context.cache_hit)

    ids = await _ids(synthetic_reader, "spacecraft")
    event.listen(synthetic_reader.sync_engine, "after_cursor_execute", record)
    first: list[Any] = []
    try:
        for number, i in enumerate(random.Random(16).sample(ids, 40)):
            if number == 1:
                first, seen[:] = list(seen), []
            async with request_context(synthetic_reader) as context:
                result = await schema.execute(
                    DETAIL, variable_values={"id": i}, context_value=context
                )
            assert result.errors is None
    finally:
        event.remove(synthetic_reader.sync_engine, "after_cursor_execute", record)
    assert len(first) >= 3 and set(first) <= {CACHE_HIT, CACHE_MISS}
    assert len(seen) >= 39 * 3 and set(seen) == {CACHE_HIT}
