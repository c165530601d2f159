"""Per-request batch loaders: one SQL statement per level of a query, never one per node.

`Loaders` is built for each request (never at module level, where it would cache forever) and
handed to resolvers through the context. Each loader serves one entity and key: rows by id, the
targets of a to-many edge by owner, the rows of an LL2 list by owner, a connection page or count
by parent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Hashable
from typing import Any

from aiodataloader import DataLoader

from db.read import rows as queries
from db.read.edges import Edge
from db.read.pages import PageQuery
from gateway.loaders.counts import CountCache, count_key
from gateway.loaders.database import RequestDatabase

ROOT = "<root>"
Row = dict[str, Any]
Loader = DataLoader[Any, Any]
Batch = Callable[[list[Any]], Coroutine[Any, Any, list[Any]]]


class Loaders:
    def __init__(self, db: RequestDatabase, counts: CountCache | None = None) -> None:
        self.db = db
        self.counts = counts
        self._loaders: dict[Hashable, Loader] = {}

    def _get(self, key: Hashable, batch: Batch) -> Loader:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(batch_load_fn=batch)
        return loader

    def row(self, entity: str) -> Loader:
        """LL2 id -> row (or None)."""

        async def batch(ids: list[Any]) -> list[Row | None]:
            async with self.db.connection() as conn:
                found = await queries.rows_by_id(conn, entity=entity, ids=ids)
            return [found.get(i) for i in ids]

        return self._get(("row", entity), batch)

    def linked(self, entity: str, key: str) -> Loader:
        """Owner id -> the target rows of its `Many` edge `key`, in LL2's order."""

        async def batch(owners: list[Any]) -> list[list[Row]]:
            async with self.db.connection() as conn:
                found = await queries.linked_rows(conn, entity=entity, key=key, owners=owners)
            return [found.get(o, []) for o in owners]

        return self._get(("linked", entity, key), batch)

    def backref(self, entity: str, key: str) -> Loader:
        """Owner id -> the rows of its LL2 list `key`."""

        async def batch(owners: list[Any]) -> list[list[Row]]:
            async with self.db.connection() as conn:
                found = await queries.backref_rows(conn, entity=entity, key=key, owners=owners)
            return [found.get(o, []) for o in owners]

        return self._get(("backref", entity, key), batch)

    def page(self, edge: Edge | None, query: PageQuery) -> Loader:
        """Parent id (or ROOT) -> up to size+1 rows of the connection page."""

        async def batch(parents: list[Any]) -> list[list[Row]]:
            async with self.db.connection() as conn:
                found = await queries.page_of(
                    conn,
                    page=query,
                    pairs=edge.pairs if edge else None,
                    parents=[p for p in parents if p != ROOT],
                )
            return [found.get(None if p == ROOT else p, []) for p in parents]

        return self._get(("page", edge.name if edge else query.entity, query.cache_key), batch)

    def count(self, edge: Edge | None, query: PageQuery) -> Loader:
        """Parent id (or ROOT) -> how many rows the connection has, cursors aside."""

        async def counted(parents: list[Any]) -> dict[Any, int]:
            async with self.db.connection() as conn:
                return await queries.count_of(
                    conn,
                    entity=query.entity,
                    filter_value=query.filter_value,
                    search=query.search,
                    pairs=edge.pairs if edge else None,
                    parents=[p for p in parents if p != ROOT],
                )

        async def batch(parents: list[Any]) -> list[int]:
            if edge is None and self.counts is not None:
                key = count_key(
                    self.db.engine.url, await self.db.version(), query.entity, query.filter_key
                )
                total = await self.counts.total(key, lambda: _root(counted(parents)))
                return [total for _ in parents]
            found = await counted(parents)
            return [found.get(None if p == ROOT else p, 0) for p in parents]

        key = ("count", edge.name if edge else query.entity, query.filter_key)
        return self._get(key, batch)


async def _root(counting: Awaitable[dict[Any, int]]) -> int:
    return (await counting).get(None, 0)
