"""The load test's mix of realistic queries: what a catalogue app asks of the gateway.

Each query has a weight (its share of the requests) and variables drawn afresh for every
request (wrk builds each one in Lua), so the load reads all over the dataset as real traffic
does: `("random", "spacecraft")` is an id from 1 to the number of spacecraft, `("pick", "words")`
one of `PICKS["words"]`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PICKS = {
    "words": ["Aurora", "Condor", "Cygnus", "Tianzhou", "Буран", "Crew", "Lite", "Cargo"],
    "directions": ["ASC", "DESC"],
    "dates": ["1990-01-01T00:00:00Z", "2005-06-01T00:00:00Z", "2015-01-01T00:00:00Z"],
}


@dataclass(frozen=True)
class Query:
    name: str
    weight: int
    document: str
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)

    def sample(self, ranges: dict[str, int], rng: random.Random) -> dict[str, object]:
        """Variables as the Lua script draws them."""
        drawn: dict[str, object] = {}
        for name, (kind, source) in self.variables.items():
            drawn[name] = (
                rng.randint(1, ranges[source]) if kind == "random" else rng.choice(PICKS[source])
            )
        return drawn


MIX = [
    Query(
        "Lookup",
        30,
        "query Lookup($id: Int!) { spacecraft(ll2Id: $id) { ll2Id name serialNumber inSpace "
        "timeInSpace status { name } spacecraftConfig { name agency { name abbrev } "
        "family { name } } } }",
        {"id": ("random", "spacecraft")},
    ),
    Query(
        "FilteredPage",
        25,
        "query FilteredPage($min: Int!, $dir: OrderDirection!) { allSpacecraft(first: 20, "
        "filter: { flightsCount: { gte: $min } }, orderBy: [{ field: NAME, direction: $dir }]) "
        "{ totalCount nodes { ll2Id name flightsCount } pageInfo { hasNextPage endCursor } } }",
        {"min": ("random", "small"), "dir": ("pick", "directions")},
    ),
    Query(
        "Search",
        10,
        "query Search($q: String!) { allSpacecraft(first: 10, search: $q) { nodes { ll2Id "
        "name spacecraftConfig { name } } } }",
        {"q": ("pick", "words")},
    ),
    Query(
        "NestedFlights",
        20,
        "query NestedFlights($id: Int!) { spacecraft(ll2Id: $id) { name flights(first: 5, "
        "orderBy: [{ field: MISSION_END, direction: DESC }]) { totalCount nodes { ll2Id "
        "destination missionEnd duration launch { name net pad { name location { name } } } "
        "launchCrew { role { role } astronaut { name nationality { name } } } dockingEvents "
        "{ docking departure } } } } }",
        {"id": ("random", "spacecraft")},
    ),
    Query(
        "FlightsPage",
        10,
        "query FlightsPage($since: DateTime!) { allSpacecraftFlights(first: 10, filter: { "
        "missionEnd: { gte: $since } }, orderBy: [{ field: DURATION, direction: DESC }]) { "
        "nodes { ll2Id duration spacecraft { name } launch { name net } } } }",
        {"since": ("pick", "dates")},
    ),
    Query(
        "Configuration",
        5,
        "query Configuration($id: Int!) { spacecraftConfiguration(ll2Id: $id) { name agency "
        "{ name } spacecraft(first: 10, orderBy: [{ field: FLIGHTS_COUNT, direction: DESC }]) "
        "{ totalCount nodes { name flightsCount } } } }",
        {"id": ("random", "configurations")},
    ),
]
