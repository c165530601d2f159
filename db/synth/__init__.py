"""Synthetic LL2 data at any scale, for benchmarks and scale tests.

    synthetic = synthesize(spacecraft=100_000, flights=100_000, seed=1)
    written = write_pages(synthetic, Path("var/synth"))  # spacecraft-gateway ingest var/synth

A seeded `Builder` invents a `Graph` of rows with LL2's shapes of data (configurations shared by
many spacecraft, families within families, agencies with countries, durations from minutes to
years, crews and docking events, names that repeat, some non-ASCII), and `db.render.Renderer`
writes it as LL2 list pages: spacecraft in `normal` mode, flights in `normal` mode but a tenth in
`detailed` mode, and every agency, family and configuration in `detailed` mode. The same seed
gives byte-identical files.

At a million spacecraft, pages are too slow to write and import: `load.load_world` writes the
same world (`world`, built in segments) straight into an empty database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db.graph import Graph
from db.synth.builder import Builder
from db.synth.crews import add_astronauts, finish_astronauts
from db.synth.fleet import add_fleet
from db.synth.flights import add_flights
from db.synth.pages import Listing, Written, write_listings
from db.synth.world import foundation

__all__ = ["SynthError", "Synthetic", "Written", "synth", "synthesize", "write_pages"]


class SynthError(ValueError):
    """Synth was asked for something it cannot make, or to write where it must not."""


@dataclass(frozen=True)
class Synthetic:
    graph: Graph
    listings: list[Listing]


def synthesize(*, spacecraft: int, flights: int, seed: int) -> Synthetic:
    if spacecraft < 0 or flights < 0:
        raise SynthError("the numbers of spacecraft and flights cannot be negative")
    if flights and not spacecraft:
        raise SynthError("flights need at least one spacecraft to fly")
    b = Builder(seed)
    agencies, places, launchers = foundation(b, spacecraft)
    fleet = add_fleet(
        b,
        spacecraft=spacecraft,
        agencies=agencies.ids,
        launchers=launchers.configs,
        programs=launchers.programs,
    )
    crews = add_astronauts(b, max(40, flights // 25), agencies.real)
    flown = add_flights(
        b, count=flights, fleet=fleet, places=places, launchers=launchers, crews=crews
    )
    finish_astronauts(b, crews)
    detailed = set(flown.detailed)
    listings = [
        Listing("agencies", "detailed", sorted(b.rows("agency"))),
        Listing("spacecraft_configuration_families", "detailed", fleet.families),
        Listing("spacecraft_configurations", "detailed", fleet.configs),
        Listing("spacecraft", "normal", fleet.spacecraft),
        Listing("spacecraft_flights", "normal", [f for f in flown.flown if f not in detailed]),
        Listing("spacecraft_flights", "detailed", flown.detailed),
    ]
    return Synthetic(b.graph, listings)


def write_pages(synthetic: Synthetic, out: Path) -> Written:
    """Write the pages into `out`, which must be new or empty (no stale pages mixed in)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SynthError(f"{out} is not an empty directory; synth writes into a new one")
    out.mkdir(parents=True, exist_ok=True)
    return write_listings(synthetic.graph, synthetic.listings, out)


def synth(out: Path, *, spacecraft: int, flights: int, seed: int) -> Written:
    return write_pages(synthesize(spacecraft=spacecraft, flights=flights, seed=seed), out)
