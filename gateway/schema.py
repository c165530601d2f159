"""The strawberry schema: the query root and the types it reaches."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from gateway.caching.documents import CachedParsing, CachedValidation
from gateway.extensions.sql_stats import SqlStats
from gateway.types.query import Query
from gateway.types.registry import TYPES
from gateway.types.scalars import SCALAR_MAP


def build_schema() -> strawberry.Schema:
    # Every generated object type is listed, so types reachable only through `node` are served.
    types = [t for t in TYPES.values() if hasattr(t, "__strawberry_definition__")]
    return strawberry.Schema(
        query=Query,
        types=types,
        # Classes, not instances: strawberry makes one of each per operation.
        extensions=[SqlStats, CachedParsing, CachedValidation],
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )


def sdl() -> str:
    """The schema in SDL, as `schema.graphql` holds it."""
    return schema.as_str() + "\n"


schema = build_schema()
