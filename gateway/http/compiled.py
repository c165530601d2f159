"""The compiled path in the HTTP pipeline: a valid query that compiles is answered by one SQL
statement whose JSON becomes the response's `data` untouched; everything else goes on to
`operation.execute` (the resolvers)."""

from __future__ import annotations

import functools
from typing import Any

import strawberry
from graphql import validate

from gateway.compiled import CompiledCache, TooDeepForDatabase
from gateway.http.operation import Operation, Outcome


@functools.lru_cache(maxsize=512)
def _valid(schema: strawberry.Schema, query: str, document: Any) -> bool:
    return not validate(schema._schema, document)


class CompiledRunner:
    def __init__(self, schema: strawberry.Schema, *, cache_size: int = 1024) -> None:
        self.schema = schema
        self.cache = CompiledCache(schema, size=cache_size)

    async def run(self, operation: Operation, context: Any) -> Outcome | None:
        """The outcome through the compiled path, or None when the resolvers must answer."""
        request = operation.request
        if not _valid(self.schema, request.query, operation.document):
            return None
        db = context.db
        compiled = self.cache.get(
            request.query,
            operation.document,
            request.operation_name,
            request.variables,
            dialect=db.engine.dialect.name,
        )
        if compiled is None:
            return None
        async with db.connection() as conn:
            try:
                data_json = await compiled.data_json(conn)
            except TooDeepForDatabase:
                self.cache.forget(compiled)
                return None
        extensions = None
        if context.debug:
            extensions = {"sql": {"statements": db.stats.statements, "ms": db.stats.ms}}
        return Outcome(None, extensions=extensions, data_json=data_json)
