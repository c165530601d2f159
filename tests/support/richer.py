"""A richer LL2 dataset than the samples, grown from them, for round trips of export and ingest.

The samples leave much of the graph empty: no docking events, image variants, social media,
agency launcher lists, family parents, onboard crews, mission links or unknown keys. This adds
objects that fill every kind of edge, with the values that are easy to lose (Unicode text,
5.972168e+24, microsecond durations and times, nulls, unknown keys holding nested JSON), and
writes them as LL2 pages in the modes LL2 uses, for `ingest` to read.

    write_richer(tmp_path / "dump", spacecraft=240, flights=12)
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from db.export.pages import write_pages
from db.graph import Graph
from db.ingest.records import RecordSet
from db.render import Renderer
from tests.support.data import sample_documents

_LAUNCHES = uuid.UUID("6f1c1d2e-0000-4000-8000-000000000000")
_NAMES = ["Союз МС-{}", "Dragon Émeraude {}", "神舟{}", "Ørbiter {}", "crew dragon {}", "Zeta {}"]
_EXTRA = {"nickname": "Ласточка", "ratings": {"stars": [5, 4.5, None], "note": "très bien"}}


def sample_graph() -> Graph:
    """The bundled samples as rows, the way `ingest` reads them, without a database."""
    records = RecordSet()
    for doc in sample_documents():
        records.add_document(doc)
    return Graph(rows=records.rows, links=records.links)


class _Grower:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def add(self, entity: str, ident: Any, **columns: Any) -> Any:
        self.graph.rows[entity][ident] = columns
        return ident

    def clone(self, entity: str, source: Any, ident: Any, **changes: Any) -> Any:
        return self.add(entity, ident, **(copy.deepcopy(self.graph.rows[entity][source]) | changes))

    def link(self, entity: str, key: str, owner: Any, targets: list[Any]) -> None:
        self.graph.links[(entity, key)][owner] = targets


def _images(g: _Grower) -> None:
    g.add("image_variant_type", 1, name="Thumbnail")
    g.add("image_variant_type", 2, name="WebP")
    for image, count in ((25, 3), (1862, 2), (2040, 1)):
        for position in range(count):
            g.add(
                "image_variant",
                image * 10 + position,
                type_id=1 + position % 2,
                image_url=f"https://example.org/variants/{image}/{position}.webp",
                image_id=image,
                position=position,
                extra={"width": 320 * (position + 1)} if position == 1 else None,
            )
    g.add(
        "image",
        9001,
        name="Logo of X",
        image_url="https://example.org/x.png",
        thumbnail_url="https://example.org/x_thumb.png",
        credit="© Société X",
        license_id=1,
        single_use=False,
    )
    g.add(
        "image_variant",
        90010,
        type_id=2,
        image_url="https://example.org/x.webp",
        image_id=9001,
        position=0,
    )


def _agencies(g: _Grower) -> None:
    g.add("social_media", 1, name="X", url="https://x.com", logo_id=9001)
    g.add("social_media", 2, name="YouTube", url=None, logo_id=None)
    g.add("social_media_link", 11, social_media_id=1, url="https://x.com/roscosmos")
    g.add("social_media_link", 12, social_media_id=2, url="https://youtube.com/@роскосмос")
    g.link("agency", "social_media_links", 63, [12, 11])
    g.link("agency", "country", 63, [5, 44])
    rows = g.graph.rows["agency"]
    rows[63].update(
        featured=True,
        description="Госкорпорация «Роскосмос»",
        founding_year=1992,
        parent=None,
        image_id=25,
        total_launch_count=1800,
        failed_landings_payload=0,
        wiki_url="https://ru.wikipedia.org/wiki/Роскосмос",
        extra=_EXTRA,
    )
    g.add("launcher_family", 121, name="R-7", parent_id=None, active=False)
    g.graph.rows["launcher_family"][122].update(
        parent_id=121, description="Vostok rockets", maiden_flight=dt.date(1958, 5, 15)
    )
    g.link("launcher_family", "manufacturer", 122, [63, 66])
    g.link("launcher_family", "manufacturer", 121, [66])
    g.add("program_type", 3, name="Human spaceflight")
    g.add(
        "mission_patch",
        71,
        name="Vostok patch",
        priority=10,
        image_url="https://example.org/patch.png",
        agency_id=66,
    )
    g.link("program", "mission_patches", 9, [71])
    g.graph.rows["launcher_configuration"][103].update(
        active=False,
        reusable=False,
        description="Вариант ракеты-носителя «Восток»",
        length=30.84,
        diameter=2.95,
        maiden_flight=dt.date(1960, 12, 22),
        launch_mass=287.0,
        leo_capacity=4730.0,
        to_thrust=3883.4,
        fastest_turnaround=86_400_000_123,
        manufacturer_id=63,
    )
    g.link("launcher_configuration", "program", 103, [9])
    g.clone(
        "launcher_configuration",
        103,
        104,
        name="Vostok-2",
        full_name="Vostok-2M",
        variant="2M",
        manufacturer_id=63,
        extra={"stages": [{"n": 1}, {"n": 2}]},
    )
    g.link("launcher_configuration", "families", 104, [122])


def _families(g: _Grower) -> None:
    rows = g.graph.rows["spacecraft_family"]
    rows[7]["parent_id"] = 6
    rows[2]["parent_id"] = 1
    g.add(
        "spacecraft_family",
        50,
        name="Союз-Т",
        description="Транспортный",
        manufacturer_id=63,
        parent_id=1,
        maiden_flight=dt.date(1976, 11, 29),
        spacecraft_flown=15,
        total_launch_count=15,
        extra={"aliases": ["Soyuz-T", "7K-ST"]},
    )
    g.link("spacecraft_configuration", "family", 2, [1, 50])


def _spacecraft(g: _Grower, count: int) -> list[int]:
    sources = sorted(g.graph.rows["spacecraft"])
    made = []
    for i in range(count):
        ident = 10_000 + i
        changes: dict[str, Any] = {
            "name": _NAMES[i % len(_NAMES)].format(i),
            "serial_number": None if i % 7 == 0 else f"SN-{i:04d}",
            "time_in_space": i * 1_000_003 + (i % 3) * 86_400_000_000,
            "time_docked": None if i % 5 == 0 else i * 61_000_000,
            "in_space": i % 4 == 0,
        }
        if i % 9 == 0:
            changes["extra"] = _EXTRA | {"index": i}
        made.append(g.clone("spacecraft", sources[i % len(sources)], ident, **changes))
    return made


def _docking(g: _Grower) -> None:
    g.add("space_station_status", 1, name="Active")
    g.add("space_station_type", 1, name="Government")
    g.add(
        "space_station",
        4,
        name="International Space Station",
        image_id=2040,
        status_id=1,
        founded=dt.date(1998, 11, 20),
        deorbited=None,
        description="ISS",
        orbit="Low Earth Orbit",
        type_id=1,
    )
    g.add("payload_type", 1, name="Satellite")
    g.add(
        "payload",
        300,
        name="Спутник",
        type_id=1,
        manufacturer_id=63,
        operator_id=66,
        image_id=None,
        cost=1_000_000,
        mass=83.6,
    )
    g.link("payload", "program", 300, [9])
    g.add("docking_location", 1, name="Zvezda aft", spacestation_id=4)
    g.add("docking_location", 2, name="Forward port", spacecraft_id=2)
    g.add("docking_location", 3, name="Payload adapter", payload_id=300)


def _flights(g: _Grower, count: int, spacecraft: list[int]) -> None:
    source_launch = next(iter(g.graph.rows["launch"]))
    g.graph.rows["mission"][159].update(
        info_urls=[
            {
                "priority": 10,
                "source": "wikipedia",
                "title": "Восток-5",
                "description": None,
                "feature_image": None,
                "url": "https://ru.wikipedia.org/wiki/Восток-5",
                "type": {"id": 1, "name": "Wikipedia"},
                "language": {"id": 2, "name": "Russian", "code": "ru"},
            }
        ],
        vid_urls=[],
    )
    launches = []
    for i in range(count):
        launch = str(uuid.uuid5(_LAUNCHES, f"launch-{i}"))
        start = dt.datetime(1990, 1, 1) + dt.timedelta(days=37 * i % 20_000, microseconds=i * 1001)
        launches.append(
            g.clone(
                "launch",
                source_launch,
                launch,
                name=f"Союз | Flight {i}",
                slug=f"soyuz-flight-{i}",
                net=start,
                window_start=start,
                window_end=start + dt.timedelta(hours=2),
                probability=None if i % 2 else 90,
            )
        )
        g.link("launch", "program", launch, [9] if i % 3 else [])
    g.add("payload_flight", 400, destination="LEO", amount=1, payload_id=300, launch_id=launches[0])
    for i in range(count):
        ident = 5_000 + i
        g.clone(
            "spacecraft_flight",
            358,
            ident,
            spacecraft_id=spacecraft[i % len(spacecraft)],
            launch_id=launches[i],
            landing_id=None if i % 4 == 3 else 1072,
            duration=None if i % 5 == 4 else 3_600_000_000 * (i + 1) + 17,
            turn_around_time=0 if i == 0 else None,
            destination="ISS" if i % 2 else "Low Earth Orbit",
        )
        g.clone("astronaut_flight", 2993, 60_000 + 3 * i)
        g.clone("astronaut_flight", 779, 60_000 + 3 * i + 1)
        g.add("astronaut_flight", 60_000 + 3 * i + 2, role_id=2, astronaut_id=84)
        g.link("spacecraft_flight", "launch_crew", ident, [60_000 + 3 * i, 60_000 + 3 * i + 2])
        g.link("spacecraft_flight", "onboard_crew", ident, [60_000 + 3 * i + 2] if i % 2 else [])
        g.link("spacecraft_flight", "landing_crew", ident, [60_000 + 3 * i + 1])
        for position in range(i % 3 + 1):
            docked = dt.datetime(1990, 2, 1, 12, 0, 0, 500_000) + dt.timedelta(days=37 * i % 20_000)
            targets: dict[str, Any] = [
                {"space_station_target_id": 4, "docking_location_id": 1},
                {"flight_vehicle_target_id": 5_000 + (i + 1) % count, "docking_location_id": 2},
                {"payload_flight_target_id": 400, "docking_location_id": 3},
            ][position]
            g.add(
                "docking_event",
                70_000 + 10 * i + position,
                docking=docked + dt.timedelta(hours=position),
                departure=None if position == 2 else docked + dt.timedelta(days=3 + position),
                flight_vehicle_chaser_id=ident,
                position=position,
                extra={"port": "Звезда"} if position == 1 else None,
                **targets,
            )


def richer_graph(*, spacecraft: int = 240, flights: int = 12) -> Graph:
    g = _Grower(sample_graph())
    _images(g)
    _agencies(g)
    _families(g)
    made = _spacecraft(g, spacecraft)
    _docking(g)
    _flights(g, flights, made)
    return g.graph


def write_richer(directory: Path, *, spacecraft: int = 240, flights: int = 12) -> Path:
    """LL2 pages of `richer_graph`: agencies, families and flights detailed, spacecraft in both."""
    graph = richer_graph(spacecraft=spacecraft, flights=flights)
    renderer = Renderer(graph)
    ids = {entity: sorted(rows) for entity, rows in graph.rows.items()}
    write_pages(directory / "1-agencies", renderer, "agencies", "detailed", ids["agency"])
    families = ids["spacecraft_family"]
    write_pages(
        directory / "2-families",
        renderer,
        "spacecraft_configuration_families",
        "detailed",
        families,
    )
    configs = ids["spacecraft_configuration"]
    write_pages(directory / "3-configs", renderer, "spacecraft_configurations", "normal", configs)
    crafts = ids["spacecraft"]
    write_pages(directory / "4-spacecraft-normal", renderer, "spacecraft", "normal", crafts[::2])
    write_pages(directory / "5-spacecraft", renderer, "spacecraft", "detailed", crafts[1::2])
    flights_ = ids["spacecraft_flight"]
    write_pages(directory / "6-flights", renderer, "spacecraft_flights", "detailed", flights_)
    return directory
