"""Filters: one case per operator and per relation path, each checked against the same rows
filtered in plain Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import Graph, load_graph
from db.ll2.values import parse_duration
from tests.support.graphql import data, errors

Row = dict[str, Any]

CONNECTIONS = {
    "spacecraft": "allSpacecraft",
    "spacecraft_configuration": "allSpacecraftConfigurations",
    "spacecraft_family": "allSpacecraftFamilies",
    "agency": "allAgencies",
    "spacecraft_flight": "allSpacecraftFlights",
    "astronaut": "allAstronauts",
    "launch": "allLaunches",
}


class Rows:
    """Python access to the same rows, following edges the way the filters do."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def get(self, entity: str, ident: Any) -> Row:
        return self.graph.rows[entity][ident]

    def ref(self, entity: str, row: Row, key: str, target: str) -> Row | None:
        ident = row.get(f"{key}_id")
        return None if ident is None else self.get(target, ident)

    def many(self, entity: str, row: Row, key: str, target: str) -> list[Row]:
        ids = self.graph.links.get((entity, key), {}).get(row["id"], [])
        return [self.get(target, i) for i in ids]


def _config(r: Rows, s: Row) -> Row:
    config = r.ref("spacecraft", s, "spacecraft_config", "spacecraft_configuration")
    assert config is not None
    return config


def _families(r: Rows, c: Row) -> list[Row]:
    return r.many("spacecraft_configuration", c, "family", "spacecraft_family")


def _pad_country(r: Rows, f: Row) -> str | None:
    launch = r.ref("spacecraft_flight", f, "launch", "launch")
    pad = launch and r.ref("launch", launch, "pad", "pad")
    country = pad and r.ref("pad", pad, "country", "country")
    return country["name"] if country else None


def _is(value: Any, op: str, other: Any) -> bool:
    """SQL's comparison: false when the value is null."""
    if value is None:
        return False
    return {">": value > other, ">=": value >= other, "<": value < other, "<=": value <= other}[op]


def _d(text: str) -> int:
    return parse_duration(text)


CASES: list[Any] = [
    # text operators
    ("spacecraft", {"name": {"eq": "Soyuz 37"}}, lambda r, s: s["name"] == "Soyuz 37"),
    (
        "spacecraft",
        {"name": {"in": ["Soyuz 37", "Tianzhou-2", "nope"]}},
        lambda r, s: s["name"] in ("Soyuz 37", "Tianzhou-2"),
    ),
    (
        "spacecraft",
        {"name": {"contains": "soyuz tm"}},
        lambda r, s: "soyuz tm" in s["name"].lower(),
    ),
    (
        "spacecraft",
        {"name": {"startsWith": "PROGRESS M"}},
        lambda r, s: s["name"].lower().startswith("progress m"),
    ),
    ("spacecraft", {"serialNumber": {"isNull": True}}, lambda r, s: s["serial_number"] is None),
    (
        "spacecraft",
        {"serialNumber": {"isNull": False}},
        lambda r, s: s["serial_number"] is not None,
    ),
    # booleans
    ("spacecraft", {"inSpace": {"eq": False}}, lambda r, s: s["in_space"] is False),
    ("spacecraft", {"isPlaceholder": {"eq": True}}, lambda r, s: s["is_placeholder"] is True),
    # integers
    ("spacecraft", {"flightsCount": {"eq": 1}}, lambda r, s: s["flights_count"] == 1),
    ("spacecraft", {"flightsCount": {"in": [3, 25]}}, lambda r, s: s["flights_count"] in (3, 25)),
    ("spacecraft", {"flightsCount": {"gt": 1}}, lambda r, s: _is(s["flights_count"], ">", 1)),
    ("spacecraft", {"flightsCount": {"gte": 3}}, lambda r, s: _is(s["flights_count"], ">=", 3)),
    ("spacecraft", {"flightsCount": {"lt": 3}}, lambda r, s: _is(s["flights_count"], "<", 3)),
    ("spacecraft", {"flightsCount": {"lte": 3}}, lambda r, s: _is(s["flights_count"], "<=", 3)),
    ("spacecraft", {"ll2Id": {"in": [36, 40, 467]}}, lambda r, s: s["id"] in (36, 40, 467)),
    ("spacecraft", {"ll2Id": {"gte": 500}}, lambda r, s: s["id"] >= 500),
    # durations, by length of time (P99D is shorter than P100D though it sorts after as text)
    (
        "spacecraft",
        {"timeInSpace": {"gt": "P200D"}},
        lambda r, s: s["time_in_space"] is not None and s["time_in_space"] > _d("P200D"),
    ),
    (
        "spacecraft",
        {"timeInSpace": {"lte": "PT18M"}},
        lambda r, s: s["time_in_space"] is not None and s["time_in_space"] <= _d("PT18M"),
    ),
    (
        "spacecraft",
        {"fastestTurnaround": {"isNull": False}},
        lambda r, s: s["fastest_turnaround"] is not None,
    ),
    ("spacecraft", {"timeDocked": {"eq": "P0D"}}, lambda r, s: s["time_docked"] == 0),
    # dates, date-times, floats, UUIDs
    (
        "spacecraft_configuration",
        {"maidenFlight": {"lt": "1961-01-01"}},
        lambda r, c: c["maiden_flight"] is not None and c["maiden_flight"] < dt.date(1961, 1, 1),
    ),
    (
        "spacecraft_configuration",
        {"height": {"gt": 4.0}},
        lambda r, c: c["height"] is not None and c["height"] > 4.0,
    ),
    (
        "spacecraft_flight",
        {"missionEnd": {"gte": "1963-06-19T11:06:00Z"}},
        lambda r, f: (
            f["mission_end"] is not None and f["mission_end"] >= dt.datetime(1963, 6, 19, 11, 6)
        ),
    ),
    (
        "astronaut",
        {"dateOfBirth": {"lt": "1935-01-01"}},
        lambda r, a: a["date_of_birth"] is not None and a["date_of_birth"] < dt.date(1935, 1, 1),
    ),
    (
        "launch",
        {"ll2Id": {"eq": "0d0acc45-bcf8-4d06-8093-be999f9233ba"}},
        lambda r, x: x["id"] == "0d0acc45-bcf8-4d06-8093-be999f9233ba",
    ),
    # relations
    (
        "spacecraft",
        {"status": {"name": {"eq": "Active"}}},
        lambda r, s: r.get("spacecraft_status", s["status_id"])["name"] == "Active",
    ),
    (
        "spacecraft",
        {"spacecraftConfig": {"ll2Id": {"eq": 2}}},
        lambda r, s: s["spacecraft_config_id"] == 2,
    ),
    (
        "spacecraft",
        {"spacecraftConfig": {"agency": {"abbrev": {"eq": "RFSA"}}}},
        lambda r, s: r.get("agency", _config(r, s)["agency_id"])["abbrev"] == "RFSA",
    ),
    (
        "spacecraft",
        {"spacecraftConfig": {"family": {"name": {"eq": "Dragon"}}}},
        lambda r, s: any(f["name"] == "Dragon" for f in _families(r, _config(r, s))),
    ),
    (
        "spacecraft_configuration",
        {"family": {"parent": {"name": {"eq": "Dragon"}}}},
        lambda r, c: any(
            f["parent_id"] is not None
            and r.get("spacecraft_family", f["parent_id"])["name"] == "Dragon"
            for f in _families(r, c)
        ),
    ),
    (
        "spacecraft_configuration",
        {"agency": {"ll2Id": {"eq": 63}}, "inUse": {"eq": False}},
        lambda r, c: c["agency_id"] == 63 and c["in_use"] is False,
    ),
    (
        "spacecraft_family",
        {"manufacturer": {"abbrev": {"eq": "SpX"}}},
        lambda r, f: (
            f["manufacturer_id"] is not None
            and r.get("agency", f["manufacturer_id"])["abbrev"] == "SpX"
        ),
    ),
    (
        "spacecraft_flight",
        {"launch": {"pad": {"country": {"name": {"eq": "Kazakhstan"}}}}},
        lambda r, f: _pad_country(r, f) == "Kazakhstan",
    ),
    (
        "spacecraft_flight",
        {"spacecraft": {"ll2Id": {"eq": 231}}},
        lambda r, f: f["spacecraft_id"] == 231,
    ),
    (
        "agency",
        {"countryCode": {"eq": "RUS"}},
        lambda r, a: any(
            c["alpha_3_code"] == "RUS" for c in r.many("agency", a, "country", "country")
        ),
    ),
    (
        "agency",
        {"countryCode": {"in": ["RU", "CN"]}},
        lambda r, a: any(
            c["alpha_2_code"] in ("RU", "CN") for c in r.many("agency", a, "country", "country")
        ),
    ),
    (
        "agency",
        {"type": {"name": {"eq": "Government"}}},
        lambda r, a: r.get("agency_type", a["type_id"])["name"] == "Government",
    ),
    ("agency", {"featured": {"eq": True}}, lambda r, a: a["featured"] is True),
    (
        "agency",
        {"foundingYear": {"gte": 1990}},
        lambda r, a: a["founding_year"] is not None and a["founding_year"] >= 1990,
    ),
    ("agency", {"parent": {"isNull": True}}, lambda r, a: a["parent"] is None),
    ("agency", {"abbrev": {"eq": "CNSA"}}, lambda r, a: a["abbrev"] == "CNSA"),
    (
        "astronaut",
        {"nationality": {"name": {"eq": "Russia"}}},
        lambda r, a: any(
            c["name"] == "Russia" for c in r.many("astronaut", a, "nationality", "country")
        ),
    ),
    # AND / OR / NOT
    (
        "spacecraft",
        {"AND": [{"flightsCount": {"eq": 1}}, {"name": {"startsWith": "soyuz"}}]},
        lambda r, s: s["flights_count"] == 1 and s["name"].lower().startswith("soyuz"),
    ),
    (
        "spacecraft",
        {"OR": [{"name": {"eq": "Soyuz 37"}}, {"flightsCount": {"gt": 20}}]},
        lambda r, s: s["name"] == "Soyuz 37" or _is(s["flights_count"], ">", 20),
    ),
    (
        "spacecraft",
        {"NOT": {"status": {"name": {"eq": "Single Use"}}}},
        lambda r, s: r.get("spacecraft_status", s["status_id"])["name"] != "Single Use",
    ),
    (
        "spacecraft",
        {
            "NOT": {
                "OR": [
                    {"inSpace": {"eq": True}},
                    {"spacecraftConfig": {"agency": {"abbrev": {"in": ["RFSA", "CNSA"]}}}},
                ]
            }
        },
        lambda r, s: (
            not (
                s["in_space"]
                or r.get("agency", _config(r, s)["agency_id"])["abbrev"] in ("RFSA", "CNSA")
            )
        ),
    ),
]


def _id(case: Any) -> str:
    entity, filter_value, _ = case
    return f"{entity}:{filter_value}"


@pytest.fixture
async def rows(unicode_reader: AsyncEngine) -> Rows:
    async with unicode_reader.connect() as conn:
        return Rows(await load_graph(conn))


@pytest.mark.parametrize(("entity", "filter_value", "expected"), CASES, ids=[_id(c) for c in CASES])
async def test_filter_matches_the_same_rows_as_python(
    unicode_reader: AsyncEngine,
    rows: Rows,
    entity: str,
    filter_value: dict[str, Any],
    expected: Callable[[Rows, Row], bool],
) -> None:
    connection = CONNECTIONS[entity]
    query = f"query($f: {_filter_type(entity)}) {{ {connection}(first: 100, filter: $f) {{ totalCount nodes {{ ll2Id }} }} }}"
    got = (await data(unicode_reader, query, {"f": filter_value}))[connection]
    want = sorted(i for i, row in rows.graph.rows[entity].items() if expected(rows, row))
    assert want, "a case must match something, or it proves nothing"
    assert [n["ll2Id"] for n in got["nodes"]] == want
    assert got["totalCount"] == len(want)


def _filter_type(entity: str) -> str:
    from db.spec import ENTITIES

    return f"{ENTITIES[entity].type_name}Filter"


async def test_a_filter_that_matches_nothing_gives_an_empty_page(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        '{ allSpacecraft(filter: {name: {eq: "Vostok"}}) { totalCount nodes { name } pageInfo { hasNextPage startCursor } } }',
    )
    assert got == {
        "allSpacecraft": {
            "totalCount": 0,
            "nodes": [],
            "pageInfo": {"hasNextPage": False, "startCursor": None},
        }
    }


async def test_a_bad_filter_value_is_a_graphql_error(reader: AsyncEngine) -> None:
    assert await errors(
        reader, '{ allSpacecraft(filter: {timeInSpace: {gt: "a long time"}}) { totalCount } }'
    ) == [
        {
            "message": "Expected value of type 'Duration', but encountered error "
            "'not an ISO 8601 duration'; found: \"a long time\".",
            "code": None,
        }
    ]
