"""Every root field and reverse edge, asserted whole on the bundled dataset."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.types.node import global_id
from tests.support.graphql import data, errors, execute

LAUNCH = "0d0acc45-bcf8-4d06-8093-be999f9233ba"


async def test_spacecraft_by_ll2_id(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        "{ spacecraft(ll2Id: 467) { id ll2Id name serialNumber inSpace timeInSpace "
        "timeDocked flightsCount status { ll2Id name } spacecraftConfig { ll2Id name } } }",
    )
    assert got == {
        "spacecraft": {
            "id": global_id("Spacecraft", 467),
            "ll2Id": 467,
            "name": "Shenzhou 13",
            "serialNumber": "13",
            "inSpace": False,
            "timeInSpace": "P182DT9H32M41S",
            "timeDocked": "P181DT17H55M21S",
            "flightsCount": 1,
            "status": {"ll2Id": 4, "name": "Single Use"},
            "spacecraftConfig": {"ll2Id": 2, "name": "Shenzhou"},
        }
    }


@pytest.mark.parametrize(
    "field",
    [
        "spacecraft",
        "spacecraftConfiguration",
        "spacecraftFamily",
        "agency",
        "spacecraftFlight",
        "astronaut",
    ],
)
async def test_unknown_ids_give_null(reader: AsyncEngine, field: str) -> None:
    assert await data(reader, f"{{ {field}(ll2Id: 999999) {{ ll2Id }} }}") == {field: None}


async def test_configuration_with_its_spacecraft(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        "{ spacecraftConfiguration(ll2Id: 15) { name maidenFlight height humanRated "
        "type { name } agency { abbrev } family { name } spacecraft(orderBy: [{field: NAME}]) "
        "{ totalCount nodes { name } } } }",
    )
    assert got == {
        "spacecraftConfiguration": {
            "name": "Vostok",
            "maidenFlight": "1960-05-15",
            "height": 4.55,
            "humanRated": True,
            "type": {"name": "Capsule"},
            "agency": {"abbrev": "RFSA"},
            "family": [],
            "spacecraft": {
                "totalCount": 2,
                "nodes": [{"name": "Vostok-3KA No.7"}, {"name": "Vostok-3KA No.8"}],
            },
        }
    }


async def test_family_with_parent_children_and_configurations(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        "{ dragon: spacecraftFamily(ll2Id: 6) { name parent { name } children { nodes { name } } "
        "configurations { nodes { name } } manufacturer { abbrev manufacturedFamilies { nodes { name } } } } "
        "dragon2: spacecraftFamily(ll2Id: 7) { parent { name } children { totalCount } } }",
    )
    assert got == {
        "dragon": {
            "name": "Dragon",
            "parent": None,
            "children": {"nodes": [{"name": "Dragon 2"}]},
            "configurations": {"nodes": [{"name": "Cargo Dragon 2"}]},
            "manufacturer": {
                "abbrev": "SpX",
                "manufacturedFamilies": {"nodes": [{"name": "Dragon"}, {"name": "Dragon 2"}]},
            },
        },
        "dragon2": {"parent": {"name": "Dragon"}, "children": {"totalCount": 0}},
    }


async def test_agency_with_its_configurations(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        "{ agency(ll2Id: 63) { name abbrev featured foundingYear administrator type { name } "
        "country { name alpha3Code } spacecraftList { name } spacecraftConfigurations(first: 3, "
        "orderBy: [{field: NAME}]) { totalCount nodes { name } } } }",
    )
    assert got == {
        "agency": {
            "name": "Russian Federal Space Agency (ROSCOSMOS)",
            "abbrev": "RFSA",
            "featured": True,
            "foundingYear": 1992,
            "administrator": "Administrator: Yuri Borisov",
            "type": {"name": "Government"},
            "country": [{"name": "Russia", "alpha3Code": "RUS"}],
            "spacecraftList": [
                {"name": n}
                for n in (
                    "Soyuz",
                    "Progress 7K-TG",
                    "Vostok",
                    "Voskhod",
                    "Progress-MS",
                    "Progress-M",
                    "Soyuz TMA",
                    "Soyuz TM",
                )
            ],
            "spacecraftConfigurations": {
                "totalCount": 8,
                "nodes": [
                    {"name": "Progress 7K-TG"},
                    {"name": "Progress-M"},
                    {"name": "Progress-MS"},
                ],
            },
        }
    }


async def test_flight_with_launch_landing_and_crews(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        "{ spacecraftFlight(ll2Id: 358) { destination missionEnd duration turnAroundTime "
        "spacecraft { name flights { nodes { ll2Id } } } launch { ll2Id net status { abbrev } "
        "pad { name country { name } location { name } } rocket { configuration { fullName families { name } } } } "
        "landing { success type { abbrev } landingLocation { name location { name } celestialBody { name } } } "
        "launchCrew { role { role } astronaut { name } } onboardCrew { ll2Id } "
        "landingCrew { ll2Id astronaut { name } } dockingEvents { ll2Id } } }",
    )
    assert got == {
        "spacecraftFlight": {
            "destination": "Low Earth Orbit",
            "missionEnd": "1963-06-19T11:06:00Z",
            "duration": "P4DT23H7M2S",
            "turnAroundTime": None,
            "spacecraft": {"name": "Vostok-3KA No.7", "flights": {"nodes": [{"ll2Id": 358}]}},
            "launch": {
                "ll2Id": LAUNCH,
                "net": "1963-06-14T11:58:58Z",
                "status": {"abbrev": "Success"},
                "pad": {
                    "name": "1/5",
                    "country": {"name": "Kazakhstan"},
                    "location": {"name": "Baikonur Cosmodrome, Republic of Kazakhstan"},
                },
                "rocket": {
                    "configuration": {"fullName": "Vostok-K", "families": [{"name": "R-7"}]}
                },
            },
            "landing": {
                "success": True,
                "type": {"abbrev": "PCL"},
                "landingLocation": {
                    "name": "Kazakhstan",
                    "location": None,
                    "celestialBody": {"name": "Earth"},
                },
            },
            "launchCrew": [{"role": {"role": "Pilot"}, "astronaut": {"name": "Valery Bykovsky"}}],
            "onboardCrew": [],
            "landingCrew": [{"ll2Id": 779, "astronaut": {"name": "Valery Bykovsky"}}],
            "dockingEvents": [],
        }
    }


async def test_astronaut_and_launch_reverse_edges(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        f"{{ astronaut(ll2Id: 84) {{ name age dateOfBirth evaTime nationality {{ name }} "
        f'flights {{ totalCount nodes {{ ll2Id }} }} }} launch(ll2Id: "{LAUNCH}") {{ name '
        f"spacecraftFlights {{ totalCount nodes {{ ll2Id }} }} }} }}",
    )
    assert got == {
        "astronaut": {
            "name": "Valery Bykovsky",
            "age": 84,
            "dateOfBirth": "1934-08-02",
            "evaTime": "P0D",
            "nationality": [{"name": "Russia"}],
            "flights": {"totalCount": 1, "nodes": [{"ll2Id": 358}]},
        },
        "launch": {
            "name": "Vostok-K | Vostok 5",
            "spacecraftFlights": {"totalCount": 1, "nodes": [{"ll2Id": 358}]},
        },
    }


async def test_launch_with_an_unknown_uuid_is_null_and_a_bad_one_an_error(
    reader: AsyncEngine,
) -> None:
    assert await data(
        reader, '{ launch(ll2Id: "00000000-0000-0000-0000-000000000000") { name } }'
    ) == {"launch": None}
    assert await errors(reader, '{ launch(ll2Id: "nope") { name } }') == [
        {
            "message": "Expected value of type 'UUID', but encountered error 'not a UUID'; found: \"nope\".",
            "code": None,
        }
    ]


async def test_every_root_connection_counts_the_bundled_dataset(reader: AsyncEngine) -> None:
    got = await data(
        reader,
        "{ allSpacecraft { totalCount } allSpacecraftConfigurations { totalCount } "
        "allSpacecraftFamilies { totalCount } allAgencies { totalCount } "
        "allSpacecraftFlights { totalCount } allAstronauts { totalCount } allLaunches { totalCount } }",
    )
    assert got == {
        "allSpacecraft": {"totalCount": 31},
        "allSpacecraftConfigurations": {"totalCount": 14},
        "allSpacecraftFamilies": {"totalCount": 4},
        "allAgencies": {"totalCount": 8},
        "allSpacecraftFlights": {"totalCount": 1},
        "allAstronauts": {"totalCount": 1},
        "allLaunches": {"totalCount": 1},
    }


async def test_node_and_nodes_fetch_any_object_by_global_id(reader: AsyncEngine) -> None:
    ids = [
        global_id("Spacecraft", 467),
        global_id("Agency", 63),
        global_id("Launch", LAUNCH),
        global_id("Image", 1939),
        global_id("Spacecraft", 1),
    ]
    query = (
        "query($id: ID!, $ids: [ID!]!) { node(id: $id) { id ... on Spacecraft { name } } "
        "nodes(ids: $ids) { __typename id } }"
    )
    got = await data(reader, query, {"id": ids[0], "ids": ids})
    assert got == {
        "node": {"id": ids[0], "name": "Shenzhou 13"},
        "nodes": [
            {"__typename": "Spacecraft", "id": ids[0]},
            {"__typename": "Agency", "id": ids[1]},
            {"__typename": "Launch", "id": ids[2]},
            {"__typename": "Image", "id": ids[3]},
            None,
        ],
    }


@pytest.mark.parametrize(
    "bad", ["not-base64!", global_id("Nothing", 1), global_id("Spacecraft", "x")]
)
async def test_a_malformed_node_id_is_a_clear_error(reader: AsyncEngine, bad: str) -> None:
    assert await errors(reader, "query($id: ID!) { node(id: $id) { id } }", {"id": bad}) == [
        {"message": f"not a node id made by this API: {bad!r}", "code": "BAD_USER_INPUT"}
    ]


async def test_debug_reports_sql_statements(reader: AsyncEngine) -> None:
    result = await execute(
        reader, "{ allSpacecraft(first: 5) { nodes { name status { name } } } }", debug=True
    )
    assert result.errors is None
    assert result.extensions is not None
    sql = result.extensions["sql"]
    assert sql["statements"] == 2 and sql["ms"] > 0
    plain = await execute(reader, "{ allSpacecraft(first: 5) { nodes { name } } }")
    assert not plain.extensions
