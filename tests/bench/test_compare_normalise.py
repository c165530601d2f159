"""bench/compare's check: PostGraphile's answers in the gateway's names and types, and the
first difference named by its path."""

from __future__ import annotations

from bench.compare.normalise import first_difference, postgraphile, without_cursors

POSTGRAPHILE = {
    "spacecrafts": {
        "nodes": [
            {
                "id": "7",
                "name": "Orion-M O101",
                "timeInSpace": "11844219000000",
                "flightsCount": "16",
                "spacecraftConfig": {
                    "spacecraftConfigurationFamiliesByOwnerId": {
                        "nodes": [{"target": {"id": "3", "name": "Orion"}}]
                    }
                },
                "spacecraftFlights": {
                    "nodes": [
                        {
                            "id": "8",
                            "duration": None,
                            "launch": {
                                "id": "bdd081ef-2eb3-4586-8d38-0843329651bc",
                                "net": "2021-12-20T11:48:10",
                            },
                            "spacecraftFlightLaunchCrewsByOwnerId": {
                                "nodes": [{"target": {"astronaut": {"id": "12", "name": "A"}}}]
                            },
                        }
                    ]
                },
            }
        ]
    }
}

GATEWAY = {
    "allSpacecraft": {
        "nodes": [
            {
                "ll2Id": 7,
                "name": "Orion-M O101",
                "timeInSpace": "P137DT2H3M39S",
                "flightsCount": 16,
                "spacecraftConfig": {"family": [{"ll2Id": 3, "name": "Orion"}]},
                "flights": {
                    "nodes": [
                        {
                            "ll2Id": 8,
                            "duration": None,
                            "launch": {
                                "ll2Id": "bdd081ef-2eb3-4586-8d38-0843329651bc",
                                "net": "2021-12-20T11:48:10Z",
                            },
                            "launchCrew": [{"astronaut": {"ll2Id": 12, "name": "A"}}],
                        }
                    ]
                },
            }
        ]
    }
}


def test_postgraphile_answers_take_the_gateways_names_and_types() -> None:
    assert postgraphile(POSTGRAPHILE) == GATEWAY
    assert first_difference(GATEWAY, postgraphile(POSTGRAPHILE)) is None


def test_a_difference_is_named_by_its_path() -> None:
    changed = postgraphile(POSTGRAPHILE)
    changed["allSpacecraft"]["nodes"][0]["flights"]["nodes"][0]["launchCrew"] = []
    assert first_difference(GATEWAY, changed) == (
        "data.allSpacecraft.nodes[0].flights.nodes[0].launchCrew: 1 items != 0 items"
    )
    assert first_difference({"a": 1}, {"a": "1"}) == "data.a: 1 != '1'"
    assert first_difference({"a": 1}, {"b": 1}) == "data: keys ['a'] != ['b']"


def test_cursors_compare_by_presence_only() -> None:
    page = {"edges": [{"cursor": "abc", "node": {"ll2Id": 1}}], "pageInfo": {"endCursor": None}}
    assert without_cursors(page) == {
        "edges": [{"cursor": True, "node": {"ll2Id": 1}}],
        "pageInfo": {"endCursor": False},
    }


def test_postgraphile_5s_timestamps_and_connections_the_gateway_answers_as_lists() -> None:
    answer = {
        "launch": {"net": "2018-09-13T10:42:50.000000"},
        "dockingEventsByFlightVehicleChaserId": {
            "nodes": [{"docking": "2020-01-02T03:04:05.500000", "departure": None}]
        },
        "astronautNationalitiesByOwnerId": {"nodes": [{"target": {"name": "France"}}]},
    }
    assert postgraphile(answer) == {
        "launch": {"net": "2018-09-13T10:42:50Z"},
        "dockingEvents": [{"docking": "2020-01-02T03:04:05.500000Z", "departure": None}],
        "nationality": [{"name": "France"}],
    }
