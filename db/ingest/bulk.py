"""Reading stored rows and writing many rows fast, in the caller's transaction, per backend.

SQLAlchemy's per-row statement machinery costs more than the database's work when an import
writes a million rows, so the importer talks to the driver here: rows go as tuples of values
already converted by each column's own SQLAlchemy bind processor (so they are stored exactly as
SQLAlchemy would store them), to `executemany` on SQLite and to `COPY` on PostgreSQL. Reads of
the stored rows for a batch of ids still go through SQLAlchemy, which converts values back.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

Row = dict[str, Any]


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Bulk:
    """The batch operations the importer needs; `for_connection` picks the backend's."""

    chunk = 10_000

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.dialect = conn.dialect
        self._empty: dict[str, bool] = {}

    @staticmethod
    def for_connection(conn: AsyncConnection) -> Bulk:
        return PostgresBulk(conn) if conn.dialect.name == "postgresql" else SqliteBulk(conn)

    async def begin(self) -> None:
        """Called once before the import writes."""

    async def end(self) -> None:
        """Called once after the import wrote, still inside the transaction."""

    def converters(self, table: sa.Table) -> list[Callable[[Any], Any] | None]:
        """Each column's bind processor for this dialect (None where values go as they are)."""
        return [
            column.type.dialect_impl(self.dialect).bind_processor(self.dialect)
            for column in table.columns
        ]

    def tuples(self, table: sa.Table, rows: Iterable[tuple[Any, Row]]) -> list[tuple[Any, ...]]:
        """(id, row) pairs of an entity table as the driver's value tuples, in column order."""
        names = [c.name for c in table.columns][1:]
        convert = [(i, f) for i, f in enumerate(self.converters(table)) if f is not None]
        out = []
        for ident, row in rows:
            values = [ident, *map(row.get, names)]
            for i, f in convert:
                if values[i] is not None:
                    values[i] = f(values[i])
            out.append(tuple(values))
        return out

    async def is_empty(self, table: sa.Table) -> bool:
        if table.name not in self._empty:
            found = await self.conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1))
            self._empty[table.name] = found.first() is None
        return self._empty[table.name]

    def _in(self, column: sa.ColumnElement[Any], ids: Sequence[Any]) -> sa.ColumnElement[bool]:
        raise NotImplementedError

    async def stored_rows(self, table: sa.Table, ids: list[Any]) -> dict[Any, Row]:
        stored: dict[Any, Row] = {}
        if await self.is_empty(table):
            return stored
        for chunk in _chunks(ids, self.chunk):
            result = await self.conn.execute(sa.select(table).where(self._in(table.c.id, chunk)))
            for row in result.mappings():
                stored[row["id"]] = dict(row)
        return stored

    async def stored_links(self, table: sa.Table, owners: list[Any]) -> dict[Any, list[Any]]:
        stored: dict[Any, list[Any]] = {}
        if await self.is_empty(table):
            return stored
        for chunk in _chunks(owners, self.chunk):
            result = await self.conn.execute(
                sa.select(table.c.owner_id, table.c.target_id)
                .where(self._in(table.c.owner_id, chunk))
                .order_by(table.c.owner_id, table.c.position)
            )
            for owner, target in result:
                stored.setdefault(owner, []).append(target)
        return stored

    async def delete_links(self, table: sa.Table, owners: list[Any]) -> None:
        for chunk in _chunks(owners, self.chunk):
            await self.conn.execute(sa.delete(table).where(self._in(table.c.owner_id, chunk)))

    async def insert(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        """Value tuples (see `tuples`) of rows whose keys the table does not hold."""
        raise NotImplementedError

    async def upsert(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        """Value tuples of rows whose ids the table may hold: each replaces the stored one."""
        raise NotImplementedError


class SqliteBulk(Bulk):
    # Connection settings for the import, restored at the end.
    cache_kib = 256 * 1024
    # Filling an empty table with at least this many rows drops its indexes first and builds
    # them again after (in the same transaction): sorting once beats inserting row by row.
    rebuild_indexes_at = 5_000

    async def begin(self) -> None:
        self._building: list[asyncio.Future[None]] = []
        self._restore: dict[str, int] = {}
        # A page cache for the indexes of a big import, and helper threads to sort for new ones.
        wanted = {"cache_size": -self.cache_kib, "threads": min(os.cpu_count() or 1, 4)}
        for name, value in wanted.items():
            current = (await self.conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
            self._restore[name] = int(current or 0)
            await self.conn.exec_driver_sql(f"PRAGMA {name} = {value}")

    async def end(self) -> None:
        await self.settle()
        for name, value in self._restore.items():
            await self.conn.exec_driver_sql(f"PRAGMA {name} = {value}")

    async def settle(self) -> None:
        """Wait for the index builds queued so far; raise the first that failed."""
        building, self._building = self._building, []
        for outcome in await asyncio.gather(*building, return_exceptions=True):
            if isinstance(outcome, BaseException):
                raise outcome

    async def _build_queued(self, statements: list[str]) -> None:
        """Queue `CREATE INDEX` statements on the connection's thread and return at once.

        SQLite builds an index in one call that lets go of Python's GIL, so the importer
        prepares the next table's rows meanwhile; whatever it sends next queues behind them.
        """
        driver = (await self.conn.get_raw_connection()).driver_connection
        assert driver is not None

        async def build(sql: str) -> None:
            cursor = await driver.execute(sql)
            await cursor.close()

        self._building += [asyncio.ensure_future(build(sql)) for sql in statements]
        await asyncio.sleep(0)  # each build puts its statement in the queue, in order

    def _in(self, column: sa.ColumnElement[Any], ids: Sequence[Any]) -> sa.ColumnElement[bool]:
        # One JSON array parameter instead of one parameter per id.
        values = sa.func.json_each(sa.literal(orjson.dumps(list(ids)).decode())).table_valued(
            "value"
        )
        return column.in_(sa.select(values.c.value))

    def _statement(self, table: sa.Table, upsert: bool) -> str:
        names = [_quote(c.name) for c in table.columns]
        sql = (
            f"INSERT INTO {_quote(table.name)} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        if upsert:
            updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != '"id"')
            sql += f' ON CONFLICT ("id") DO UPDATE SET {updates}'
        return sql

    async def _write(self, table: sa.Table, rows: list[tuple[Any, ...]], upsert: bool) -> None:
        if not rows:
            return
        sql = self._statement(table, upsert)
        for chunk in _chunks(rows, self.chunk):
            await self.conn.exec_driver_sql(sql, list(chunk))
        self._empty[table.name] = False

    async def insert(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        indexes: list[Any] = []
        if self._empty.get(table.name) and len(rows) >= self.rebuild_indexes_at:
            found = await self.conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table.name,),
            )
            indexes = list(found)
            for name, _ in indexes:
                await self.conn.exec_driver_sql(f"DROP INDEX {_quote(name)}")
        await self._write(table, rows, upsert=False)
        await self._build_queued([sql for _, sql in indexes])

    async def upsert(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        await self._write(table, rows, upsert=True)


class PostgresBulk(Bulk):
    chunk = 50_000

    def _in(self, column: sa.ColumnElement[Any], ids: Sequence[Any]) -> sa.ColumnElement[bool]:
        # One array parameter instead of one parameter per id.
        array = sa.bindparam(None, list(ids), type_=postgresql.ARRAY(column.type))
        return column == sa.any_(array)

    async def _driver(self) -> Any:
        raw = await self.conn.get_raw_connection()
        return raw.driver_connection

    async def _copy(self, target: str, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        driver = await self._driver()
        await driver.copy_records_to_table(
            target, records=rows, columns=[c.name for c in table.columns]
        )

    async def insert(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            await self._copy(table.name, table, rows)
            self._empty[table.name] = False

    async def upsert(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        """COPY into a temporary table, then one INSERT ... ON CONFLICT DO UPDATE from it."""
        if not rows:
            return
        staging = f"_import_{table.name}"
        names = [_quote(c.name) for c in table.columns]
        updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in names if n != '"id"')
        await self.conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {_quote(staging)} (LIKE {_quote(table.name)}) ON COMMIT DROP"
        )
        await self._copy(staging, table, rows)
        await self.conn.exec_driver_sql(
            f"INSERT INTO {_quote(table.name)} ({', '.join(names)}) "
            f"SELECT {', '.join(names)} FROM {_quote(staging)} "
            f'ON CONFLICT ("id") DO UPDATE SET {updates}'
        )
        await self.conn.exec_driver_sql(f"DROP TABLE {_quote(staging)}")
        self._empty[table.name] = False
