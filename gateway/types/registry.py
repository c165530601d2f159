"""Every generated GraphQL type by name, so types can point at each other before all exist.

Strawberry resolves `Annotated["Spacecraft", strawberry.lazy("gateway.types.registry")]` by
reading this module's attributes when the schema is built, which lets mutually recursive types
(a spacecraft's flights, a flight's spacecraft) be generated in any order.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

TYPES: dict[str, Any] = {}


def register(cls: Any, name: str | None = None) -> Any:
    key = name or cls.__name__
    if key in TYPES:
        raise ValueError(f"GraphQL type {key} is defined twice")
    TYPES[key] = cls
    globals()[key] = cls
    return cls


def lazy(name: str) -> Any:
    """An annotation naming a registered type, resolved when the schema is built."""
    return Annotated[name, strawberry.lazy("gateway.types.registry")]


def get(name: str) -> Any:
    return TYPES[name]
