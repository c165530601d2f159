"""The strawberry schema: the query root and the types it reaches."""

from __future__ import annotations

import strawberry

from gateway.types.query import Query
from gateway.types.registry import TYPES


def build_schema() -> strawberry.Schema:
    # Every generated object type is listed, so types reachable only through `node` are served.
    types = [t for t in TYPES.values() if hasattr(t, "__strawberry_definition__")]
    return strawberry.Schema(query=Query, types=types)


schema = build_schema()
