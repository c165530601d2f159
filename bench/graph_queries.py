"""In-process latency and SQL statements of the graph's two reference queries, beside a floor.

    python bench/graph_queries.py [--backend sqlite|postgresql|both] [--runs 50]

(a) 100 spacecraft with configuration -> agency, families -> manufacturer, images -> license;
(b) 20 spacecraft with their first 5 flights, each with launch and crew. The floor for (a) is one
hand-written SQL statement returning the same data as JSON. Dataset: synthetic, 10,000
spacecraft and 10,000 flights.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

import sqlalchemy as sa
from graphql import parse

from bench.datasets import postgres_database, sqlite_database, start_postgres
from db.engine import create_engine
from gateway.compiled import CompiledCache
from gateway.context import request_context
from gateway.schema import schema

IMAGE = "image { imageUrl thumbnailUrl credit license { name link } }"
QUERY_A = f"""{{ allSpacecraft(first: 100) {{ nodes {{
  ll2Id name serialNumber inSpace timeInSpace flightsCount {IMAGE}
  spacecraftConfig {{ ll2Id name inUse {IMAGE}
    agency {{ ll2Id name abbrev }}
    family {{ ll2Id name manufacturer {{ ll2Id name abbrev }} }} }}
}} }} }}"""

QUERY_B = """{ allSpacecraft(first: 20, orderBy: [{field: FLIGHTS_COUNT, direction: DESC}]) { nodes {
  ll2Id name
  flights(first: 5) { nodes { ll2Id duration
    launch { ll2Id name net }
    launchCrew { role { role } astronaut { ll2Id name } } } }
} } }"""

SQLITE_FLOOR = """
SELECT json_group_array(json(obj)) FROM (
  SELECT json_object(
    'll2Id', s.id, 'name', s.name, 'serialNumber', s.serial_number, 'inSpace', json(CASE WHEN s.in_space THEN 'true' ELSE 'false' END),
    'timeInSpace', s.time_in_space, 'flightsCount', s.flights_count,
    'image', (SELECT json_object('imageUrl', i.image_url, 'thumbnailUrl', i.thumbnail_url, 'credit', i.credit,
              'license', (SELECT json_object('name', l.name, 'link', l.link) FROM image_license l WHERE l.id = i.license_id))
              FROM image i WHERE i.id = s.image_id),
    'spacecraftConfig', (SELECT json_object('ll2Id', c.id, 'name', c.name, 'inUse', c.in_use,
        'image', (SELECT json_object('imageUrl', i.image_url, 'thumbnailUrl', i.thumbnail_url, 'credit', i.credit,
                  'license', (SELECT json_object('name', l.name, 'link', l.link) FROM image_license l WHERE l.id = i.license_id))
                  FROM image i WHERE i.id = c.image_id),
        'agency', (SELECT json_object('ll2Id', a.id, 'name', a.name, 'abbrev', a.abbrev) FROM agency a WHERE a.id = c.agency_id),
        'family', (SELECT json_group_array(json_object('ll2Id', f.id, 'name', f.name,
                    'manufacturer', (SELECT json_object('ll2Id', m.id, 'name', m.name, 'abbrev', m.abbrev) FROM agency m WHERE m.id = f.manufacturer_id)))
                   FROM spacecraft_configuration__family cf JOIN spacecraft_family f ON f.id = cf.target_id
                   WHERE cf.owner_id = c.id ORDER BY cf.position))
      FROM spacecraft_configuration c WHERE c.id = s.spacecraft_config_id)
  ) AS obj FROM spacecraft s ORDER BY s.id LIMIT 100)
"""

POSTGRES_FLOOR = """
SELECT json_agg(obj ORDER BY sid) FROM (
  SELECT s.id AS sid, json_build_object(
    'll2Id', s.id, 'name', s.name, 'serialNumber', s.serial_number, 'inSpace', s.in_space,
    'timeInSpace', s.time_in_space, 'flightsCount', s.flights_count,
    'image', (SELECT json_build_object('imageUrl', i.image_url, 'thumbnailUrl', i.thumbnail_url, 'credit', i.credit,
              'license', (SELECT json_build_object('name', l.name, 'link', l.link) FROM image_license l WHERE l.id = i.license_id))
              FROM image i WHERE i.id = s.image_id),
    'spacecraftConfig', (SELECT json_build_object('ll2Id', c.id, 'name', c.name, 'inUse', c.in_use,
        'image', (SELECT json_build_object('imageUrl', i.image_url, 'thumbnailUrl', i.thumbnail_url, 'credit', i.credit,
                  'license', (SELECT json_build_object('name', l.name, 'link', l.link) FROM image_license l WHERE l.id = i.license_id))
                  FROM image i WHERE i.id = c.image_id),
        'agency', (SELECT json_build_object('ll2Id', a.id, 'name', a.name, 'abbrev', a.abbrev) FROM agency a WHERE a.id = c.agency_id),
        'family', (SELECT coalesce(json_agg(json_build_object('ll2Id', f.id, 'name', f.name,
                    'manufacturer', (SELECT json_build_object('ll2Id', m.id, 'name', m.name, 'abbrev', m.abbrev) FROM agency m WHERE m.id = f.manufacturer_id))
                    ORDER BY cf.position), '[]')
                   FROM spacecraft_configuration__family cf JOIN spacecraft_family f ON f.id = cf.target_id
                   WHERE cf.owner_id = c.id))
      FROM spacecraft_configuration c WHERE c.id = s.spacecraft_config_id)
  ) AS obj FROM spacecraft s ORDER BY s.id LIMIT 100) page
"""


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def _graph(engine: Any, query: str, runs: int) -> tuple[float, float, int]:
    times: list[float] = []
    statements = 0
    for i in range(runs + 3):
        started = time.perf_counter()
        async with request_context(engine, debug=True) as context:
            result = await schema.execute(query, context_value=context)
        elapsed = time.perf_counter() - started
        assert result.errors is None, result.errors
        statements = context.db.stats.statements
        if i >= 3:
            times.append(elapsed)
    p50, p95 = _percentiles(times)
    return p50 * 1000, p95 * 1000, statements


async def _compiled(engine: Any, query: str, runs: int) -> tuple[float, float, int]:
    """The compiled path as the HTTP pipeline runs it: compiled once, then one statement."""
    cache = CompiledCache(schema)
    document = parse(query)
    times: list[float] = []
    for i in range(runs + 3):
        started = time.perf_counter()
        async with request_context(engine) as context:
            compiled = cache.get(query, document, None, None, dialect=engine.dialect.name)
            assert compiled is not None
            async with context.db.connection() as conn:
                text = await compiled.data_json(conn)
        elapsed = time.perf_counter() - started
        assert json.loads(text)
        if i >= 3:
            times.append(elapsed)
    p50, p95 = _percentiles(times)
    return p50 * 1000, p95 * 1000, context.db.stats.statements


async def _floor(engine: Any, sql: str, runs: int) -> tuple[float, float]:
    times: list[float] = []
    async with engine.connect() as conn:
        for i in range(runs + 3):
            started = time.perf_counter()
            value = (await conn.execute(sa.text(sql))).scalar_one()
            # asyncpg decodes json into Python; SQLite hands back the text
            text = value if isinstance(value, str) else json.dumps(value)
            elapsed = time.perf_counter() - started
            assert len(json.loads(text)) == 100
            if i >= 3:
                times.append(elapsed)
    p50, p95 = _percentiles(times)
    return p50 * 1000, p95 * 1000


async def measure(url: str, runs: int) -> list[tuple[str, float, float, str]]:
    engine = create_engine(url, read_only=True)
    try:
        a = await _graph(engine, QUERY_A, runs)
        b = await _graph(engine, QUERY_B, runs)
        ca = await _compiled(engine, QUERY_A, runs)
        cb = await _compiled(engine, QUERY_B, runs)
        floor_sql = SQLITE_FLOOR if url.startswith("sqlite") else POSTGRES_FLOOR
        floor = await _floor(engine, floor_sql, runs)
    finally:
        await engine.dispose()
    return [
        ("(a) 100 spacecraft, 4 levels", a[0], a[1], str(a[2])),
        ("(b) 20 spacecraft x 5 flights", b[0], b[1], str(b[2])),
        ("(a) compiled path", ca[0], ca[1], str(ca[2])),
        ("(b) compiled path", cb[0], cb[1], str(cb[2])),
        ("floor: one SQL statement for (a)", floor[0], floor[1], "1"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--spacecraft", type=int, default=10_000)
    parser.add_argument("--flights", type=int, default=10_000)
    args = parser.parse_args()
    urls: list[tuple[str, str]] = []
    server = None
    if args.backend in ("sqlite", "both"):
        urls.append(("sqlite", sqlite_database(args.spacecraft, args.flights)))
    if args.backend in ("postgresql", "both"):
        server = start_postgres()
        if server is None:
            print("PostgreSQL binaries not found; skipping PostgreSQL")
        else:
            urls.append(("postgresql", postgres_database(server, args.spacecraft, args.flights)))
    try:
        print(f"{'backend':<11} {'query':<34} {'p50 ms':>8} {'p95 ms':>8} {'SQL statements':>15}")
        for backend, url in urls:
            for name, p50, p95, statements in asyncio.run(measure(url, args.runs)):
                print(f"{backend:<11} {name:<34} {p50:>8.1f} {p95:>8.1f} {statements:>15}")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
