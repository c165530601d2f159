"""The documents of the race, each written for every source so that all select the same data:
the gateway, PostGraphile 4 (simplified names: `spacecrafts`, `id`), PostGraphile 5 (the amber
preset's names, aliased to PostGraphile 4's so one normalisation serves both), and the data
floor, one hand-written SQL statement that builds the gateway's `data` JSON (`floor_sql`).

Every document takes variables, as a frontend sends it, and each request draws new values
(`Draw`, filled by `bench.compare.values`): an id over the whole table, a filter bound, or a
cursor from a walk of the ordering done beforehand on each server. The data floor reads the same
values from a table (`compare_values_<key>`, row `:i`, drawn by pgbench), so it does the same
work per request as the servers' SQL, plus one primary-key lookup.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.compare.floor_sql import (
    DETAIL_SQL,
    LOOKUP_SQL,
    PAGE_SIZE,
    PAGE_SQL,
    Q1_SQL,
    Q2_SQL,
    Q4_SQL,
)

GATEWAY = "gateway"
POSTGRAPHILE4 = "postgraphile4"
POSTGRAPHILE5 = "postgraphile5"
SOURCES = (GATEWAY, POSTGRAPHILE4, POSTGRAPHILE5)


@dataclass(frozen=True)
class Walk:
    """An ordering walked page by page on every server beforehand, for its cursors.

    `name` says which; `arguments` are each server's connection arguments besides `first` and `after`; `keys` the
    gateway's node fields that place a row in the ordering (the data floor's values)."""

    name: str
    arguments: dict[str, str]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Draw:
    """Where a query's variable values come from: `kind` is "ids" (every spacecraft, in a random
    order), "bounds" (a filter bound from `bounds`) or "cursors" (every position of `walk`)."""

    variable: str
    kind: str
    bounds: tuple[int, ...] = ()
    walk: Walk | None = None


@dataclass(frozen=True)
class Query:
    key: str
    title: str
    operation: str
    texts: dict[str, str]  # per source (SOURCES), the document
    sql: str  # the data floor's statement; `:i` is the row of compare_values_<key>
    draw: Draw

    @property
    def weight(self) -> int:
        """A query's share of its row's requests: all of them (the mix has several documents)."""
        return 1

    @property
    def values_table(self) -> str:
        return f"compare_values_{self.key.lower()}"

    def floor_sql(self) -> str:
        return self.sql.replace("<values>", self.values_table)


# PostGraphile 5's amber preset names relations by their foreign key and calls the primary key
# `rowId`; aliases give its answers PostGraphile 4's names.
_IMAGE = {
    GATEWAY: "image { imageUrl thumbnailUrl credit license { name link } }",
    POSTGRAPHILE4: "image { imageUrl thumbnailUrl credit license { name link } }",
    POSTGRAPHILE5: "image: imageByImageId { imageUrl thumbnailUrl credit "
    "license: imageLicenseByLicenseId { name link } }",
}

_Q1_NODE = {
    GATEWAY: f"""ll2Id name serialNumber inSpace timeInSpace flightsCount {_IMAGE[GATEWAY]}
  spacecraftConfig {{ ll2Id name inUse {_IMAGE[GATEWAY]}
    agency {{ ll2Id name abbrev }}
    family {{ ll2Id name manufacturer {{ ll2Id name abbrev }} }} }}""",
    POSTGRAPHILE4: f"""id name serialNumber inSpace timeInSpace flightsCount {_IMAGE[POSTGRAPHILE4]}
  spacecraftConfig {{ id name inUse {_IMAGE[POSTGRAPHILE4]}
    agency {{ id name abbrev }}
    spacecraftConfigurationFamiliesByOwnerId(orderBy: POSITION_ASC) {{ nodes {{
      target {{ id name manufacturer {{ id name abbrev }} }} }} }} }}""",
    POSTGRAPHILE5: f"""id: rowId name serialNumber inSpace timeInSpace flightsCount
  {_IMAGE[POSTGRAPHILE5]}
  spacecraftConfig: spacecraftConfigurationBySpacecraftConfigId {{ id: rowId name inUse
    {_IMAGE[POSTGRAPHILE5]}
    agency: agencyByAgencyId {{ id: rowId name abbrev }}
    spacecraftConfigurationFamiliesByOwnerId(orderBy: POSITION_ASC) {{ nodes {{
      target: spacecraftFamilyByTargetId {{ id: rowId name
        manufacturer: agencyByManufacturerId {{ id: rowId name abbrev }} }} }} }} }}""",
}

_FLIGHTS = {
    GATEWAY: """flights(first: 5) { nodes { ll2Id duration
    launch { ll2Id name net }
    launchCrew { role { role } astronaut { ll2Id name } } } }""",
    POSTGRAPHILE4: """spacecraftFlights(first: 5, orderBy: ID_ASC) { nodes { id duration
    launch { id name net }
    spacecraftFlightLaunchCrewsByOwnerId(orderBy: POSITION_ASC) { nodes {
      target { role { role } astronaut { id name } } } } } }""",
    POSTGRAPHILE5: """spacecraftFlights: spacecraftFlightsBySpacecraftId(first: 5,
    orderBy: ROW_ID_ASC) { nodes { id: rowId duration
    launch: launchByLaunchId { id: rowId name net }
    spacecraftFlightLaunchCrewsByOwnerId(orderBy: POSITION_ASC) { nodes {
      target: astronautFlightByTargetId { role: astronautRoleByRoleId { role }
        astronaut: astronautByAstronautId { id: rowId name } } } } } }""",
}

_LOOKUP_NODE = {
    GATEWAY: """ll2Id name serialNumber inSpace timeInSpace flightsCount status { name }
  spacecraftConfig { ll2Id name inUse crewCapacity agency { ll2Id name abbrev } }""",
    POSTGRAPHILE4: """id name serialNumber inSpace timeInSpace flightsCount status { name }
  spacecraftConfig { id name inUse crewCapacity agency { id name abbrev } }""",
    POSTGRAPHILE5: """id: rowId name serialNumber inSpace timeInSpace flightsCount
  status: spacecraftStatusByStatusId { name }
  spacecraftConfig: spacecraftConfigurationBySpacecraftConfigId { id: rowId name inUse
    crewCapacity agency: agencyByAgencyId { id: rowId name abbrev } }""",
}

# A spacecraft by its id: the root field and the variable's type on each server.
_BY_ID = {
    GATEWAY: ("$id: Int!", "spacecraft(ll2Id: $id)"),
    POSTGRAPHILE4: ("$id: BigInt!", "spacecraft(id: $id)"),
    POSTGRAPHILE5: ("$id: BigInt!", "spacecraft: spacecraftByRowId(rowId: $id)"),
}
# A page of spacecraft: the root field and the cursor's type on each server.
_LIST = {
    GATEWAY: ("String", "allSpacecraft"),
    POSTGRAPHILE4: ("Cursor", "spacecrafts"),
    POSTGRAPHILE5: ("Cursor", "spacecrafts: allSpacecrafts"),
}
_NODE_ID = {GATEWAY: "ll2Id", POSTGRAPHILE4: "id", POSTGRAPHILE5: "id: rowId"}


def _by_id(operation: str, selection: dict[str, str]) -> dict[str, str]:
    return {
        source: f"query {operation}({_BY_ID[source][0]}) {{ {_BY_ID[source][1]} {{\n  "
        f"{selection[source]}\n}} }}"
        for source in SOURCES
    }


def _page(
    operation: str, arguments: dict[str, str], selection: dict[str, str], first: int
) -> dict[str, str]:
    """A page after `$after` (a cursor), with each server's `arguments` and `selection`."""
    texts = {}
    for source in SOURCES:
        cursor, field = _LIST[source]
        texts[source] = (
            f"query {operation}($after: {cursor}) {{ {field}(first: {first}, after: $after, "
            f"{arguments[source]}) {{\n  {selection[source]}\n}} }}"
        )
    return texts


def walk_document(walk: Walk, source: str) -> str:
    """The document that walks `walk` on `source`, 100 rows a page: cursors and keys only."""
    cursor, field = _LIST[source]
    return (
        f"query Walk($after: {cursor}) {{ {field}(first: 100, after: $after, "
        f"{walk.arguments[source]}) {{ edges {{ cursor node {{ {_NODE_ID[source]} name "
        "flightsCount } } pageInfo { hasNextPage endCursor } } }"
    )


BY_ID_WALK = Walk(
    "by id",
    {GATEWAY: "", POSTGRAPHILE4: "orderBy: ID_ASC", POSTGRAPHILE5: "orderBy: ROW_ID_ASC"},
    ("ll2Id",),
)
MOST_FLOWN_WALK = Walk(
    "most flights first",
    {
        GATEWAY: "orderBy: [{field: FLIGHTS_COUNT, direction: DESC}]",
        POSTGRAPHILE4: "orderBy: [FLIGHTS_COUNT_DESC, ID_DESC]",
        POSTGRAPHILE5: "orderBy: [FLIGHTS_COUNT_DESC, ROW_ID_DESC]",
    },
    ("flightsCount", "ll2Id"),
)
# Q4: spacecraft that have flown at least twice and are on the ground, by name.
GROUNDED_WALK = Walk(
    "on the ground, 2 flights or more, by name",
    {
        GATEWAY: "orderBy: [{field: NAME, direction: ASC}], "
        "filter: {inSpace: {eq: false}, flightsCount: {gte: 2}}",
        POSTGRAPHILE4: "orderBy: [NAME_ASC, ID_ASC], "
        'filter: {inSpace: {equalTo: false}, flightsCount: {greaterThanOrEqualTo: "2"}}',
        POSTGRAPHILE5: "orderBy: [NAME_ASC, ROW_ID_ASC], "
        'filter: {inSpace: {equalTo: false}, flightsCount: {greaterThanOrEqualTo: "2"}}',
    },
    ("name", "ll2Id"),
)
_Q4_SELECTION = {
    GATEWAY: "edges { cursor node { ll2Id name flightsCount spacecraftConfig { name } } }\n"
    "  pageInfo { hasNextPage endCursor }",
    POSTGRAPHILE4: "edges { cursor node { id name flightsCount spacecraftConfig { name } } }\n"
    "  pageInfo { hasNextPage endCursor }",
    POSTGRAPHILE5: "edges { cursor node { id: rowId name flightsCount\n"
    "    spacecraftConfig: spacecraftConfigurationBySpacecraftConfigId { name } } }\n"
    "  pageInfo { hasNextPage endCursor }",
}

PAGE_BOUNDS = (0, 1, 2, 3, 4, 5)

_PAGE_FILTER = {
    GATEWAY: "query Page($min: Int!) { allSpacecraft(first: 20, "
    "filter: {flightsCount: {gte: $min}}, orderBy: [{field: NAME, direction: ASC}])",
    POSTGRAPHILE4: "query Page($min: BigInt!) { spacecrafts(first: 20, "
    "filter: {flightsCount: {greaterThanOrEqualTo: $min}}, orderBy: [NAME_ASC, ID_ASC])",
    POSTGRAPHILE5: "query Page($min: BigInt!) { spacecrafts: allSpacecrafts(first: 20, "
    "filter: {flightsCount: {greaterThanOrEqualTo: $min}}, orderBy: [NAME_ASC, ROW_ID_ASC])",
}
_PAGE_TEXTS = {
    source: f"{_PAGE_FILTER[source]} {{\n  nodes {{ {_NODE_ID[source]} name flightsCount }}\n"
    "  pageInfo { hasNextPage }\n} }"
    for source in SOURCES
}

QUERIES = [
    Query(
        "lookup",
        "a spacecraft with its configuration and agency, by id (Q3)",
        "Lookup",
        _by_id("Lookup", _LOOKUP_NODE),
        LOOKUP_SQL,
        Draw("id", "ids"),
    ),
    Query(
        "detail",
        "a spacecraft with its first 5 flights, each with launch and crew, by id",
        "Detail",
        _by_id("Detail", {s: f"{_NODE_ID[s]} name\n  {_FLIGHTS[s]}" for s in SOURCES}),
        DETAIL_SQL,
        Draw("id", "ids"),
    ),
    Query(
        "page",
        f"{PAGE_SIZE} spacecraft with flightsCount >= $min ({PAGE_BOUNDS[0]} to "
        f"{PAGE_BOUNDS[-1]}), by name",
        "Page",
        _PAGE_TEXTS,
        PAGE_SQL,
        Draw("min", "bounds", bounds=PAGE_BOUNDS),
    ),
    Query(
        "Q1",
        "100 spacecraft after a cursor, config -> agency, families -> manufacturer, images",
        "Q1",
        _page("Q1", BY_ID_WALK.arguments, {s: f"nodes {{ {_Q1_NODE[s]} }}" for s in SOURCES}, 100),
        Q1_SQL,
        Draw("after", "cursors", walk=BY_ID_WALK),
    ),
    Query(
        "Q2",
        "20 spacecraft after a cursor, most flights first, x first 5 flights, launch and crew",
        "Q2",
        _page(
            "Q2",
            MOST_FLOWN_WALK.arguments,
            {s: f"nodes {{ {_NODE_ID[s]} name\n  {_FLIGHTS[s]} }}" for s in SOURCES},
            20,
        ),
        Q2_SQL,
        Draw("after", "cursors", walk=MOST_FLOWN_WALK),
    ),
    Query(
        "Q4",
        f"{PAGE_SIZE} spacecraft on the ground with 2 flights or more, by name, after a cursor",
        "Q4",
        _page("Q4", GROUNDED_WALK.arguments, _Q4_SELECTION, PAGE_SIZE),
        Q4_SQL,
        Draw("after", "cursors", walk=GROUNDED_WALK),
    ),
]
