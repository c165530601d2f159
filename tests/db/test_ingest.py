"""The importer: round trip of the samples, merging by richness, idempotency, atomicity, errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.graph import load_graph
from db.ingest import IngestError, ingest
from db.render import Renderer
from db.state import read_state
from tests.support.data import dump, sample_documents, sample_flight, write_json

# The prod and dev samples give these images with different hosts; the later file's is kept.
IMAGES_FROM_TWO_HOSTS = {1921, 1924, 1926, 1930}


def _without_meta(value: Any, *, images: dict[int, dict[str, Any]] | None = None) -> Any:
    """LL2 JSON minus response_mode and LL2's own url links; host-dependent image URLs blanked."""
    if isinstance(value, list):
        return [_without_meta(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _without_meta(v) for k, v in value.items() if k not in ("response_mode", "url")}
    if out.get("id") in IMAGES_FROM_TWO_HOSTS and "image_url" in out and "license" in out:
        out["image_url"] = out["thumbnail_url"] = "<host-dependent>"
    return out


async def _renderer(engine: AsyncEngine) -> Renderer:
    async with engine.connect() as conn:
        return Renderer(await load_graph(conn))


async def test_every_sample_object_renders_back_as_ll2_wrote_it(
    bundled_engine: AsyncEngine,
) -> None:
    renderer = await _renderer(bundled_engine)
    checked = 0
    for doc in sample_documents():
        if doc.endpoint == "spacecraft":
            for obj in doc.payload["results"]:
                rendered = renderer.render("spacecraft", obj["id"], "SpacecraftNormal")
                assert _without_meta(rendered) == _without_meta(obj)
                checked += 1
        else:
            rendered = renderer.render(
                "spacecraft_flight", doc.payload["id"], "SpacecraftFlightDetailed"
            )
            assert _without_meta(rendered) == _without_meta(doc.payload)
            checked += 1
    assert checked == 31


async def test_durations_come_back_as_identical_strings(bundled_engine: AsyncEngine) -> None:
    renderer = await _renderer(bundled_engine)
    flight = renderer.render("spacecraft_flight", 358, "SpacecraftFlightDetailed")
    assert flight["duration"] == "P4DT23H7M2S"
    assert flight["spacecraft"]["time_docked"] == "P0D"
    assert flight["launch"]["pad"]["fastest_turnaround"] == "PT23H32M33S"
    assert flight["launch_crew"][0]["astronaut"]["eva_time"] == "P0D"
    assert flight["launch"]["pad"]["location"]["celestial_body"]["length_of_day"] == "1 00:00:00"
    assert renderer.render("spacecraft", 515, "SpacecraftNormal")["time_in_space"] == "PT11M53S"


def _agency_detailed() -> dict[str, Any]:
    agency = copy.deepcopy(sample_flight()["spacecraft"]["spacecraft_config"]["agency"])
    agency.update(
        response_mode="detailed",
        total_launch_count=1800,
        successful_launches=1700,
        failed_launches=100,
        info_url=None,
        wiki_url="https://en.wikipedia.org/wiki/Roscosmos",
        social_media_links=[],
    )
    return agency


def _agency_list_mode() -> dict[str, Any]:
    detailed = _agency_detailed()
    return {k: detailed[k] for k in ("id", "url", "name", "abbrev", "type")} | {
        "response_mode": "list"
    }


def _page(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": len(results), "next": None, "previous": None, "results": results}


AGENCY_URL = "https://ll.thespacedevs.com/2.3.0/agencies/"


@pytest.mark.parametrize(
    "order",
    [
        pytest.param(("list", "detailed"), id="list-then-detailed"),
        pytest.param(("detailed", "list"), id="detailed-then-list"),
    ],
)
async def test_a_poorer_copy_never_erases_a_richer_one(
    engine: AsyncEngine, tmp_path: Path, order: tuple[str, str]
) -> None:
    copies = {"list": _agency_list_mode(), "detailed": _agency_detailed()}
    for i, mode in enumerate(order):
        page = _page([copies[mode]]) | {"next": f"{AGENCY_URL}?limit=1&offset=1"}
        write_json(tmp_path / f"{i}_{mode}.json", page)
    await ingest(engine, [tmp_path])
    renderer = await _renderer(engine)
    assert _without_meta(renderer.render("agency", 63, "AgencyDetailed")) == _without_meta(
        _agency_detailed()
    ) | {
        key: None
        for key in (
            "consecutive_successful_launches",
            "pending_launches",
            "consecutive_successful_landings",
            "successful_landings",
            "failed_landings",
            "attempted_landings",
            "successful_landings_spacecraft",
            "failed_landings_spacecraft",
            "attempted_landings_spacecraft",
            "successful_landings_payload",
            "failed_landings_payload",
            "attempted_landings_payload",
        )
    }


async def test_a_later_file_wins_for_fields_it_has(engine: AsyncEngine, tmp_path: Path) -> None:
    first = _agency_detailed()
    second = _agency_list_mode() | {"name": "Roscosmos"}
    write_json(tmp_path / "a.json", _page([first]) | {"next": f"{AGENCY_URL}?offset=1"})
    write_json(tmp_path / "b.json", _page([second]) | {"next": f"{AGENCY_URL}?offset=1"})
    await ingest(engine, [tmp_path])
    agency = (await _renderer(engine)).render("agency", 63, "AgencyDetailed")
    assert (agency["name"], agency["description"]) == ("Roscosmos", first["description"])


async def test_importing_the_same_files_again_changes_nothing(bundled_engine: AsyncEngine) -> None:
    from db.dataset import bundled_files

    before = await dump(bundled_engine)
    result = await ingest(bundled_engine, bundled_files())
    assert not result.changes.any
    assert result.version is None
    assert result.changes.counts()["spacecraft"] == (0, 0, 31)
    assert await dump(bundled_engine) == before


async def test_a_change_bumps_the_version_and_counts_updates(
    bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    async with bundled_engine.connect() as conn:
        before = await read_state(conn)
    flight = sample_flight()
    flight["destination"] = "Elsewhere"
    write_json(tmp_path / "flight.json", flight)
    result = await ingest(bundled_engine, [tmp_path])
    async with bundled_engine.connect() as conn:
        after = await read_state(conn)
    assert before is not None and after is not None
    assert (after.version, after.source) == (before.version + 1, "import")
    assert result.changes.counts()["spacecraft_flight"] == (0, 1, 0)


async def test_a_corrupt_file_in_a_directory_leaves_the_database_unchanged(
    bundled_engine: AsyncEngine, tmp_path: Path
) -> None:
    before = await dump(bundled_engine)
    changed = sample_flight() | {"destination": "Elsewhere"}
    write_json(tmp_path / "a.json", changed)
    (tmp_path / "b.json").write_text('{"id": 1, "spacecraft": ')
    write_json(tmp_path / "c.json", changed)
    with pytest.raises(IngestError) as raised:
        await ingest(bundled_engine, [tmp_path])
    assert raised.value.file == str(tmp_path / "b.json")
    assert await dump(bundled_engine) == before


def _bad_flight(mutate: Any) -> dict[str, Any]:
    flight = sample_flight()
    mutate(flight)
    return flight


BAD_INPUTS = [
    pytest.param(
        lambda f: f["spacecraft"]["spacecraft_config"]["agency"].pop("id"),
        "spacecraft.spacecraft_config.agency.id",
        "missing id (every agency has one)",
        id="missing-id",
    ),
    pytest.param(
        lambda f: f["spacecraft"].update(flights_count="one"),
        "spacecraft.flights_count",
        "expected an integer, got a string 'one'",
        id="wrong-type-integer",
    ),
    pytest.param(
        lambda f: f.update(duration="four days"),
        "duration",
        "expected an ISO 8601 duration, got a string 'four days'",
        id="wrong-type-duration",
    ),
    pytest.param(
        lambda f: f["launch_crew"][0]["astronaut"].update(date_of_birth="02/08/1934"),
        "launch_crew[0].astronaut.date_of_birth",
        "expected a date (YYYY-MM-DD), got a string '02/08/1934'",
        id="wrong-type-date",
    ),
    pytest.param(
        lambda f: f["spacecraft"].update(status=None),
        "spacecraft.status",
        "null, but every copy links a spacecraft_status",
        id="null-required-edge",
    ),
    pytest.param(
        lambda f: f["launch"].update(program={"id": 9}),
        "launch.program",
        "expected a list, got an object",
        id="object-for-list",
    ),
    pytest.param(
        lambda f: f["spacecraft"]["spacecraft_config"].update(agency={"id": 999}),
        "spacecraft.spacecraft_config.agency",
        "agency 999 is not in the database, and this copy lacks name, abbrev, type_id, "
        "name_folded, abbrev_folded: a reference to an object never defined",
        id="broken-reference",
    ),
]


@pytest.mark.parametrize(("mutate", "path", "reason"), BAD_INPUTS)
async def test_bad_input_names_the_file_the_path_and_the_reason(
    engine: AsyncEngine, tmp_path: Path, mutate: Any, path: str, reason: str
) -> None:
    file = write_json(tmp_path / "flight.json", _bad_flight(mutate))
    before = await dump(engine)
    with pytest.raises(IngestError) as raised:
        await ingest(engine, [file])
    assert str(raised.value) == f"{file}: {path}: {reason}"
    assert await dump(engine) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(
            '{"count": 1, "results": [',
            "not valid JSON: Expecting value at line 1 column 26",
            id="not-json",
        ),
        pytest.param(
            "GET /2.3.0/spacecraft/\nHTTP 429 Too Many Requests\n\n{}",
            "the saved response is an error: HTTP 429 Too Many Requests",
            id="error-page",
        ),
        pytest.param(
            "hello", "neither JSON nor LL2's browsable-API text (no HTTP status line)", id="not-ll2"
        ),
        pytest.param(
            json.dumps({"results": "x", "next": "https://x/2.3.0/spacecraft/?offset=1"}),
            "results: expected a list of objects",
            id="results-not-a-list",
        ),
    ],
)
async def test_unreadable_files_are_reported_by_name(
    engine: AsyncEngine, tmp_path: Path, content: str, reason: str
) -> None:
    file = tmp_path / "page.txt"
    file.write_text(content)
    with pytest.raises(IngestError) as raised:
        await ingest(engine, [file])
    assert str(raised.value) == f"{file}: {reason}"


async def test_fields_llx_adds_later_are_kept_and_reported_once(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    flight = sample_flight()
    flight["spacecraft"]["spacecraft_config"]["agency"]["nickname"] = "Roskosmos"
    flight["launch"]["launch_service_provider"]["nickname"] = "Soviet"
    file = write_json(tmp_path / "flight.json", flight)
    result = await ingest(engine, [file])
    assert result.warnings() == [
        f"{file}: spacecraft.spacecraft_config.agency.nickname: field 'nickname' of agency is "
        "not in our schema yet; kept as extra"
    ]
    renderer = await _renderer(engine)
    assert renderer.render("agency", 63, "AgencyNormal")["nickname"] == "Roskosmos"
    assert renderer.render("agency", 66, "AgencyMini")["nickname"] == "Soviet"
