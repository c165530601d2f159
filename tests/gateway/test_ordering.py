"""Orderings: LL2's relative order where keys differ, nulls placement, several keys, durations
by length of time, and the id that makes every order total."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.dataset import bundled_files
from db.ll2.values import parse_duration
from tests.support.graphql import data


def _sample_pages() -> list[Any]:
    pages = []
    for path in bundled_files():
        text = path.read_text()
        request = re.search(r"^GET (\S+)", text, re.MULTILINE)
        ordering = re.search(r"ordering=(-?)(\w+)", request.group(1)) if request else None
        if ordering is None:
            continue
        from db.ingest.sources import parse_text

        results = parse_text(path.name, text).payload["results"]
        pages.append(
            pytest.param(results, ordering.group(2), ordering.group(1) == "-", id=path.name)
        )
    return pages


def _key(item: dict[str, Any], field: str) -> Any:
    value = item[field]
    return parse_duration(value) if field.startswith("time_") and value is not None else value


@pytest.mark.parametrize(("results", "field", "descending"), _sample_pages())
async def test_sample_pages_come_back_in_ll2s_relative_order(
    reader: AsyncEngine, results: list[dict[str, Any]], field: str, descending: bool
) -> None:
    ids = [r["id"] for r in results]
    direction = "DESC" if descending else "ASC"
    query = (
        "query($ids: [Int!]) { allSpacecraft(first: 100, filter: {ll2Id: {in: $ids}}, "
        f"orderBy: [{{field: {field.upper()}, direction: {direction}}}]) {{ nodes {{ ll2Id }} }} }}"
    )
    got = [n["ll2Id"] for n in (await data(reader, query, {"ids": ids}))["allSpacecraft"]["nodes"]]
    assert sorted(got) == sorted(ids)
    position = {ident: i for i, ident in enumerate(got)}
    keys = {r["id"]: _key(r, field) for r in results}
    for a in ids:
        for b in ids:
            if ids.index(a) < ids.index(b) and keys[a] != keys[b]:
                assert position[a] < position[b], (a, b, keys[a], keys[b])
    # ties are broken by the id, in the direction of the last key
    for a, b in itertools.pairwise(got):
        if keys[a] == keys[b]:
            assert (a > b) if descending else (a < b)


async def _order(engine: AsyncEngine, order_by: str, fields: str = "ll2Id") -> list[Any]:
    query = f"{{ allSpacecraft(first: 100, orderBy: {order_by}) {{ nodes {{ {fields} }} }} }}"
    return (await data(engine, query))["allSpacecraft"]["nodes"]


async def test_durations_order_by_length_of_time_not_text(unicode_reader: AsyncEngine) -> None:
    nodes = await _order(unicode_reader, "[{field: TIME_IN_SPACE}]", "ll2Id timeInSpace")
    lengths = [n["timeInSpace"] for n in nodes]
    # P99D is shorter than P100D, although "P99D" > "P100D" as text
    assert lengths.index("P99D") < lengths.index("P100D")
    known = [parse_duration(t) for t in lengths if t is not None]
    assert known == sorted(known)


async def test_nulls_come_last_ascending_and_first_descending(unicode_reader: AsyncEngine) -> None:
    ascending = await _order(unicode_reader, "[{field: TIME_IN_SPACE}]", "ll2Id timeInSpace")
    descending = await _order(
        unicode_reader, "[{field: TIME_IN_SPACE, direction: DESC}]", "ll2Id timeInSpace"
    )
    assert ascending[-1] == {"ll2Id": 9001, "timeInSpace": None}
    assert descending[0] == {"ll2Id": 9001, "timeInSpace": None}
    rest = [(-parse_duration(n["timeInSpace"]), n["ll2Id"]) for n in descending[1:]]
    assert rest == sorted(rest), "non-null durations longest first, ties by id"


async def test_several_keys_in_order_then_the_id(reader: AsyncEngine) -> None:
    nodes = await _order(
        reader,
        "[{field: FLIGHTS_COUNT, direction: DESC}, {field: NAME}]",
        "ll2Id name flightsCount",
    )
    keys = [(-n["flightsCount"], n["name"], n["ll2Id"]) for n in nodes]
    assert keys == sorted(keys)
    assert [n["name"] for n in nodes[:3]] == [
        "Space Shuttle Columbia",
        "Space Shuttle Endeavour",
        "Cargo Dragon C211",
    ]


async def test_ordering_by_id_descending(reader: AsyncEngine) -> None:
    nodes = await _order(reader, "[{field: ID, direction: DESC}]")
    ids = [n["ll2Id"] for n in nodes]
    assert ids == sorted(ids, reverse=True) and len(ids) == 31


@pytest.mark.parametrize(
    ("connection", "order_by", "field"),
    [
        ("allSpacecraftConfigurations", "[{field: NAME}]", "name"),
        ("allSpacecraftFamilies", "[{field: NAME, direction: DESC}]", "name"),
        ("allAgencies", "[{field: ABBREV}]", "abbrev"),
        ("allAstronauts", "[{field: TIME_IN_SPACE}]", "timeInSpace"),
        ("allLaunches", "[{field: NET}]", "net"),
        ("allSpacecraftFlights", "[{field: DURATION}]", "duration"),
    ],
)
async def test_every_connection_orders(
    reader: AsyncEngine, connection: str, order_by: str, field: str
) -> None:
    query = f"{{ {connection}(first: 100, orderBy: {order_by}) {{ nodes {{ {field} }} }} }}"
    values = [n[field] for n in (await data(reader, query))[connection]["nodes"]]
    expected = sorted(values, reverse="DESC" in order_by)
    assert values == expected and values


def _after_sql(
    keys: list[tuple[str, bool]], values: list[Any], *, split_ties: bool = False
) -> list[str]:
    from db.read import ordering

    segments = ordering.segments(
        "spacecraft", ordering.order_keys("spacecraft", keys), values, split_ties=split_ties
    )
    return [
        " ".join(str(s.compile(compile_kwargs={"literal_binds": True})).split()) for s in segments
    ]


def test_keyset_conditions_are_index_ranges_where_the_order_allows() -> None:
    # Never-null keys in one direction, and descending nullable keys from a row whose values
    # are set: one row-value comparison, which PostgreSQL answers with an index range.
    assert _after_sql([("name", False)], ["Dragon", 7]) == [
        "(spacecraft.name, spacecraft.id) > ('Dragon', 7)"
    ]
    assert _after_sql([("flights_count", True)], [3, 7]) == [
        "(spacecraft.flights_count, spacecraft.id) < (3, 7)"
    ]
    assert _after_sql([("id", True)], [7]) == ["spacecraft.id < 7"]
    # Ascending, the nulls come last: the range, then the nulls, each read from its own start.
    assert _after_sql([("flights_count", False)], [3, 7]) == [
        "(spacecraft.flights_count, spacecraft.id) > (3, 7)",
        "spacecraft.flights_count IS NULL",
    ]
    # From a row in the nulls, ascending: the rest of the nulls, and nothing after them.
    assert _after_sql([("flights_count", False)], [None, 7]) == [
        "spacecraft.flights_count IS NULL AND spacecraft.id > 7"
    ]
    # From a row in the nulls (first, descending): the rest of the nulls, then every value.
    assert _after_sql([("flights_count", True)], [None, 7]) == [
        "spacecraft.flights_count IS NULL AND spacecraft.id < 7",
        "spacecraft.flights_count IS NOT NULL",
    ]
    # Several keys in one direction, never null or descending from set values: one row-value
    # comparison (no index holds the keys and the id together).
    assert _after_sql([("flights_count", True), ("name", True)], [3, "Dragon", 7]) == [
        "(spacecraft.flights_count, spacecraft.name, spacecraft.id) < (3, 'Dragon', 7)"
    ]


def test_for_sqlite_a_range_is_the_cursors_ties_then_the_values_past_it() -> None:
    # SQLite seeks `(name, id) > (?, ?)` on the name alone and walks the cursor's ties.
    assert _after_sql([("name", False)], ["Dragon", 7], split_ties=True) == [
        "spacecraft.name = 'Dragon' AND spacecraft.id > 7",
        "spacecraft.name > 'Dragon'",
    ]
    assert _after_sql([("flights_count", True)], [3, 7], split_ties=True) == [
        "spacecraft.flights_count = 3 AND spacecraft.id < 7",
        "spacecraft.flights_count < 3",
    ]
    assert _after_sql([("flights_count", False)], [3, 7], split_ties=True) == [
        "spacecraft.flights_count = 3 AND spacecraft.id > 7",
        "spacecraft.flights_count > 3",
        "spacecraft.flights_count IS NULL",
    ]
    # From a null, and over several keys, as on PostgreSQL.
    assert _after_sql([("flights_count", True)], [None, 7], split_ties=True) == _after_sql(
        [("flights_count", True)], [None, 7]
    )
    assert _after_sql(
        [("flights_count", True), ("name", True)], [3, "Dragon", 7], split_ties=True
    ) == ["(spacecraft.flights_count, spacecraft.name, spacecraft.id) < (3, 'Dragon', 7)"]


def test_keyset_conditions_over_mixed_directions_are_one_condition() -> None:
    # Every way a row can come later, in one condition (no index holds these keys and the id).
    assert _after_sql([("time_in_space", False), ("time_docked", True)], [3, 4, 7]) == [
        "spacecraft.time_in_space > 3 OR spacecraft.time_in_space IS NULL"
        " OR spacecraft.time_in_space = 3 AND spacecraft.time_docked < 4"
        " OR spacecraft.time_in_space = 3 AND spacecraft.time_docked = 4 AND spacecraft.id < 7"
    ]
