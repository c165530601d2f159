"""The importer's fast paths change nothing: the lazy walk that skips repeated copies reads
what a plain walk reads, bulk writes store what row-by-row merging stores, and the SQLite index
rebuild leaves the schema as it was, even when the run fails."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import shutil
from pathlib import Path
from typing import Any

import isodate
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.ingest import IngestError, ingest
from db.ingest.bulk import SqliteBulk
from db.ingest.records import RecordSet
from db.ingest.sources import Document, read_documents
from db.ll2 import values
from db.synth import synth
from tests.conftest import new_database_url
from tests.support.data import dump, sample_flight, write_json
from tests.support.pgserver import PostgresServer

FLIGHTS_URL = "https://ll.thespacedevs.com/2.3.0/spacecraft_flights/"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fast") / "pages"
    synth(out, spacecraft=200, flights=120, seed=11)
    return out


def _state(records: RecordSet) -> dict[str, Any]:
    # repr: NaN differs from itself, and True must not pass for 1.
    return {
        "rows": repr({k: v for k, v in sorted(records.rows.items())}),
        "links": repr({k: v for k, v in sorted(records.links.items())}),
        "origins": records.origins,
        "new_keys": records.new_keys,
        "objects": records.objects,
    }


def _read(documents: list[Document]) -> RecordSet:
    records = RecordSet()
    for doc in documents:
        records.add_document(doc)
    return records


def _plain(documents: list[Document]) -> list[Document]:
    """The same documents as fully decoded payloads, which the importer walks without skipping."""
    return [Document(d.name, d.endpoint, copy.deepcopy(d.payload)) for d in documents]


def _flight_page(flights: list[dict[str, Any]]) -> dict[str, Any]:
    next_url = f"{FLIGHTS_URL}?offset=9"
    return {"count": len(flights), "next": next_url, "previous": None, "results": flights}


def test_the_lazy_walk_reads_what_a_plain_walk_reads(pages: Path) -> None:
    documents = list(read_documents([pages]))
    assert all(d.tree is not None for d in documents)
    assert _state(_read(documents)) == _state(_read(_plain(documents)))


def test_a_copy_met_again_after_a_different_one_still_wins(tmp_path: Path) -> None:
    # The same agency copy many times (so it is remembered), then a copy that renames it, then
    # the first copy again: the last one read must win, as if nothing were skipped.
    flight = sample_flight()
    renamed = copy.deepcopy(flight)
    renamed["id"] = 9001
    renamed["spacecraft"]["spacecraft_config"]["agency"]["name"] = "Roscosmos"
    again = copy.deepcopy(flight)
    again["id"] = 9002
    many = []
    for i in range(5):
        item = copy.deepcopy(flight)
        item["id"] = 8000 + i
        many.append(item)
    write_json(tmp_path / "a.json", _flight_page(many))
    write_json(tmp_path / "b.json", _flight_page([renamed]))
    write_json(tmp_path / "c.json", _flight_page([again]))
    documents = list(read_documents([tmp_path]))
    records = _read(documents)
    assert records.rows["agency"][63]["name"] == "Russian Federal Space Agency (ROSCOSMOS)"
    assert _state(records) == _state(_read(_plain(documents)))


_CONFIG = (
    '{"id": 5, "name": "X", "type": {"id": 2, "name": "Capsule"}, "in_use": true, '
    '"agency": {"id": 1, "name": "A", "abbrev": "A", "type": {"id": 1, "name": "Gov"}}, %s}'
)


@pytest.mark.parametrize(
    ("fields", "height"),
    [
        pytest.param('"height": 1e400', float("inf"), id="beyond-float-range"),
        pytest.param('"height": Infinity', float("inf"), id="infinity"),
        pytest.param('"height": 4.5, "capability": "\\ud800"', 4.5, id="lone-surrogate"),
    ],
)
def test_json_msgspec_refuses_is_read_as_the_standard_library_reads_it(
    tmp_path: Path, fields: str, height: float
) -> None:
    file = tmp_path / "config.json"
    file.write_text(_CONFIG % fields)
    (doc,) = read_documents([file], endpoint="spacecraft_configurations")
    records = _read([doc])
    assert records.rows["spacecraft_configuration"][5]["height"] == height
    assert _state(records) == _state(_read(_plain([doc])))


async def test_merging_into_stored_rows_equals_merging_in_memory(
    pages: Path,
    tmp_path: Path,
    engine: AsyncEngine,
    backend: str,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
) -> None:
    original = shutil.copytree(pages, tmp_path / "1-original")
    changed = tmp_path / "2-changed"
    for path in sorted(original.rglob("*.json")):
        page = json.loads(path.read_bytes())
        for obj in page["results"]:
            if "launch" in obj:
                obj["destination"] = "Elsewhere"
                obj["launch_crew"] = obj.get("launch_crew", [])[::-1]
                obj["spacecraft"]["name"] += " (renamed)"
            elif "spacecraft_config" in obj:
                obj.pop("description")
                obj["serial_number"] = None
        write_json(changed / path.relative_to(original), page)
    # One run over both directories: the second copy of each object merged in memory...
    together = await ingest(engine, [tmp_path])
    # ...and one run each: the second merged into the rows the first stored.
    url = new_database_url(backend, tmp_path, sqlite_template, pg_server, pg_template)
    other = create_engine(url)
    await ingest(other, [original])
    apart = await ingest(other, [changed])
    assert together.changes.counts()["spacecraft_flight"] == (120, 0, 0)
    assert apart.changes.counts()["spacecraft_flight"] == (0, 120, 0)
    assert apart.changes.counts()["spacecraft"][1] > 0
    one, two = await dump(engine), await dump(other)
    await other.dispose()
    assert {k: v for k, v in one.items() if k != "dataset_state"} == {
        k: v for k, v in two.items() if k != "dataset_state"
    }


async def test_an_index_rebuild_leaves_the_schema_and_data_as_row_by_row_inserts_do(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = {}
    for name, threshold in (("rebuilt", 1), ("kept", 10**9)):
        monkeypatch.setattr(SqliteBulk, "rebuild_indexes_at", threshold)
        url = f"sqlite:///{tmp_path / name}.db"
        engine = create_engine(url)
        await ingest(engine, [pages])
        urls[name] = engine
    schemas = {}
    for name, engine in urls.items():
        async with engine.connect() as conn:
            rows = await conn.execute(sa.text("SELECT type, name, sql FROM sqlite_master"))
            schemas[name] = sorted(tuple(r) for r in rows)
    assert schemas["rebuilt"] == schemas["kept"]
    rebuilt, kept = await dump(urls["rebuilt"]), await dump(urls["kept"])
    assert {k: v for k, v in rebuilt.items() if k != "dataset_state"} == {
        k: v for k, v in kept.items() if k != "dataset_state"
    }
    for engine in urls.values():
        await engine.dispose()


async def test_a_failed_run_after_an_index_rebuild_changes_nothing(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SqliteBulk, "rebuild_indexes_at", 1)
    engine = create_engine(f"sqlite:///{tmp_path / 'db.db'}")
    from db import migrate

    await migrate.upgrade(engine)
    async with engine.connect() as conn:
        schema = sorted(
            tuple(r) for r in await conn.execute(sa.text("SELECT * FROM sqlite_master"))
        )
    before = await dump(engine)
    broken = sample_flight()
    broken["launch"]["pad"]["location"] = {"id": 4242}
    bad = write_json(tmp_path / "zz" / "broken.json", broken)
    with pytest.raises(IngestError) as raised:
        await ingest(engine, [pages, bad])
    assert raised.value.path == "launch.pad.location"
    assert await dump(engine) == before
    async with engine.connect() as conn:
        after = sorted(tuple(r) for r in await conn.execute(sa.text("SELECT * FROM sqlite_master")))
    assert after == schema
    await engine.dispose()


def _isodate_micros(text: str) -> int | str:
    try:
        parsed = isodate.parse_duration(text)
    except (isodate.ISO8601Error, ValueError, TypeError):
        return "invalid"
    return parsed // dt.timedelta(microseconds=1) if isinstance(parsed, dt.timedelta) else "years"


def _our_micros(text: str) -> int | str:
    try:
        return values.parse_duration(text)
    except values.InvalidValue as e:
        return "years" if "not years" in str(e) else "invalid"


def test_durations_read_without_isodate_read_as_isodate_reads_them() -> None:
    rng = random.Random(3)
    texts = ["P0D", "PT0S", "PT11M53S", "P182DT9H32M41S", "P", "PT", "P1DT", "P01D", "PT1.5S"]
    texts += ["P1Y", "P2W", "-P1D", "p1d", "P1D ", "P999999DT23H59M59S", "PT99999999999S"]
    for _ in range(5000):
        text = "P" + (f"{rng.randint(0, 9999)}D" if rng.random() < 0.7 else "")
        if rng.random() < 0.7:
            text += "T" + "".join(f"{rng.randint(0, 99)}{u}" for u in "HMS" if rng.random() < 0.6)
        texts.append(text)
    assert [(t, _our_micros(t)) for t in texts] == [(t, _isodate_micros(t)) for t in texts]
