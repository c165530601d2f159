"""The compiled path in the HTTP pipeline: a valid query that compiles is answered by one SQL
statement whose JSON becomes the response's `data` untouched; everything else goes on to
`operation.execute` (the resolvers)."""

from __future__ import annotations

from typing import Any

import strawberry

from gateway.caching.documents import validation_errors
from gateway.compiled import CompiledCache, TooDeepForDatabase
from gateway.extensions.sql_stats import sql_extension
from gateway.http.operation import Operation, Outcome


class CompiledRunner:
    def __init__(self, schema: strawberry.Schema, *, cache_size: int = 1024) -> None:
        self.schema = schema
        self.cache = CompiledCache(schema, size=cache_size)

    async def run(self, operation: Operation, context: Any) -> Outcome | None:
        """The outcome through the compiled path, or None when the resolvers must answer."""
        request = operation.request
        if validation_errors(self.schema, request.query):
            return None  # the resolvers' path reports them
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
        async with db.connection(snapshot=False) as conn:
            try:
                data_json = await compiled.data_json(conn)
            except TooDeepForDatabase:
                self.cache.forget(compiled)
                return None
        return Outcome(None, extensions=sql_extension(context), data_json=data_json)
