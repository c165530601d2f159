"""The strawberry schema: the query root and the types it reaches."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig

from gateway.caching.documents import CachedParsing, CachedValidation
from gateway.extensions.sql_stats import SqlStats
from gateway.types.query import Query
from gateway.types.registry import TYPES
from gateway.types.scalars import SCALAR_MAP


class GatewaySchema(strawberry.Schema):
    """strawberry's schema, without its log line (at ERROR, with a traceback) per error.

    Most errors are the client's (a typo, a bad argument), not faults of ours; the HTTP layer
    logs the faults, with the request's id, and masks them in the answer
    (`gateway.http.operation`).
    """

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None


def build_schema(*, suggestions: bool = False) -> strawberry.Schema:
    """The schema; `suggestions` puts "Did you mean ..." in its errors (for debugging only)."""
    # Every generated object type is listed, so types reachable only through `node` are served.
    types = [t for t in TYPES.values() if hasattr(t, "__strawberry_definition__")]
    return GatewaySchema(
        query=Query,
        types=types,
        # Classes, not instances: strawberry makes one of each per operation.
        extensions=[SqlStats, CachedParsing, CachedValidation],
        config=StrawberryConfig(scalar_map=SCALAR_MAP, disable_field_suggestions=not suggestions),
    )


def sdl() -> str:
    """The schema in SDL, as `schema.graphql` holds it."""
    return schema.as_str() + "\n"


schema = build_schema()
