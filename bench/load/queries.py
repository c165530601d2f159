"""The load test's mix of realistic queries: what a catalogue app asks of the gateway.

Each query has a weight (its share of the requests) and variables drawn afresh for every
request (wrk builds each one in Lua), so the load reads all over the dataset as real traffic
does: `("random", "spacecraft")` is an id from 1 to the number of spacecraft, `("pick", "words")`
one of `PICKS["words"]`.

`FRESH_MIX` is the soak's (`run.py --fresh`): its variables never repeat during a run, so every
request is new to every cache keyed on them (answers, known requests, compiled statements,
totals). `("sequence", "spacecraft")` is the next number of a per-client count, spread so that
no two clients draw the same one, wrapping at the number of spacecraft; `("cursor",
"spacecraft")` is the keyset cursor (`after`) of such an id in id order, as the API writes it.
"""

from __future__ import annotations

import base64
import json
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
            if kind == "pick":
                drawn[name] = rng.choice(PICKS[source])
            elif kind == "cursor":
                drawn[name] = id_cursor(rng.randint(1, ranges[source]))
            else:  # random, sequence
                drawn[name] = rng.randint(1, ranges[source])
        return drawn

    def fresh(self, ranges: dict[str, int], n: int, rng: random.Random) -> dict[str, object]:
        """The variables of the `n`-th request of a fresh run, as one client of mix.lua draws
        them: `sequence` and `cursor` from `n`, so that no two values of `n` give the same."""
        drawn: dict[str, object] = {}
        for name, (kind, source) in self.variables.items():
            if kind == "sequence":
                drawn[name] = n % ranges[source] + 1
            elif kind == "cursor":
                drawn[name] = id_cursor(n % ranges[source] + 1)
            elif kind == "pick":
                drawn[name] = rng.choice(PICKS[source])
            else:
                drawn[name] = rng.randint(1, ranges[source])
        return drawn


def id_cursor(ll2_id: int) -> str:
    """The cursor after the spacecraft `ll2_id` in the default order (by id), as the API writes
    it (mix.lua builds the same)."""
    text = json.dumps([1, "Spacecraft", "id:asc", [ll2_id]], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


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


FRESH_MIX = [
    Query(
        "Lookup",
        30,
        MIX[0].document,
        {"id": ("sequence", "spacecraft")},
    ),
    Query(
        "FilteredPage",
        25,
        "query FilteredPage($from: Int!, $dir: OrderDirection!) { allSpacecraft(first: 20, "
        "filter: { ll2Id: { gt: $from }, flightsCount: { gte: 1 } }, orderBy: [{ field: NAME, "
        "direction: $dir }]) { totalCount nodes { ll2Id name flightsCount } pageInfo { "
        "hasNextPage endCursor } } }",
        {"from": ("sequence", "spacecraft"), "dir": ("pick", "directions")},
    ),
    Query(
        "CursorPage",
        20,
        "query CursorPage($after: String!) { allSpacecraft(first: 10, after: $after) { nodes { "
        "ll2Id name status { name } spacecraftConfig { name } } pageInfo { hasNextPage "
        "endCursor } } }",
        {"after": ("cursor", "spacecraft")},
    ),
    Query(
        "NestedFlights",
        15,
        MIX[3].document,
        {"id": ("sequence", "spacecraft")},
    ),
    Query(
        "Search",
        10,
        "query Search($q: String!, $from: Int!) { allSpacecraft(first: 10, search: $q, filter: "
        "{ ll2Id: { gte: $from } }) { nodes { ll2Id name spacecraftConfig { name } } } }",
        {"q": ("pick", "words"), "from": ("sequence", "spacecraft")},
    ),
]
