"""synth: deterministic, importable, realistic LL2 pages."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import load_graph
from db.ingest import ingest
from db.ingest.sources import read_documents
from db.ll2.values import parse_duration
from db.render import Renderer
from db.spec import ENDPOINTS
from db.synth import SynthError, synth
from db.tables import ENTITY_TABLES

SPACECRAFT = 300
FLIGHTS = 300
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "pages"
    synth(out, spacecraft=SPACECRAFT, flights=FLIGHTS, seed=7)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.json"))}


def _results(root: Path, endpoint: str, mode: str) -> Iterator[dict[str, Any]]:
    for path in sorted((root / endpoint).glob(f"{mode}-*.json")):
        yield from json.loads(path.read_bytes())["results"]


def _hours(duration: str | None) -> float | None:
    return None if duration is None else parse_duration(duration) / 3.6e9


def test_the_same_seed_writes_byte_identical_pages(pages: Path, tmp_path: Path) -> None:
    synth(tmp_path / "again", spacecraft=SPACECRAFT, flights=FLIGHTS, seed=7)
    assert _files(tmp_path / "again") == _files(pages)


def test_another_seed_writes_other_pages(pages: Path, tmp_path: Path) -> None:
    synth(tmp_path / "other", spacecraft=SPACECRAFT, flights=FLIGHTS, seed=8)
    other = _files(tmp_path / "other")
    assert other.keys() == _files(pages).keys()
    assert [name for name, data in other.items() if data != _files(pages)[name]] == sorted(other)


def test_pages_are_ll2_list_pages_with_ll2_links(pages: Path) -> None:
    assert sorted(str(p.relative_to(pages)) for p in pages.rglob("*.json")) == [
        "agencies/detailed-00000.json",
        "spacecraft/normal-00000.json",
        "spacecraft/normal-00001.json",
        "spacecraft/normal-00002.json",
        "spacecraft_configuration_families/detailed-00000.json",
        "spacecraft_configurations/detailed-00000.json",
        "spacecraft_flights/detailed-00000.json",
        "spacecraft_flights/normal-00000.json",
        "spacecraft_flights/normal-00001.json",
        "spacecraft_flights/normal-00002.json",
    ]
    base = "https://ll.thespacedevs.com/2.3.0/spacecraft"
    first_pages = [
        json.loads((pages / f"spacecraft/normal-0000{i}.json").read_bytes()) for i in range(3)
    ]
    links = [{k: v for k, v in page.items() if k != "results"} for page in first_pages]
    assert links == [
        {"count": 300, "next": f"{base}/?limit=100&mode=normal&offset=100", "previous": None},
        {
            "count": 300,
            "next": f"{base}/?limit=100&mode=normal&offset=200",
            "previous": f"{base}/?limit=100&mode=normal",
        },
        {"count": 300, "next": None, "previous": f"{base}/?limit=100&mode=normal&offset=100"},
    ]
    detailed = json.loads((pages / "spacecraft_flights/detailed-00000.json").read_bytes())
    assert (detailed["count"], len(detailed["results"])) == (FLIGHTS // 10, FLIGHTS // 10)
    assert {r["response_mode"] for r in detailed["results"]} == {"detailed"}
    assert Counter(r["response_mode"] for r in _results(pages, "spacecraft_flights", "normal")) == {
        "normal": FLIGHTS - FLIGHTS // 10
    }


async def test_the_pages_import_cleanly_and_read_back_as_written(
    pages: Path, engine: AsyncEngine
) -> None:
    result = await ingest(engine, [pages])
    counts = result.changes.counts()
    assert counts["spacecraft"] == (SPACECRAFT, 0, 0)
    assert counts["spacecraft_flight"] == (FLIGHTS, 0, 0)
    async with engine.connect() as conn:
        stored = {
            name: (await conn.execute(sa.select(sa.func.count()).select_from(table))).scalar()
            for name, table in ENTITY_TABLES.items()
        }
        renderer = Renderer(await load_graph(conn))
    assert (stored["spacecraft"], stored["spacecraft_flight"]) == (SPACECRAFT, FLIGHTS)
    assert {n: c for n, c in stored.items() if c} == {n: c for n, (c, _, _) in counts.items()}
    # Every object of every page renders back from the database exactly as synth wrote it.
    checked = 0
    for doc in read_documents([pages]):
        mode = doc.payload["results"][0]["response_mode"]
        shape = renderer.shapes.for_endpoint(doc.endpoint, mode)
        for obj in doc.payload["results"]:
            assert renderer.render(ENDPOINTS[doc.endpoint], obj["id"], shape) == obj
            checked += 1
    assert checked == 18 + 6 + 8 + SPACECRAFT + FLIGHTS
    again = await ingest(engine, [pages])
    assert not again.changes.any


def test_the_shapes_are_realistic(pages: Path) -> None:
    spacecraft = list(_results(pages, "spacecraft", "normal"))
    flights = list(_results(pages, "spacecraft_flights", "normal"))
    detailed = list(_results(pages, "spacecraft_flights", "detailed"))
    families = list(_results(pages, "spacecraft_configuration_families", "detailed"))
    agencies = list(_results(pages, "agencies", "detailed"))
    configurations = list(_results(pages, "spacecraft_configurations", "detailed"))

    per_config = Counter(s["spacecraft_config"]["id"] for s in spacecraft)
    assert len(per_config) == len(configurations) == 8
    assert max(per_config.values()) >= 30  # a configuration is shared by many spacecraft
    assert [f["name"] for f in families if f["parent"]]  # families within families
    assert any(f["manufacturer"] for f in families)
    assert all(a["country"] for a in agencies) and {a["type"]["name"] for a in agencies} >= {
        "Government",
        "Commercial",
    }
    assert {s["status"]["name"] for s in spacecraft} >= {"Active", "Single Use", "Destroyed"}
    images = [s["image"] for s in spacecraft if s["image"]]
    assert all(i["license"]["name"] for i in images) and any(i["variants"] for i in images)

    names = Counter(s["name"] for s in spacecraft)
    assert max(names.values()) > 1  # ties for searches and orderings
    assert any(not n.isascii() for n in names)  # Cyrillic or accented Latin
    assert any(not a["name"].isascii() for a in agencies)

    durations = [_hours(f["duration"]) for f in flights + detailed]
    known = [d for d in durations if d is not None]
    assert None in durations  # flights under way or planned
    assert min(known) < 0.5 and max(known) > 365 * 24  # minutes to more than a year
    in_space = [_hours(s["time_in_space"]) for s in spacecraft if s["time_in_space"]]
    assert max(in_space) > 2 * 365 * 24  # reusable spacecraft add up years

    crewed = [f for f in detailed if f["launch_crew"]]
    assert crewed and all(
        m["role"]["role"] and m["astronaut"]["name"] for m in crewed[0]["launch_crew"]
    )
    assert any(f["landing_crew"] for f in detailed) and any(f["onboard_crew"] for f in detailed)
    events = [e for f in detailed for e in f["docking_events"]]
    assert any(e["space_station_target"] for e in events)
    assert any(e["flight_vehicle_target"] for e in events)
    assert any(f["launch_crew"] and f["docking_events"] for f in detailed)

    launch = next(f["launch"] for f in flights if f["launch"]["program"])
    assert launch["pad"]["location"]["country"] and launch["mission"]["orbit"]
    assert launch["rocket"]["configuration"]["families"]
    landed = [f["landing"] for f in flights if f["landing"]]
    assert {ld["type"]["name"] for ld in landed} >= {"Parachute Landing", "Ocean Splashdown"}
    nets = [dt.datetime.fromisoformat(f["launch"]["net"]) for f in flights]
    assert min(nets).year < 1990 and max(nets) > dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def test_synth_refuses_a_directory_with_files(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text("{}")
    with pytest.raises(SynthError) as raised:
        synth(tmp_path, spacecraft=1, flights=1, seed=1)
    assert str(raised.value) == f"{tmp_path} is not an empty directory; synth writes into a new one"


def _cli(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_the_cli_synthesizes_pages_that_ingest_imports(database_url: str, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    made = _cli("synth", "--spacecraft", "120", "--flights", "80", "--seed", "3", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("wrote 7 files (")
    assert made.stdout.rstrip().endswith(
        "MB): 18 agencies/detailed, 6 spacecraft_configuration_families/detailed, "
        "8 spacecraft_configurations/detailed, 120 spacecraft/normal, "
        "72 spacecraft_flights/normal, 8 spacecraft_flights/detailed"
    )
    imported = _cli("ingest", str(out), database_url=database_url)
    assert imported.returncode == 0, imported.stderr
    summary = imported.stdout.strip()
    assert summary.startswith("imported 7 files, ")
    assert ", spacecraft 120/0/0," in summary and ", spacecraft_flight 80/0/0," in summary

    again = _cli("synth", "--spacecraft", "1", "--flights", "1", "--out", str(out))
    assert (again.returncode, again.stdout) == (1, "")
    assert (
        again.stderr
        == f"synth failed: {out} is not an empty directory; synth writes into a new one\n"
    )
