"""A selection plan's statement, compiled: its SQL text, and where each request's values go.

`prepare` builds the plan's statement (`db.read.answer`) for one request's values and compiles
it for the backend; the `Variant` it gives keeps the SQL text and, for each site, the positions
of its values among the parameters, so that a later request with the same facts binds its own
values into the same text (`Variant.bound`) and the drivers reuse their prepared statements.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.dialects.sqlite import aiosqlite as sqlite_dialect

from db.direct import parser_overflow
from db.read.answer import SqlBuilder
from db.read.dialects import dialect_for
from db.read.selection import NotCompilable
from db.read.sites import Binding, Site, TotalSlot


class TooDeepForDatabase(Exception):
    """The database cannot parse a statement this deep (SQLite before 3.46); use the resolvers."""


@dataclass(frozen=True)
class CompiledOperation:
    """The SQL text and one request's parameters for an operation on its backend.

    `totals` are root connections' totalCounts the statement takes as parameters (at those
    positions), counted apart so that a cache can keep them per data version.
    """

    sql: str
    parameters: tuple[Any, ...]
    totals: tuple[tuple[int, TotalSlot], ...] = ()
    variant: Variant | None = field(default=None, compare=False, repr=False)

    def with_totals(self, totals: Sequence[int] = ()) -> tuple[Any, ...]:
        parameters = list(self.parameters)
        for (position, _), total in zip(self.totals, totals, strict=True):
            parameters[position] = total
        return tuple(parameters)

    async def data_json(self, conn: Any, totals: Sequence[int] = ()) -> str:
        """The operation's `data` as JSON text, written by the database, on `conn` (a
        SQLAlchemy connection)."""
        try:
            result = await conn.exec_driver_sql(self.sql, self.with_totals(totals))
        except sa.exc.OperationalError as e:
            # SQLite's parser stack is fixed before 3.46; deep queries go to the resolvers.
            if parser_overflow(e.orig):
                raise TooDeepForDatabase(str(e.orig)) from None
            raise
        text: str = result.scalar_one()
        return text

    async def data_json_of(self, db: Any, totals: Sequence[int] = ()) -> str:
        """The same through a request's database (`RequestDatabase.value`)."""
        try:
            text: str = await db.value(self.sql, self.with_totals(totals))
        except sa.exc.OperationalError as e:
            if parser_overflow(e.orig):
                raise TooDeepForDatabase(str(e.orig)) from None
            raise
        except sqlite3.OperationalError as e:
            if parser_overflow(e):
                raise TooDeepForDatabase(str(e)) from None
            raise
        return text


@dataclass
class Variant:
    """One statement of a plan: its SQL, its constant parameters, and where each site's go.

    `slots[i][j]` are the positions of site i's j-th bound value; `totals` pair the position
    of a root total with the site it counts. `usable` turns False when the database refused it.
    """

    sql: str
    template: tuple[Any, ...]
    slots: tuple[tuple[tuple[int, ...], ...], ...]
    totals: tuple[tuple[int, int], ...]
    usable: bool = True

    def bound(self, bindings: Sequence[Binding]) -> CompiledOperation:
        parameters = list(self.template)
        for site_slots, binding in zip(self.slots, bindings, strict=True):
            for positions, value in zip(site_slots, binding.values, strict=True):
                for position in positions:
                    parameters[position] = value
        totals = []
        for position, site in self.totals:
            total = bindings[site].total
            assert total is not None
            totals.append((position, total))
        return CompiledOperation(self.sql, tuple(parameters), tuple(totals), self)


_DIALECTS: dict[str, Any] = {
    "sqlite": sqlite_dialect.dialect(),
    "postgresql": asyncpg_dialect.dialect(),  # type: ignore[no-untyped-call]
}


def prepare(
    fields: list[tuple[str, Any]], dialect: str, *, root_totals: bool = False
) -> tuple[Variant, list[Site], list[Binding]]:
    """The plan's statement for the values it was planned with, its sites and their bindings.

    `root_totals`: root connections' totalCounts become parameters (see `CompiledOperation`).
    """
    builder = SqlBuilder(dialect_for(dialect), root_totals=root_totals)
    statement = builder.root(fields)
    return _variant(builder, statement, dialect), builder.sites, builder.bindings


def _variant(builder: SqlBuilder, statement: sa.Select[Any], dialect: str) -> Variant:
    compiled = statement.compile(
        dialect=_DIALECTS[dialect], compile_kwargs={"render_postcompile": True}
    )
    names = list(compiled.positiontup or [])
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        positions.setdefault(name, []).append(index)
    name_of = {parameter.key: name for parameter, name in compiled.bind_names.items()}
    slots = []
    for binding in builder.bindings:
        site_slots = []
        for parameter in binding.parameters:
            found = positions.get(name_of.get(parameter.key, ""))
            if not found:
                raise NotCompilable(f"a bound value is not in the statement: {parameter!r}")
            site_slots.append(tuple(found))
        slots.append(tuple(site_slots))
    sites = {b.total.parameter: i for i, b in enumerate(builder.bindings) if b.total is not None}
    totals = tuple(
        (names.index(slot.parameter), sites[slot.parameter]) for slot in builder.total_slots
    )
    return Variant(compiled.string, tuple(compiled.params[n] for n in names), tuple(slots), totals)
