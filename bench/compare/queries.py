"""The fixed set of queries, each written three ways that select the same data: for the gateway,
for PostGraphile (its own names: `spacecrafts`, `id`, link tables as connections of `target`),
and as one hand-written SQL statement that builds the gateway's `data` JSON (the data floor).

Q3 names one spacecraft and Q4 starts after a cursor; both depend on the dataset, so they are
built from `Place` once the database is up.
"""

from __future__ import annotations

from dataclasses import dataclass

IMAGE = "image { imageUrl thumbnailUrl credit license { name link } }"

Q1_GATEWAY = f"""{{ allSpacecraft(first: 100) {{ nodes {{
  ll2Id name serialNumber inSpace timeInSpace flightsCount {IMAGE}
  spacecraftConfig {{ ll2Id name inUse {IMAGE}
    agency {{ ll2Id name abbrev }}
    family {{ ll2Id name manufacturer {{ ll2Id name abbrev }} }} }}
}} }} }}"""

Q1_POSTGRAPHILE = f"""{{ spacecrafts(first: 100, orderBy: ID_ASC) {{ nodes {{
  id name serialNumber inSpace timeInSpace flightsCount {IMAGE}
  spacecraftConfig {{ id name inUse {IMAGE}
    agency {{ id name abbrev }}
    spacecraftConfigurationFamiliesByOwnerId(orderBy: POSITION_ASC) {{ nodes {{
      target {{ id name manufacturer {{ id name abbrev }} }} }} }} }}
}} }} }}"""

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
FROM (SELECT * FROM spacecraft ORDER BY id LIMIT 100) s"""

Q2_GATEWAY = """{ allSpacecraft(first: 20, orderBy: [{field: FLIGHTS_COUNT, direction: DESC}]) { nodes {
  ll2Id name
  flights(first: 5) { nodes { ll2Id duration
    launch { ll2Id name net }
    launchCrew { role { role } astronaut { ll2Id name } } } }
} } }"""

Q2_POSTGRAPHILE = """{ spacecrafts(first: 20, orderBy: [FLIGHTS_COUNT_DESC, ID_DESC]) { nodes {
  id name
  spacecraftFlights(first: 5, orderBy: ID_ASC) { nodes { id duration
    launch { id name net }
    spacecraftFlightLaunchCrewsByOwnerId(orderBy: POSITION_ASC) { nodes {
      target { role { role } astronaut { id name } } } } } }
} } }"""

# ISO 8601 in UTC as the gateway writes it; no `:` in the text, which pgbench reads as variables.
_NET_SQL = "(to_json(l.net) #>> '{}') || 'Z'"

Q2_SQL = f"""SELECT json_build_object('allSpacecraft', json_build_object('nodes',
  coalesce(json_agg(json_build_object('ll2Id', s.id, 'name', s.name,
    'flights', json_build_object('nodes', (SELECT coalesce(json_agg(json_build_object(
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
      FROM (SELECT * FROM spacecraft_flight WHERE spacecraft_id = s.id ORDER BY id LIMIT 5) f)))
    ORDER BY s.flights_count DESC NULLS FIRST, s.id DESC), '[]')))
FROM (SELECT * FROM spacecraft ORDER BY flights_count DESC NULLS FIRST, id DESC LIMIT 20) s"""

Q3_GATEWAY = """{ spacecraft(ll2Id: <id>) {
  ll2Id name serialNumber inSpace timeInSpace flightsCount status { name }
  spacecraftConfig { ll2Id name inUse crewCapacity agency { ll2Id name abbrev } }
} }"""

Q3_POSTGRAPHILE = """{ spacecraft(id: "<id>") {
  id name serialNumber inSpace timeInSpace flightsCount status { name }
  spacecraftConfig { id name inUse crewCapacity agency { id name abbrev } }
} }"""

Q3_SQL = """SELECT json_build_object('spacecraft', (SELECT json_build_object(
    'll2Id', s.id, 'name', s.name, 'serialNumber', s.serial_number, 'inSpace', s.in_space,
    'timeInSpace', ll2_duration(s.time_in_space), 'flightsCount', s.flights_count,
    'status', (SELECT json_build_object('name', st.name) FROM spacecraft_status st
      WHERE st.id = s.status_id),
    'spacecraftConfig', (SELECT json_build_object('ll2Id', c.id, 'name', c.name,
        'inUse', c.in_use, 'crewCapacity', c.crew_capacity,
        'agency', (SELECT json_build_object('ll2Id', a.id, 'name', a.name, 'abbrev', a.abbrev)
          FROM agency a WHERE a.id = c.agency_id))
      FROM spacecraft_configuration c WHERE c.id = s.spacecraft_config_id))
  FROM spacecraft s WHERE s.id = <id>))"""

# Q4: spacecraft that have flown at least twice and are on the ground, by name, 20 at a time.
Q4_PAGE = 20
Q4_FILTER_GATEWAY = "{inSpace: {eq: false}, flightsCount: {gte: 2}}"
Q4_ORDER_GATEWAY = "[{field: NAME, direction: ASC}]"
Q4_FILTER_POSTGRAPHILE = '{inSpace: {equalTo: false}, flightsCount: {greaterThanOrEqualTo: "2"}}'
Q4_ORDER_POSTGRAPHILE = "[NAME_ASC, ID_ASC]"
Q4_WHERE_SQL = "in_space = false AND flights_count >= 2"

Q4_GATEWAY = f"""{{ allSpacecraft(first: {Q4_PAGE}, after: "<cursor>", orderBy: {Q4_ORDER_GATEWAY},
    filter: {Q4_FILTER_GATEWAY}) {{
  edges {{ cursor node {{ ll2Id name flightsCount spacecraftConfig {{ name }} }} }}
  pageInfo {{ hasNextPage endCursor }}
}} }}"""

Q4_POSTGRAPHILE = f"""{{ spacecrafts(first: {Q4_PAGE}, after: "<cursor>", orderBy: {Q4_ORDER_POSTGRAPHILE},
    filter: {Q4_FILTER_POSTGRAPHILE}) {{
  edges {{ cursor node {{ id name flightsCount spacecraftConfig {{ name }} }} }}
  pageInfo {{ hasNextPage endCursor }}
}} }}"""

# The walk that finds Q4's cursor on the gateway: pages of 100 from the start, cursors only.
Q4_WALK_GATEWAY = f"""query Walk($after: String) {{ allSpacecraft(first: 100, after: $after,
    orderBy: {Q4_ORDER_GATEWAY}, filter: {Q4_FILTER_GATEWAY}) {{
  edges {{ node {{ ll2Id name }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""

# PostGraphile's cursor for the same place: the edge just before it, found by offset.
Q4_SEEK_POSTGRAPHILE = f"""query Seek($offset: Int!) {{ spacecrafts(first: 1, offset: $offset,
    orderBy: {Q4_ORDER_POSTGRAPHILE}, filter: {Q4_FILTER_POSTGRAPHILE}) {{
  edges {{ cursor node {{ id name }} }} }} }}"""

# pgbench would read `:asc` as a variable, so the ordering's label spells its colons in octal.
ORDER_LABEL = r"E'name\072asc,id\072asc'"
# The gateway's cursor is base64url of compact JSON; PostgreSQL's json text has spaces after
# separators, so the floor makes cursors of the same length and work, not the same bytes.
Q4_SQL = f"""WITH page AS (
  SELECT * FROM spacecraft WHERE {Q4_WHERE_SQL} AND (name, id) > (<name>, <id>)
  ORDER BY name, id LIMIT {Q4_PAGE + 1})
SELECT json_build_object('allSpacecraft', json_build_object(
  'edges', coalesce(json_agg(json_build_object(
    'cursor', b64url(json_build_array(1, 'Spacecraft', {ORDER_LABEL},
      json_build_array(s.name, s.id))::text),
    'node', json_build_object('ll2Id', s.id, 'name', s.name, 'flightsCount', s.flights_count,
      'spacecraftConfig', (SELECT json_build_object('name', c.name)
        FROM spacecraft_configuration c WHERE c.id = s.spacecraft_config_id)))
    ORDER BY s.name, s.id), '[]'),
  'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > {Q4_PAGE} FROM page),
    'endCursor', b64url(json_build_array(1, 'Spacecraft', {ORDER_LABEL},
      (array_agg(json_build_array(s.name, s.id) ORDER BY s.name DESC, s.id DESC))[1])::text))))
FROM (SELECT * FROM page ORDER BY name, id LIMIT {Q4_PAGE}) s"""


@dataclass(frozen=True)
class Query:
    key: str
    title: str
    gateway: str
    postgraphile: str
    sql: str


@dataclass(frozen=True)
class Place:
    """Where Q3 and Q4 look: a spacecraft's id, and Q4's starting point on each server."""

    spacecraft_id: int
    depth: int
    gateway_cursor: str
    postgraphile_cursor: str
    after_name: str
    after_id: int


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _fill(template: str, **values: object) -> str:
    """`template` with each `<name>` replaced (documents hold braces, so no str.format)."""
    for name, value in values.items():
        template = template.replace(f"<{name}>", str(value))
    return template


def build(place: Place) -> list[Query]:
    return [
        Query(
            "Q1",
            "100 spacecraft, config -> agency, families -> manufacturer, images -> license",
            Q1_GATEWAY,
            Q1_POSTGRAPHILE,
            Q1_SQL,
        ),
        Query(
            "Q2",
            "20 spacecraft x first 5 flights, each with launch and crew",
            Q2_GATEWAY,
            Q2_POSTGRAPHILE,
            Q2_SQL,
        ),
        Query(
            "Q3",
            "one spacecraft by id with its configuration",
            _fill(Q3_GATEWAY, id=place.spacecraft_id),
            _fill(Q3_POSTGRAPHILE, id=place.spacecraft_id),
            _fill(Q3_SQL, id=place.spacecraft_id),
        ),
        Query(
            "Q4",
            f"filtered, ordered page of {Q4_PAGE} after {place.depth:,} rows of a cursor walk",
            _fill(Q4_GATEWAY, cursor=place.gateway_cursor),
            _fill(Q4_POSTGRAPHILE, cursor=place.postgraphile_cursor),
            _fill(Q4_SQL, name=_sql_text(place.after_name), id=place.after_id),
        ),
    ]
