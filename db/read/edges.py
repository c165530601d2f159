"""Reverse edges: connections from an object to the objects that point at it.

LL2 shows some of these as lists on its detailed endpoints; the graph offers each as a full
connection (filter, search, order, cursors) on the parent.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.read.rows import Pairs, pairs_through, pairs_via_many, pairs_via_ref


@dataclass(frozen=True)
class Edge:
    parent: str
    key: str
    doc: str
    pairs: Pairs

    @property
    def child(self) -> str:
        return self.pairs.child_entity

    @property
    def name(self) -> str:
        return f"{self.parent}.{self.key}"


EDGES: tuple[Edge, ...] = (
    Edge(
        "agency",
        "spacecraft_configurations",
        "Spacecraft configurations of the agency.",
        pairs_via_ref("spacecraft_configuration", "agency"),
    ),
    Edge(
        "agency",
        "manufactured_families",
        "Spacecraft families the agency manufactures.",
        pairs_via_ref("spacecraft_family", "manufacturer"),
    ),
    Edge(
        "spacecraft_configuration",
        "spacecraft",
        "Spacecraft built to this configuration.",
        pairs_via_ref("spacecraft", "spacecraft_config"),
    ),
    Edge(
        "spacecraft_family",
        "configurations",
        "Configurations in the family.",
        pairs_via_many("spacecraft_configuration", "family"),
    ),
    Edge(
        "spacecraft_family",
        "children",
        "Families whose parent is this family.",
        pairs_via_ref("spacecraft_family", "parent"),
    ),
    Edge(
        "spacecraft",
        "flights",
        "Flights of the spacecraft.",
        pairs_via_ref("spacecraft_flight", "spacecraft"),
    ),
    Edge(
        "astronaut",
        "flights",
        "Flights the astronaut was in a crew of (launch, onboard or landing).",
        pairs_through(
            "spacecraft_flight",
            ("launch_crew", "onboard_crew", "landing_crew"),
            "astronaut_flight",
            "astronaut",
        ),
    ),
    Edge(
        "launch",
        "spacecraft_flights",
        "Spacecraft flights that this launch started.",
        pairs_via_ref("spacecraft_flight", "launch"),
    ),
)


def edges_of(parent: str) -> tuple[Edge, ...]:
    return tuple(e for e in EDGES if e.parent == parent)
