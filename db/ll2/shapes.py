"""LL2's object shapes (which keys each mode writes, nesting which shapes), from shapes.json.

shapes.json is extracted from LL2's OpenAPI description by scripts/extract_shapes.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

ShapeKind = Literal["scalar", "object", "list"]


@dataclass(frozen=True)
class ShapeField:
    key: str
    kind: ShapeKind
    target: str | None


@dataclass(frozen=True)
class Shape:
    name: str
    entity: str
    fields: tuple[ShapeField, ...]


@dataclass(frozen=True)
class Shapes:
    shapes: dict[str, Shape]
    endpoints: dict[str, dict[str, str]]

    def for_endpoint(self, endpoint: str, mode: str) -> Shape:
        return self.shapes[self.endpoints[endpoint][mode]]

    def richest(self, endpoint: str) -> Shape:
        modes = self.endpoints[endpoint]
        return self.shapes[modes.get("detailed") or modes["normal"]]


@cache
def load() -> Shapes:
    raw = json.loads(resources.files("db.ll2").joinpath("shapes.json").read_text())
    shapes = {
        name: Shape(name, s["entity"], tuple(ShapeField(k, kind, t) for k, kind, t in s["fields"]))
        for name, s in raw["shapes"].items()
    }
    return Shapes(shapes=shapes, endpoints=raw["endpoints"])
