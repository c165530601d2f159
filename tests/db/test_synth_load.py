"""synth --into: a synthetic world written straight into an empty database, in segments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.graph import Graph, load_graph
from db.ingest import ingest, load_bundled_if_empty
from db.ingest.statistics import tables_to_analyze
from db.ll2.values import fold
from db.spec import ENTITIES
from db.state import count_rows, read_state
from db.synth import SynthError, synthesize, write_pages
from db.synth.load import NotEmpty, load_world
from db.synth.world import segments, world
from db.tables import ENTITY_TABLES, folded_column, has_folded

ROOT = Path(__file__).resolve().parents[2]


def _as_stored(graph: Graph) -> dict[str, dict[Any, dict[str, Any]]]:
    """The rows as the database holds them: every column, folded text beside the original."""
    out: dict[str, dict[Any, dict[str, Any]]] = {}
    for name, rows in graph.rows.items():
        if not rows:
            continue
        columns = [c.name for c in ENTITY_TABLES[name].columns]
        folded = {folded_column(f.key): f.column for f in ENTITIES[name].scalars if has_folded(f)}
        out[name] = {}
        for ident, row in rows.items():
            full = {c: row.get(c) for c in columns}
            for target, source in folded.items():
                full[target] = None if row.get(source) is None else fold(row[source])
            out[name][ident] = full
    return out


def _links(graph: Graph) -> dict[tuple[str, str], dict[Any, list[Any]]]:
    return {key: dict(lists) for key, lists in graph.links.items() if lists}


async def test_it_writes_exactly_what_synthesize_makes(engine: AsyncEngine) -> None:
    loaded = await load_world(engine, spacecraft=300, flights=300, seed=7)
    expected = synthesize(spacecraft=300, flights=300, seed=7).graph
    async with engine.connect() as conn:
        stored = await load_graph(conn)
        state = await read_state(conn)
    assert _as_stored(stored) == _as_stored(expected)
    assert _links(stored) == _links(expected)
    assert (loaded.segments, loaded.version, loaded.rows["spacecraft"]) == (1, 1, 300)
    assert loaded.rows == {n: len(r) for n, r in expected.rows.items() if r}
    assert state is not None and (state.version, state.source) == (1, "synth")


async def test_importing_the_same_worlds_pages_on_top_changes_nothing(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await load_world(engine, spacecraft=200, flights=150, seed=3)
    write_pages(synthesize(spacecraft=200, flights=150, seed=3), tmp_path / "pages")
    again = await ingest(engine, [tmp_path / "pages"])
    assert again.changes.summary().startswith("created/updated/unchanged: ")
    assert (again.changes.any, again.version) == (False, None)
    assert not any(again.changes.created.values()) and not any(again.changes.updated.values())
    async with engine.connect() as conn:
        state = await read_state(conn)
    assert state is not None and state.version == 1


async def test_it_refuses_a_database_with_data_and_changes_nothing(engine: AsyncEngine) -> None:
    await load_bundled_if_empty(engine)
    async with engine.connect() as conn:
        before = await count_rows(conn, list(ENTITY_TABLES)), await read_state(conn)
    with pytest.raises(NotEmpty) as raised:
        await load_world(engine, spacecraft=10, flights=10, seed=1)
    assert str(raised.value) == (
        "the database already holds data (image_license, image, country, celestial_body_type, "
        "celestial_body, ...); synth --into writes only into an empty database: point "
        "DATABASE_URL at a new one"
    )
    async with engine.connect() as conn:
        assert (await count_rows(conn, list(ENTITY_TABLES)), await read_state(conn)) == before


def test_segments_split_evenly_and_need_a_spacecraft_each() -> None:
    assert segments(300, 300, 100) == [(100, 100)] * 3
    assert segments(250, 101, 100) == [(83, 33), (83, 34), (84, 34)]
    assert segments(100_000, 100_000) == [(100_000, 100_000)]
    assert segments(0, 0) == [(0, 0)]
    with pytest.raises(SynthError, match=r"^500 flights in 5 segments need at least 5 spacecraft$"):
        segments(2, 500, 100)
    with pytest.raises(SynthError, match=r"^flights need at least one spacecraft to fly$"):
        segments(0, 5, 100)


def test_a_spacecraft_flies_only_flights_of_its_own_segment() -> None:
    parts = list(world(spacecraft=250, flights=240, seed=5, size=100))
    assert len(parts) == 3 + 1  # three segments, then the shared rows
    owners = []
    for part in parts[:3]:
        spacecraft = set(part.rows["spacecraft"])
        flights = part.rows["spacecraft_flight"]
        assert {f["spacecraft_id"] for f in flights.values()} <= spacecraft
        targets = {
            e["flight_vehicle_target_id"]
            for e in part.rows["docking_event"].values()
            if e["flight_vehicle_target_id"] is not None
        }
        assert targets <= set(flights)
        owners.append((min(spacecraft), max(spacecraft), min(flights), max(flights)))
    assert owners == [(1, 83, 1, 80), (84, 166, 81, 160), (167, 250, 161, 240)]
    assert "spacecraft" not in parts[3].rows or not parts[3].rows["spacecraft"]
    configurations = parts[3].rows["spacecraft_configuration"]
    launched = sum(c["total_launch_count"] for c in configurations.values())
    flown = sum(s["flights_count"] for p in parts[:3] for s in p.rows["spacecraft"].values())
    assert flown == 240 and 0 < launched <= flown  # tallied over every segment


async def test_a_world_in_segments_loads_and_keeps_its_references(engine: AsyncEngine) -> None:
    loaded = await load_world(engine, spacecraft=250, flights=240, seed=5, segment=100)
    async with engine.connect() as conn:
        counts = await count_rows(conn, ["spacecraft", "spacecraft_flight", "astronaut"])
        orphans = (
            await conn.execute(
                sa.text(
                    "SELECT count(*) FROM spacecraft_flight f LEFT JOIN spacecraft s "
                    "ON s.id = f.spacecraft_id WHERE s.id IS NULL"
                )
            )
        ).scalar()
    assert (loaded.segments, loaded.version) == (3, 1)
    assert counts == {"spacecraft": 250, "spacecraft_flight": 240, "astronaut": 40}
    assert orphans == 0


async def test_loads_analyse_every_table_and_imports_the_big_ones(
    engine: AsyncEngine, new_database: Any, tmp_path: Path
) -> None:
    await load_world(engine, spacecraft=1500, flights=1200, seed=2)
    write_pages(synthesize(spacecraft=1500, flights=1200, seed=2), tmp_path / "pages")
    imported = create_engine(new_database(engine.dialect.name))
    try:
        await ingest(imported, [tmp_path / "pages"])
        loaded, ingested = await _analysed(engine), await _analysed(imported)
    finally:
        await imported.dispose()
    assert {"spacecraft", "spacecraft_flight", "spacecraft_status", "agency"} <= loaded
    assert {"spacecraft", "spacecraft_flight", "launch", "rocket", "mission"} <= ingested
    assert not {"spacecraft_configuration", "spacecraft_status", "agency"} & ingested
    assert tables_to_analyze({"spacecraft": 1000, "agency": 999, "astronaut": 5000}) == [
        "spacecraft",
        "astronaut",
        "astronaut__nationality",
        "astronaut__social_media_links",
    ]


async def _analysed(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            found = await conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            found = await conn.exec_driver_sql(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
            )
        return {str(row[0]) for row in found.all()}


def _cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_cli_writes_into_an_empty_database_only(database_url: str) -> None:
    args = ("synth", "--spacecraft", "120", "--flights", "80", "--seed", "3", "--into")
    made = _cli(*args, "--quiet", database_url=database_url)
    assert (made.returncode, made.stderr) == (0, "")
    assert made.stdout.startswith("wrote ") and made.stdout.rstrip().endswith(
        "(version 1): 120 spacecraft, 80 spacecraft_flight"
    )
    again = _cli(*args, database_url=database_url)
    assert (again.returncode, again.stdout) == (1, "")
    assert again.stderr.startswith(
        "synth failed, nothing was changed: the database already holds data ("
    )
