"""The realistic mix of `bench/load` (`bench.load.queries.MIX`), written for each server.

The gateway sends the mix's own documents; each PostGraphile gets a document that selects the
same data in its own schema (PostGraphile 5's aliased to PostGraphile 4's names, as in
`queries`). Search, which the gateway runs over LL2's search fields, is connection-filter's
`includes` on the case-folded columns of the spacecraft and of its configuration (both servers
run with `connectionFilterRelations`). Each request draws the member by its weight and the
member's next values, drawn beforehand for every source alike (`draw`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from bench.compare.queries import GATEWAY, POSTGRAPHILE4, POSTGRAPHILE5, SOURCES
from bench.compare.values import Values
from bench.load.queries import MIX, PICKS
from db.ll2.values import fold

_PG5_NAMES = {
    # PostGraphile 5's name for each relation PostGraphile 4's simplified schema names, in
    # order (a root list first, then the spacecraft's flights).
    "allSpacecraftFlights: spacecraftFlights(": "allSpacecraftFlights: allSpacecraftFlights(",
    "spacecraft(id: $id)": "spacecraft: spacecraftByRowId(rowId: $id)",
    "spacecraftConfiguration(id: $id)": "spacecraftConfiguration: "
    "spacecraftConfigurationByRowId(rowId: $id)",
    " id ": " id: rowId ",
    "status {": "status: spacecraftStatusByStatusId {",
    "spacecraftConfig {": "spacecraftConfig: spacecraftConfigurationBySpacecraftConfigId {",
    "agency {": "agency: agencyByAgencyId {",
    "FamiliesByOwnerId(orderBy: POSITION_ASC) { nodes { target {": "FamiliesByOwnerId("
    "orderBy: POSITION_ASC) { nodes { target: spacecraftFamilyByTargetId {",
    "NationalitiesByOwnerId(orderBy: POSITION_ASC) { nodes { target {": "NationalitiesByOwnerId("
    "orderBy: POSITION_ASC) { nodes { target: countryByTargetId {",
    "spacecrafts(": "spacecrafts: allSpacecrafts(",
    "ID_ASC": "ROW_ID_ASC",
    "ID_DESC": "ROW_ID_DESC",
    "spacecraftFlights(": "spacecraftFlights: spacecraftFlightsBySpacecraftId(",
    "launch {": "launch: launchByLaunchId {",
    "pad {": "pad: padByPadId {",
    "location {": "location: locationByLocationId {",
    "target { role { role } astronaut {": "target: astronautFlightByTargetId { "
    "role: astronautRoleByRoleId { role } astronaut: astronautByAstronautId {",
    "spacecraft { name }": "spacecraft: spacecraftBySpacecraftId { name }",
    "[SpacecraftsOrderBy!]": "[SpacecraftOrderBy!]",
    # PostGraphile 5 offers no ordering by the docking events' unindexed `position`; their ids
    # run in the same order (the check before timing would tell otherwise).
    "ChaserId(orderBy: [POSITION_ASC, ROW_ID_ASC])": "ChaserId(orderBy: [ROW_ID_ASC])",
    "nameFolded: {includes: $q}}, {spacecraftConfig:": "nameFolded: {includes: $q}}, "
    "{spacecraftConfigurationBySpacecraftConfigId:",
}

POSTGRAPHILE4_TEXTS = {
    "Lookup": "query Lookup($id: BigInt!) { spacecraft(id: $id) { id name serialNumber inSpace "
    "timeInSpace status { name } spacecraftConfig { name agency { name abbrev } "
    "spacecraftConfigurationFamiliesByOwnerId(orderBy: POSITION_ASC) { nodes { "
    "target { name } } } } } }",
    "FilteredPage": "query FilteredPage($min: BigInt!, $order: [SpacecraftsOrderBy!]) { "
    "spacecrafts(first: 20, filter: {flightsCount: {greaterThanOrEqualTo: $min}}, "
    "orderBy: $order) { totalCount nodes { id name flightsCount } "
    "pageInfo { hasNextPage endCursor } } }",
    "Search": "query Search($q: String!) { spacecrafts(first: 10, orderBy: ID_ASC, "
    "filter: {or: [{nameFolded: {includes: $q}}, {spacecraftConfig: "
    "{nameFolded: {includes: $q}}}]}) { nodes { id name spacecraftConfig { name } } } }",
    "NestedFlights": "query NestedFlights($id: BigInt!) { spacecraft(id: $id) { name "
    "spacecraftFlights(first: 5, orderBy: [MISSION_END_DESC, ID_DESC]) { totalCount nodes { "
    "id destination missionEnd duration launch { name net pad { name location { name } } } "
    "dockingEventsByFlightVehicleChaserId(orderBy: [POSITION_ASC, ID_ASC]) { nodes { "
    "docking departure } } "
    "spacecraftFlightLaunchCrewsByOwnerId(orderBy: POSITION_ASC) { nodes { "
    "target { role { role } astronaut { name "
    "astronautNationalitiesByOwnerId(orderBy: POSITION_ASC) { nodes { "
    "target { name } } } } } } } } } } }",
    "FlightsPage": "query FlightsPage($since: Datetime!) { allSpacecraftFlights: "
    "spacecraftFlights(first: 10, filter: {missionEnd: {greaterThanOrEqualTo: $since}}, "
    "orderBy: [DURATION_DESC, ID_DESC]) { nodes { id duration spacecraft { name } "
    "launch { name net } } } }",
    "Configuration": "query Configuration($id: BigInt!) { spacecraftConfiguration(id: $id) { "
    "name agency { name } spacecraft: spacecraftsBySpacecraftConfigId(first: 10, "
    "orderBy: [FLIGHTS_COUNT_DESC, ID_DESC]) { totalCount nodes { name flightsCount } } } }",
}


def _postgraphile5(text: str) -> str:
    for old, new in _PG5_NAMES.items():
        text = text.replace(old, new)
    return text


@dataclass(frozen=True)
class Member:
    """One document of the mix: its weight and its text for each source."""

    name: str
    weight: int
    texts: dict[str, str]
    variables: dict[str, tuple[str, str]]

    @property
    def operation(self) -> str:
        return self.name


MEMBERS = [
    Member(
        q.name,
        q.weight,
        {
            GATEWAY: q.document,
            POSTGRAPHILE4: POSTGRAPHILE4_TEXTS[q.name],
            POSTGRAPHILE5: _postgraphile5(POSTGRAPHILE4_TEXTS[q.name]),
        },
        q.variables,
    )
    for q in MIX
]


def _sample(member: Member, ranges: dict[str, list[int]], rng: random.Random) -> dict[str, Any]:
    """One request's variables for every source."""
    out: dict[str, dict[str, Any]] = {s: {} for s in SOURCES}
    for name, (kind, source) in member.variables.items():
        if kind == "random":
            value: Any = rng.choice(ranges[source])
            out[GATEWAY][name] = value
            out[POSTGRAPHILE4][name] = out[POSTGRAPHILE5][name] = str(value)
            continue
        value = rng.choice(PICKS[source])
        out[GATEWAY][name] = value
        if name == "dir":  # PostGraphile orders by a list of enum values, ties by the id
            order = [f"NAME_{value}", f"ID_{value}"]
            out[POSTGRAPHILE4]["order"] = order
            out[POSTGRAPHILE5]["order"] = [order[0], f"ROW_ID_{value}"]
        elif name == "q":  # the gateway folds the words, as the columns were folded
            out[POSTGRAPHILE4][name] = out[POSTGRAPHILE5][name] = fold(value)
        else:
            out[POSTGRAPHILE4][name] = out[POSTGRAPHILE5][name] = value
    return out


def draw(member: Member, ranges: dict[str, list[int]], rng: random.Random, limit: int) -> Values:
    """`limit` requests' values of `member`; the mix has no data floor, so no rows."""
    samples = [_sample(member, ranges, rng) for _ in range(limit)]
    return Values(
        {s: [sample[s] for sample in samples] for s in SOURCES}, (), [() for _ in samples]
    )
