"""The compiled path in the HTTP pipeline: a valid query that compiles is answered by one SQL
statement whose JSON becomes the response's `data` untouched; everything else goes on to
`operation.execute` (the resolvers)."""

from __future__ import annotations

from typing import Any

import strawberry

from db.read import rows
from db.read.sites import TotalSlot
from gateway.caching.documents import validation_errors
from gateway.compiled import CompiledCache, TooDeepForDatabase
from gateway.extensions.sql_stats import sql_extension
from gateway.http.operation import Operation, Outcome
from gateway.loaders.counts import CountCache, count_key
from gateway.tracing.spans import annotate, step


class CompiledRunner:
    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        cache_size: int = 1024,
        counts: CountCache | None = None,
    ) -> None:
        self.schema = schema
        self.counts = counts
        self.cache = CompiledCache(schema, size=cache_size, root_totals=counts is not None)

    async def run(self, operation: Operation, context: Any) -> Outcome | None:
        """The outcome through the compiled path, or None when the resolvers must answer."""
        request = operation.request
        if validation_errors(self.schema, request.query):
            return None  # the resolvers' path reports them
        db = context.db
        with step("graphql.plan"):
            compiled = self.cache.get(
                request.query,
                operation.document,
                request.operation_name,
                request.variables,
                dialect=db.engine.dialect.name,
            )
            annotate(**{"gateway.compiled": compiled is not None})
        if compiled is None:
            return None
        totals = [await self._total(db, slot) for _, slot in compiled.totals]
        try:
            data_json = await compiled.data_json_of(db, totals)
        except TooDeepForDatabase:
            self.cache.forget(compiled)
            return None
        return Outcome(None, extensions=sql_extension(context), data_json=data_json)

    async def _total(self, db: Any, slot: TotalSlot) -> int:
        """A root total, counted once per data version (the resolvers share the cache)."""
        assert self.counts is not None

        async def count() -> int:
            async with db.connection(snapshot=False) as conn:
                found = await rows.count_of(
                    conn, entity=slot.entity, filter_value=slot.filter_value, search=slot.search
                )
            return found[None]

        key = count_key(db.engine.url, await db.version(), slot.entity, slot.filter_key)
        return await self.counts.total(key, count)
