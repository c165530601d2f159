"""Running one operation through both paths (compiled SQL and resolvers) for comparison."""

from __future__ import annotations

import base64
import json
from typing import Any

from graphql import parse
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.caching.documents import parse_document
from gateway.compiled import CompiledCache, TooDeepForDatabase, compile_operation
from gateway.context import request_context
from gateway.schema import schema


def _cursor_values(value: str) -> Any:
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    return json.loads(raw)


def normalise(value: Any, key: str | None = None) -> Any:
    """Cursors compared by what they hold: two encodings of one position are the same cursor."""
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and key in ("cursor", "startCursor", "endCursor"):
        return _cursor_values(value)
    return value


async def both_paths(
    engine: AsyncEngine,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    plans: CompiledCache | None = None,
) -> tuple[Any, Any] | None:
    """(compiled data, resolver data), or None when the operation does not compile.

    `plans`: the plan cache to bind the request into (a fresh one when None), so that one
    document with many variable values runs through the plans kept for it.
    """
    dialect = engine.dialect.name
    if plans is None:
        compiled = compile_operation(schema, parse(query), None, variables, dialect=dialect)
    else:
        compiled = plans.get(query, parse_document(query), None, variables, dialect=dialect)
    if compiled is None:
        return None
    async with request_context(engine) as context:
        async with context.db.connection() as conn:
            try:
                compiled_data = json.loads(await compiled.data_json(conn))
            except TooDeepForDatabase:
                return None
        resolved = await schema.execute(query, variable_values=variables, context_value=context)
    assert resolved.errors is None, [e.formatted for e in resolved.errors]
    return normalise(compiled_data), normalise(resolved.data)
