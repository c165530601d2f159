"""The data floor's statements: for each query of `queries`, one hand-written SQL statement
that builds the gateway's `data` JSON, the database's own time for the answer.

pgbench runs each with `:i`, a random row of the query's values table (`<values>`, replaced by
`Query.floor_sql`), which holds the values the servers' requests draw.
"""

from __future__ import annotations

PAGE_SIZE = 20

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
