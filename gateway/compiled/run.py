"""Plans kept per document and variable shape, and each request's values bound into them.

Building a statement costs milliseconds of Python (planning, SQLAlchemy's constructs, its
compiler); a frontend sends the same few documents with new variables on every request. So a
document's plan and SQL are built once per document, operation, backend and the facts about its
variables that change the statement's shape (the Boolean variables of `@skip`/`@include`, and
at each site the structure of its conditions, the page size, direction and ordering; see
`gateway.compiled.sites`); never per value. A request with known facts costs reading its
arguments, building its sites' small conditions, and binding their values: every value is a
bind parameter, and the SQL text repeats, so the drivers reuse their prepared statements.
Not a result cache: the database still answers every request.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import VariableValues, get_variable_values
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.dialects.sqlite import aiosqlite as sqlite_dialect

from db.direct import parser_overflow
from gateway.compiled.dialects import dialect_for
from gateway.compiled.plan import NotCompilable, Planner, arguments
from gateway.compiled.sites import Binding, Site, TotalSlot
from gateway.compiled.sql import SqlBuilder


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


@dataclass
class Shape:
    """A plan's sites, and its statements by the facts of their sites' values."""

    sites: list[Site]
    variants: OrderedDict[Hashable, Variant] = field(default_factory=OrderedDict)


NOT_COMPILABLE = Shape([])


def _switches(variables: VariableValues) -> tuple[tuple[str, bool], ...]:
    """The Boolean variables: `@skip`/`@include` change what a plan selects."""
    return tuple(sorted((k, v) for k, v in variables.coerced.items() if isinstance(v, bool)))


class PlanCache:
    """Plans by document, operation, backend and variable shape, bounded; values bound anew.

    `plans_built` counts the statements built, for the tests and the benchmarks.
    """

    def __init__(
        self,
        schema: Any,
        *,
        size: int = 1024,
        variants: int = 64,
        root_totals: bool = False,
    ) -> None:
        self.schema = schema
        self.size = size
        self.variants = variants
        self.root_totals = root_totals
        self.plans_built = 0
        self._shapes: OrderedDict[Hashable, Shape] = OrderedDict()

    def get(
        self,
        query: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        *,
        dialect: str,
    ) -> CompiledOperation | None:
        """The operation's statement with this request's values, or None for the resolvers."""
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        coerced = get_variable_values(
            self.schema._schema, operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            return None
        key = (query, operation_name, dialect, _switches(coerced))
        shape = self._shapes.get(key)
        try:
            if shape is None:
                return self._plan(key, document, operation, coerced, dialect)
            if shape is NOT_COMPILABLE:
                return None
            self._shapes.move_to_end(key)
            bindings = [
                site.bind(arguments(self.schema, site.source, coerced)) for site in shape.sites
            ]
        except (GraphQLError, NotCompilable):
            return None  # a value the resolvers report (a bad cursor, a page too large)
        facts = tuple(b.facts for b in bindings)
        variant = shape.variants.get(facts)
        if variant is None:
            variant = self._build(shape, facts, document, operation, coerced, dialect)
            if variant is None:
                return None
        else:
            shape.variants.move_to_end(facts)
        return variant.bound(bindings) if variant.usable else None

    def _plan(
        self,
        key: Hashable,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        dialect: str,
    ) -> CompiledOperation | None:
        try:
            fields = Planner(self.schema, document, operation, variables).root()
        except NotCompilable:
            self._keep(key, NOT_COMPILABLE)
            return None
        builder, statement = self._statement(fields, dialect)
        variant = _variant(builder, statement, dialect)
        shape = Shape(builder.sites)
        shape.variants[tuple(b.facts for b in builder.bindings)] = variant
        self._keep(key, shape)
        return variant.bound(builder.bindings)

    def _build(
        self,
        shape: Shape,
        facts: Hashable,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        dialect: str,
    ) -> Variant | None:
        """The statement for facts this plan has not met: built again with these values."""
        try:
            fields = Planner(self.schema, document, operation, variables).root()
            builder, statement = self._statement(fields, dialect)
            variant = _variant(builder, statement, dialect)
        except (GraphQLError, NotCompilable):
            return None
        assert len(builder.sites) == len(shape.sites), "a plan's sites follow its document"
        shape.variants[facts] = variant
        while len(shape.variants) > self.variants:
            shape.variants.popitem(last=False)
        return variant

    def _statement(
        self, fields: list[tuple[str, Any]], dialect: str
    ) -> tuple[SqlBuilder, sa.Select[Any]]:
        self.plans_built += 1
        builder = SqlBuilder(dialect_for(dialect), root_totals=self.root_totals)
        return builder, builder.root(fields)

    def _keep(self, key: Hashable, shape: Shape) -> None:
        self._shapes[key] = shape
        while len(self._shapes) > self.size:
            self._shapes.popitem(last=False)

    def forget(self, compiled: CompiledOperation) -> None:
        """Send to the resolvers from now on a statement the database refused (too deep)."""
        if compiled.variant is not None:
            compiled.variant.usable = False


# The name the HTTP pipeline and the benchmarks know it by.
CompiledCache = PlanCache


def compile_operation(
    schema: Any,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    *,
    dialect: str,
    root_totals: bool = False,
) -> CompiledOperation | None:
    """One statement for a valid query document, or None when the resolvers must answer.

    `root_totals`: root connections' totalCounts become parameters (see `CompiledOperation`).
    """
    plans = PlanCache(schema, size=1, root_totals=root_totals)
    return plans.get("", document, operation_name, variables, dialect=dialect)
