"""The documents of the race, each written for every source so that all select the same data:
the gateway, PostGraphile 4 (simplified names: `spacecrafts`, `id`), PostGraphile 5 (the amber
preset's names, aliased to PostGraphile 4's so one normalisation serves both), and the data
floor, one hand-written SQL statement that builds the gateway's `data` JSON.

Every document takes variables, as a frontend sends it, and each request draws new values
(`Draw`, filled by `bench.compare.values`): an id over the whole table, a filter bound, or a
cursor from a walk of the ordering done beforehand on each server. The data floor reads the same
values from a table (`compare_values_<key>`, row `:i`, drawn by pgbench), so it does the same
work per request as the servers' SQL, plus one primary-key lookup.
"""

from __future__ import annotations

from dataclasses import dataclass

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
Q4_WHERE_SQL = "in_space = false AND flights_count >= 2"

_IMAGE_SQL = """(SELECT json_build_object('imageUrl', i.image_url, 'thumbnailUrl', i.thumbnail_url,
      'credit', i.credit, 'license', (SELECT json_build_object('name', l.name, 'link', l.link)
        FROM image_license l WHERE l.id = i.license_id))
    FROM image i WHERE i.id = {owner}.image_id)"""

Q1_SQL = f"""SELECT json_build_object('allSpacecraft', json_build_object('nodes',
  coalesce(json_agg(json_build_object(
    'll2Id', s.id, 'name', s.name, 'serialNumber', s.serial_number, 'inSpace', s.in_space,
    'timeInSpace', ll2_duration(s.time_in_space), 'flightsCount', s.flights_count,
    'image', {_IMAGE_SQL.format(owner="s")},
    'spacecraftConfig', (SELECT json_build_object('ll2Id', c.id, 'name', c.name,
        'inUse', c.in_use, 'image', {_IMAGE_SQL.format(owner="c")},
        'agency', (SELECT json_build_object('ll2Id', a.id, 'name', a.name, 'abbrev', a.abbrev)
          FROM agency a WHERE a.id = c.agency_id),
        'family', (SELECT coalesce(json_agg(json_build_object('ll2Id', f.id, 'name', f.name,
            'manufacturer', (SELECT json_build_object('ll2Id', m.id, 'name', m.name,
                'abbrev', m.abbrev) FROM agency m WHERE m.id = f.manufacturer_id))
            ORDER BY cf.position), '[]')
          FROM spacecraft_configuration__family cf
          JOIN spacecraft_family f ON f.id = cf.target_id WHERE cf.owner_id = c.id))
      FROM spacecraft_configuration c WHERE c.id = s.spacecraft_config_id))
    ORDER BY s.id), '[]')))
FROM (SELECT * FROM spacecraft WHERE id > (SELECT ll2id FROM <values> WHERE i = :i)
  ORDER BY id LIMIT 100) s"""

# ISO 8601 in UTC as the gateway writes it; no `:` in the text, which pgbench reads as variables.
_NET_SQL = "(to_json(l.net) #>> '{}') || 'Z'"

_FLIGHTS_SQL = f"""json_build_object('nodes', (SELECT coalesce(json_agg(json_build_object(
        'll2Id', f.id, 'duration', ll2_duration(f.duration),
        'launch', (SELECT json_build_object('ll2Id', l.id, 'name', l.name, 'net', {_NET_SQL})
          FROM launch l WHERE l.id = f.launch_id),
        'launchCrew', (SELECT coalesce(json_agg(json_build_object(
            'role', (SELECT json_build_object('role', r.role) FROM astronaut_role r
              WHERE r.id = af.role_id),
            'astronaut', (SELECT json_build_object('ll2Id', a.id, 'name', a.name)
              FROM astronaut a WHERE a.id = af.astronaut_id))
            ORDER BY lc.position), '[]')
          FROM spacecraft_flight__launch_crew lc
          JOIN astronaut_flight af ON af.id = lc.target_id WHERE lc.owner_id = f.id))
        ORDER BY f.id), '[]')
      FROM (SELECT * FROM spacecraft_flight WHERE spacecraft_id = s.id ORDER BY id LIMIT 5) f))"""

Q2_SQL = f"""SELECT json_build_object('allSpacecraft', json_build_object('nodes',
  coalesce(json_agg(json_build_object('ll2Id', s.id, 'name', s.name,
    'flights', {_FLIGHTS_SQL})
    ORDER BY s.flights_count DESC, s.id DESC), '[]')))
FROM (SELECT * FROM spacecraft
  WHERE (flights_count, id) < (SELECT flightscount, ll2id FROM <values> WHERE i = :i)
  ORDER BY flights_count DESC, id DESC LIMIT 20) s"""

DETAIL_SQL = f"""SELECT json_build_object('spacecraft', (SELECT json_build_object(
    'll2Id', s.id, 'name', s.name, 'flights', {_FLIGHTS_SQL})
  FROM spacecraft s WHERE s.id = (SELECT id FROM <values> WHERE i = :i)))"""

LOOKUP_SQL = """SELECT json_build_object('spacecraft', (SELECT json_build_object(
    'll2Id', s.id, 'name', s.name, 'serialNumber', s.serial_number, 'inSpace', s.in_space,
    'timeInSpace', ll2_duration(s.time_in_space), 'flightsCount', s.flights_count,
    'status', (SELECT json_build_object('name', st.name) FROM spacecraft_status st
      WHERE st.id = s.status_id),
    'spacecraftConfig', (SELECT json_build_object('ll2Id', c.id, 'name', c.name,
        'inUse', c.in_use, 'crewCapacity', c.crew_capacity,
        'agency', (SELECT json_build_object('ll2Id', a.id, 'name', a.name, 'abbrev', a.abbrev)
          FROM agency a WHERE a.id = c.agency_id))
      FROM spacecraft_configuration c WHERE c.id = s.spacecraft_config_id))
  FROM spacecraft s WHERE s.id = (SELECT id FROM <values> WHERE i = :i)))"""

PAGE_SIZE = 20
PAGE_BOUNDS = (0, 1, 2, 3, 4, 5)
PAGE_SQL = f"""WITH page AS (
  SELECT id, name, flights_count FROM spacecraft
  WHERE flights_count >= (SELECT min FROM <values> WHERE i = :i)
  ORDER BY name, id LIMIT {PAGE_SIZE + 1})
SELECT json_build_object('allSpacecraft', json_build_object(
  'nodes', coalesce((SELECT json_agg(json_build_object('ll2Id', p.id, 'name', p.name,
      'flightsCount', p.flights_count) ORDER BY p.name, p.id)
    FROM (SELECT * FROM page ORDER BY name, id LIMIT {PAGE_SIZE}) p), '[]'),
  'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > {PAGE_SIZE} FROM page))))"""

# pgbench would read `:asc` as a variable, so the ordering's label spells its colons in octal.
ORDER_LABEL = r"E'name\072asc,id\072asc'"
# The gateway's cursor is base64url of compact JSON; PostgreSQL's json text has spaces after
# separators, so the floor makes cursors of the same length and work, not the same bytes.
Q4_SQL = f"""WITH page AS (
  SELECT * FROM spacecraft WHERE {Q4_WHERE_SQL}
    AND (name, id) > (SELECT name, ll2id FROM <values> WHERE i = :i)
  ORDER BY name, id LIMIT {PAGE_SIZE + 1})
SELECT json_build_object('allSpacecraft', json_build_object(
  'edges', coalesce(json_agg(json_build_object(
    'cursor', b64url(json_build_array(1, 'Spacecraft', {ORDER_LABEL},
      json_build_array(s.name, s.id))::text),
    'node', json_build_object('ll2Id', s.id, 'name', s.name, 'flightsCount', s.flights_count,
      'spacecraftConfig', (SELECT json_build_object('name', c.name)
        FROM spacecraft_configuration c WHERE c.id = s.spacecraft_config_id)))
    ORDER BY s.name, s.id), '[]'),
  'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > {PAGE_SIZE} FROM page),
    'endCursor', b64url(json_build_array(1, 'Spacecraft', {ORDER_LABEL},
      (array_agg(json_build_array(s.name, s.id) ORDER BY s.name DESC, s.id DESC))[1])::text))))
FROM (SELECT * FROM page ORDER BY name, id LIMIT {PAGE_SIZE}) s"""

_Q4_SELECTION = {
    GATEWAY: "edges { cursor node { ll2Id name flightsCount spacecraftConfig { name } } }\n"
    "  pageInfo { hasNextPage endCursor }",
    POSTGRAPHILE4: "edges { cursor node { id name flightsCount spacecraftConfig { name } } }\n"
    "  pageInfo { hasNextPage endCursor }",
    POSTGRAPHILE5: "edges { cursor node { id: rowId name flightsCount\n"
    "    spacecraftConfig: spacecraftConfigurationBySpacecraftConfigId { name } } }\n"
    "  pageInfo { hasNextPage endCursor }",
}

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
