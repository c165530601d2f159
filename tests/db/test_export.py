"""The exporter: LL2 pages that `ingest` reads back into the same database, on either backend.

Round trips compare whole databases (`dump`: every row of every table) and ignore only
`dataset_state`, which records when and how the data came, not what it is.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.dataset import bundled_files
from db.engine import create_engine
from db.export import SUPPLEMENT, ExportError, Loss, export
from db.export.pages import write_pages
from db.graph import Graph, load_graph
from db.ingest import ingest
from db.ll2.shapes import load
from db.migrate import SchemaBehind
from db.render import Renderer
from db.spec import ENDPOINTS
from tests.support.data import dump
from tests.support.richer import write_richer

Dump = dict[str, list[tuple[Any, ...]]]
BASE = "https://ll.thespacedevs.com/2.3.0"

# Each source gives the LL2 files a test database is filled from. A synthetic dump directory
# (db/synth.py) plugs in here as one more entry.
SOURCES: dict[str, Callable[[Path], list[Path]]] = {
    "samples": lambda _: bundled_files(),
    "richer": lambda directory: [write_richer(directory, spacecraft=240, flights=12)],
}


def data(database: Dump) -> Dump:
    return {table: rows for table, rows in database.items() if table != "dataset_state"}


def files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


async def filled(url: str, paths: list[Path]) -> AsyncEngine:
    engine = create_engine(url)
    await ingest(engine, paths)
    return engine


async def copy_through_export(
    engine: AsyncEngine, url: str, directory: Path
) -> tuple[AsyncEngine, Any]:
    result = await export(engine, directory)
    return await filled(url, [directory]), result


@pytest.fixture(params=list(SOURCES))
def source(request: pytest.FixtureRequest, tmp_path: Path) -> list[Path]:
    return SOURCES[request.param](tmp_path / "source")


async def test_export_then_ingest_gives_the_same_database(
    backend: str, new_database: Callable[..., str], tmp_path: Path, source: list[Path]
) -> None:
    original = await filled(new_database(backend), source)
    restored, result = await copy_through_export(original, new_database(backend), tmp_path / "x")
    assert (result.losses, result.supplement) == ([], 0)
    assert data(await dump(restored)) == data(await dump(original))
    await original.dispose()
    await restored.dispose()


@pytest.mark.parametrize(
    ("origin", "destination"),
    [
        pytest.param("sqlite", "postgresql", id="sqlite-to-postgresql"),
        pytest.param("postgresql", "sqlite", id="postgresql-to-sqlite"),
    ],
)
async def test_an_export_moves_the_data_between_backends_unchanged(
    new_database: Callable[..., str],
    tmp_path: Path,
    source: list[Path],
    origin: str,
    destination: str,
) -> None:
    # No normalisation: both backends hand back the same Python values (see test_backends.py).
    original = await filled(new_database(origin), source)
    moved, _ = await copy_through_export(original, new_database(destination), tmp_path / "x")
    assert data(await dump(moved)) == data(await dump(original))
    await original.dispose()
    await moved.dispose()


async def test_the_same_data_gives_the_same_bytes_on_either_backend(
    new_database: Callable[..., str], tmp_path: Path
) -> None:
    source = write_richer(tmp_path / "source", spacecraft=240, flights=12)
    lite = await filled(new_database("sqlite"), [source])
    pg = await filled(new_database("postgresql"), [source])
    await export(lite, tmp_path / "a")
    await export(lite, tmp_path / "b")
    await export(pg, tmp_path / "c")
    first = files(tmp_path / "a")
    assert len(first) == 7
    assert files(tmp_path / "b") == first
    assert files(tmp_path / "c") == first
    await lite.dispose()
    await pg.dispose()


async def test_pages_are_ll2_detailed_list_pages_of_100_linked_as_ll2_links_them(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await ingest(engine, [write_richer(tmp_path / "source", spacecraft=240, flights=12)])
    result = await export(engine, tmp_path / "x")
    assert result.objects == {
        "spacecraft": 271,
        "spacecraft_configurations": 14,
        "spacecraft_configuration_families": 5,
        "agencies": 8,
        "spacecraft_flights": 13,
    }
    assert sorted(files(tmp_path / "x")) == [
        "agencies/page-00001.json",
        "spacecraft/page-00001.json",
        "spacecraft/page-00002.json",
        "spacecraft/page-00003.json",
        "spacecraft_configuration_families/page-00001.json",
        "spacecraft_configurations/page-00001.json",
        "spacecraft_flights/page-00001.json",
    ]
    pages = [
        json.loads((tmp_path / "x" / "spacecraft" / f"page-0000{n}.json").read_text())
        for n in (1, 2, 3)
    ]
    link = f"{BASE}/spacecraft/?limit=100&mode=detailed"
    assert [(p["count"], p["previous"], p["next"], len(p["results"])) for p in pages] == [
        (271, None, f"{link}&offset=100&ordering=id", 100),
        (271, f"{link}&ordering=id", f"{link}&offset=200&ordering=id", 100),
        (271, f"{link}&offset=100&ordering=id", None, 71),
    ]
    ids = [o["id"] for p in pages for o in p["results"]]
    async with engine.connect() as conn:
        assert ids == sorted((await load_graph(conn, ["spacecraft"])).rows["spacecraft"])
    shape = load().for_endpoint("spacecraft", "detailed")
    first = pages[0]["results"][0]
    assert list(first) == [f.key for f in shape.fields]
    assert (first["response_mode"], first["url"]) == ("detailed", f"{BASE}/spacecraft/36/")
    flights = json.loads((tmp_path / "x/spacecraft_flights/page-00001.json").read_text())
    assert flights["next"] is None and flights["previous"] is None
    flight = flights["results"][1]
    assert (flight["id"], flight["response_mode"]) == (5000, "detailed")
    assert [d["id"] for d in flight["docking_events"]] == [70000]
    assert flights["results"][3]["docking_events"][2]["docking"] == "1990-04-16T14:00:00.500000Z"


async def test_unknown_keys_come_back_in_every_copy(engine: AsyncEngine, tmp_path: Path) -> None:
    await ingest(engine, [write_richer(tmp_path / "source", spacecraft=240, flights=12)])
    await export(engine, tmp_path / "x")
    agencies = json.loads((tmp_path / "x/agencies/page-00001.json").read_text())["results"]
    roscosmos = next(a for a in agencies if a["id"] == 63)
    assert roscosmos["nickname"] == "Ласточка"
    assert roscosmos["ratings"] == {"stars": [5, 4.5, None], "note": "très bien"}
    assert roscosmos["launcher_list"][1]["stages"] == [{"n": 1}, {"n": 2}]
    assert roscosmos["image"]["variants"][1] == {
        "id": 251,
        "image_url": "https://example.org/variants/25/1.webp",
        "type": {"id": 2, "name": "WebP"},
        "width": 640,
    }


async def test_an_empty_database_exports_nothing_and_reads_back_empty(
    engine: AsyncEngine, backend: str, new_database: Callable[..., str], tmp_path: Path
) -> None:
    restored, result = await copy_through_export(engine, new_database(backend), tmp_path / "x")
    assert (result.pages, files(tmp_path / "x")) == (0, {})
    assert data(await dump(restored)) == data(await dump(engine))
    await restored.dispose()


async def test_a_directory_with_files_is_refused_and_left_alone(
    bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "old.json").write_text("{}")
    with pytest.raises(ExportError) as raised:
        await export(bundled_engine, tmp_path / "x")
    assert str(raised.value) == (
        f"{tmp_path / 'x'} already exists and is not an empty directory: an export needs a new "
        "or empty one, so that no older page is read back with it"
    )
    assert files(tmp_path / "x") == {"old.json": b"{}"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


async def test_an_empty_directory_is_used(bundled_engine: AsyncEngine, tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    await export(bundled_engine, tmp_path / "x")
    assert len(files(tmp_path / "x")) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]


async def test_a_schema_behind_the_code_is_refused_before_writing(
    new_database: Callable[..., str], backend: str, tmp_path: Path
) -> None:
    from db import migrate

    engine = create_engine(new_database(backend, migrated=False))
    await migrate.upgrade(engine, "0001")
    with pytest.raises(SchemaBehind):
        await export(engine, tmp_path / "x")
    assert list(tmp_path.iterdir()) == []
    await engine.dispose()


# A database with a history: later imports re-point edges, leaving rows that nothing LL2 shows
# refers to any more, rows now shown only in poorer shapes, and a docking event dropped from its
# flight's list. The five endpoints' pages alone cannot give these back.

LAUNCH = str(uuid.UUID("11111111-2222-4333-8444-555555555555"))


def _later(graph: Graph) -> Graph:
    """The same data after LL2 changed a few things, as a later sync would see it."""
    g = copy.deepcopy(graph)
    rows = g.rows
    rows["social_media"][1]["logo_id"] = None  # image 9001 and its variant 90010 left behind
    rows["celestial_body"][2] = rows["celestial_body"][1] | {"id": 2, "name": "Mars"}
    rows["location"][9999] = rows["location"][15] | {
        "id": 9999,
        "name": "Марс-база",
        "celestial_body_id": 2,
    }
    rows["pad"][32]["location_id"] = 9999  # location 15 left behind; Earth shown only poorer
    del rows["docking_event"][70010]
    rows["docking_event"][70011]["position"] = 0
    rows["astronaut_flight"][99999] = rows["astronaut_flight"][60003] | {"id": 99999}
    crew = g.links[("spacecraft_flight", "launch_crew")]
    crew[5001] = [99999, *crew[5001][1:]]  # astronaut_flight 60003 left behind
    old = rows["spacecraft_flight"][5002]["launch_id"]
    rows["launch"][LAUNCH] = rows["launch"][old] | {"id": LAUNCH, "name": "Replaced"}
    rows["spacecraft_flight"][5002]["launch_id"] = LAUNCH  # its old launch left behind
    return g


async def _with_history(engine: AsyncEngine, directory: Path) -> None:
    await ingest(engine, [write_richer(directory / "first", spacecraft=30, flights=12)])
    async with engine.connect() as conn:
        later = _later(await load_graph(conn))
    renderer = Renderer(later)
    for endpoint, entity in ENDPOINTS.items():
        ids = sorted(later.rows[entity])
        write_pages(directory / "later" / endpoint, renderer, endpoint, "detailed", ids)
    await ingest(engine, [directory / "later"])


def _positions(database: Dump, changes: dict[int, int]) -> Dump:
    out = dict(database)
    out["docking_event"] = sorted(
        ((*r[:-2], changes.get(r[0], r[-2]), r[-1]) for r in database["docking_event"]), key=repr
    )
    return out


async def test_rows_the_pages_cannot_show_come_back_through_the_supplement(
    backend: str, new_database: Callable[..., str], tmp_path: Path
) -> None:
    original = create_engine(new_database(backend))
    await _with_history(original, tmp_path)
    before = await dump(original)
    restored, result = await copy_through_export(original, new_database(backend), tmp_path / "x")
    assert result.losses == [
        Loss(
            "docking_event",
            "70011",
            "position 0 in the docking_events of spacecraft_flight 5001 comes back as 1",
        )
    ]
    assert result.supplement == 6
    assert data(await dump(restored)) == _positions(data(before), {70011: 1})

    # Without the supplement, what it carried is missing.
    main_pages = create_engine(new_database(backend))
    await ingest(main_pages, [tmp_path / "x" / endpoint for endpoint in ENDPOINTS])
    async with main_pages.connect() as conn:
        partial = await load_graph(conn)
    assert {
        "image 9001": 9001 in partial.rows["image"],
        "variant 90010": 90010 in partial.rows["image_variant"],
        "location 15": 15 in partial.rows["location"],
        "crew place 60003": 60003 in partial.rows["astronaut_flight"],
        "Earth's launches": partial.rows["celestial_body"][1]["total_attempted_launches"],
    } == {
        "image 9001": False,
        "variant 90010": False,
        "location 15": False,
        "crew place 60003": False,
        "Earth's launches": None,
    }
    for engine in (original, restored, main_pages):
        await engine.dispose()


async def test_the_supplement_is_read_first(tmp_path: Path, bundled_engine: AsyncEngine) -> None:
    (tmp_path / "src").mkdir()
    later = tmp_path / "src" / "flight.json"
    async with bundled_engine.connect() as conn:
        graph = await load_graph(conn)
    flight = Renderer(graph).render("spacecraft_flight", 358, "SpacecraftFlightDetailed")
    flight["launch_crew"][0] = flight["launch_crew"][0] | {"id": 777}
    later.write_text(json.dumps(flight))
    await ingest(bundled_engine, [later])  # the old crew place 2993 is left behind
    result = await export(bundled_engine, tmp_path / "x")
    assert result.supplement == 1
    names = sorted(str(p) for p in (tmp_path / "x").rglob("*.json"))
    assert names[0] == str(tmp_path / "x" / SUPPLEMENT / "spacecraft_flights" / "page-00001.json")
    stand_in = json.loads(Path(names[0]).read_text())["results"]
    assert stand_in == [
        {
            "id": 358,
            "url": f"{BASE}/spacecraft_flights/358/",
            "launch_crew": [{"id": 2993, "role": {"id": 2}, "astronaut": {"id": 84}}],
        }
    ]
