"""A synthetic world built in segments, so a million spacecraft never sit in memory at once.

    for part in world(spacecraft=1_000_000, flights=1_000_000, seed=1):
        write(part)  # then drop it

`synthesize` keeps the whole graph, which it needs to render pages; loading straight into a
database (`db.synth.load`) does not. The shared part (lookups, agencies, places, launchers,
families, configurations, astronauts) is built once for the whole world and kept. Then each
segment of up to `SEGMENT` spacecraft and flights adds its spacecraft and their flights and is
handed out and forgotten: every row it made except those of `KEPT` entities, whose records
(launch counts, times in space) keep changing with later segments and come out last, with the
rest of the shared part.

With one segment (up to `SEGMENT` of each) the parts add up to exactly `synthesize`'s graph,
random draws included. With more, a spacecraft only flies flights of its own segment, and LL2's
running launch counters count the launches of one segment.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from db.graph import Graph
from db.synth.agencies import Agencies, add_agencies
from db.synth.builder import Builder
from db.synth.crews import Crews, add_astronauts, finish_astronauts
from db.synth.fleet import add_models, add_spacecraft
from db.synth.flights import add_flights
from db.synth.launchers import Launchers, add_launchers
from db.synth.lookups import add_lookups
from db.synth.places import Places, add_places
from db.synth.records import Tally

SEGMENT = 100_000

# Entities whose rows later segments change; handed out once, at the end.
KEPT = frozenset({"spacecraft_configuration", "spacecraft_family", "astronaut"})


def segments(spacecraft: int, flights: int, size: int = SEGMENT) -> list[tuple[int, int]]:
    """(spacecraft, flights) of each segment: as even as possible, each at most `size`."""
    from db.synth import SynthError

    if spacecraft < 0 or flights < 0:
        raise SynthError("the numbers of spacecraft and flights cannot be negative")
    if flights and not spacecraft:
        raise SynthError("flights need at least one spacecraft to fly")
    count = max(1, -(-spacecraft // size), -(-flights // size))
    cut = [spacecraft * (i + 1) // count - spacecraft * i // count for i in range(count)]
    flown = [flights * (i + 1) // count - flights * i // count for i in range(count)]
    if any(f and not s for s, f in zip(cut, flown, strict=True)):
        raise SynthError(f"{flights} flights in {count} segments need at least {count} spacecraft")
    return list(zip(cut, flown, strict=True))


def foundation(b: Builder, spacecraft: int) -> tuple[Agencies, Places, Launchers]:
    """What `synthesize` and `world` both make first, in this order: the same seed then draws
    the same world on either way."""
    add_lookups(b)
    agencies = add_agencies(b, max(spacecraft // 500, 1))
    places = add_places(b, agencies.ids)
    return agencies, places, add_launchers(b, agencies.ids)


def world(*, spacecraft: int, flights: int, seed: int, size: int = SEGMENT) -> Iterator[Graph]:
    """The parts of the world `synthesize(spacecraft=..., flights=..., seed=...)` would make
    (the same one, up to `size` of each); each part's rows are in no other part."""
    plan = segments(spacecraft, flights, size)
    b = Builder(seed)
    agencies, places, launchers = foundation(b, spacecraft)
    fleet = add_models(
        b,
        spacecraft=spacecraft,
        agencies=agencies.ids,
        launchers=launchers.configs,
        programs=launchers.programs,
    )
    tally = Tally()
    crews: Crews | None = None
    first = 1
    for count, flown in plan:
        mark = {name: len(rows) for name, rows in b.graph.rows.items()}
        fleet.spacecraft, fleet.config_of = [], {}
        add_spacecraft(b, fleet, count)
        if crews is None:
            # Where `synthesize` makes them: after the spacecraft, before the flights.
            crews = add_astronauts(b, max(40, flights // 25), agencies.real)
        add_flights(
            b,
            count=flown,
            fleet=fleet,
            places=places,
            launchers=launchers,
            crews=crews,
            first=first,
            tally=tally,
        )
        first += flown
        yield _take_new(b.graph, mark)
    assert crews is not None
    finish_astronauts(b, crews)
    yield b.graph


def _take_new(graph: Graph, mark: dict[str, int]) -> Graph:
    """Move the rows made since `mark` (row counts per entity), and their links, out of `graph`."""
    part = Graph()
    for name, rows in graph.rows.items():
        start = mark.get(name, 0)
        if name in KEPT or len(rows) == start:
            continue
        new = list(islice(rows, start, None))
        part.rows[name] = {ident: rows.pop(ident) for ident in new}
    for (owner, key), lists in graph.links.items():
        owned: dict[Any, Any] = part.rows.get(owner, {})
        if owned:
            moved = {o: lists.pop(o) for o in [o for o in lists if o in owned]}
            if moved:
                part.links[(owner, key)] = moved
    return part
