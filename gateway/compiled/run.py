"""Compiling an operation, and running the compiled statement on a request's connection."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from graphql import DocumentNode, GraphQLError, OperationType, get_operation_ast
from graphql.execution.values import get_variable_values
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.dialects.sqlite import aiosqlite as sqlite_dialect

from gateway.compiled.dialects import dialect_for
from gateway.compiled.plan import NotCompilable, Planner
from gateway.compiled.sql import SqlBuilder, TotalSlot


class TooDeepForDatabase(Exception):
    """The database cannot parse a statement this deep (SQLite before 3.46); use the resolvers."""


@dataclass(frozen=True)
class CompiledOperation:
    """The SQL text and parameters of one operation, compiled once for its backend.

    `totals` are root connections' totalCounts the statement takes as parameters (at those
    positions), counted apart so that a cache can keep them per data version.
    """

    sql: str
    parameters: tuple[Any, ...]
    totals: tuple[tuple[int, TotalSlot], ...] = ()

    async def data_json(self, conn: Any, totals: Sequence[int] = ()) -> str:
        """The operation's `data` as JSON text, written by the database."""
        parameters = list(self.parameters)
        for (position, _), total in zip(self.totals, totals, strict=True):
            parameters[position] = total
        try:
            result = await conn.exec_driver_sql(self.sql, tuple(parameters))
        except sa.exc.OperationalError as e:
            # SQLite's parser stack is fixed before 3.46; deep queries go to the resolvers.
            if "parser stack overflow" in str(e.orig):
                raise TooDeepForDatabase(str(e.orig)) from None
            raise
        text: str = result.scalar_one()
        return text


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
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    coerced = get_variable_values(
        schema._schema, operation.variable_definitions or (), variables or {}
    )
    if isinstance(coerced, list):
        return None
    try:
        fields = Planner(schema, document, operation, coerced).root()
        builder = SqlBuilder(dialect_for(dialect), root_totals=root_totals)
        statement = builder.root(fields)
    except (NotCompilable, GraphQLError):
        return None
    compiled = statement.compile(
        dialect=_DIALECTS[dialect], compile_kwargs={"render_postcompile": True}
    )
    names = list(compiled.positiontup or [])
    totals = tuple((names.index(slot.parameter), slot) for slot in builder.total_slots)
    return CompiledOperation(compiled.string, tuple(compiled.params[n] for n in names), totals)


_DIALECTS: dict[str, Any] = {
    "sqlite": sqlite_dialect.dialect(),
    "postgresql": asyncpg_dialect.dialect(),  # type: ignore[no-untyped-call]
}


class CompiledCache:
    """Compiled statements by request (document, operation, variables, backend), bounded.

    Compiling costs milliseconds of Python; a query asked again (the same page of the same
    screen) runs its cached SQL at once. Not a result cache: the database still answers.
    """

    def __init__(self, schema: Any, *, size: int = 1024, root_totals: bool = False) -> None:
        self.schema = schema
        self.size = size
        self.root_totals = root_totals
        self._entries: OrderedDict[tuple[Any, ...], CompiledOperation | None] = OrderedDict()

    def get(
        self,
        query: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        *,
        dialect: str,
    ) -> CompiledOperation | None:
        key = (query, operation_name, _canonical(variables), dialect)
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        compiled = compile_operation(
            self.schema,
            document,
            operation_name,
            variables,
            dialect=dialect,
            root_totals=self.root_totals,
        )
        self._entries[key] = compiled
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return compiled

    def forget(self, compiled: CompiledOperation) -> None:
        """Send to the resolvers from now on a statement the database refused (too deep)."""
        for key in [k for k, v in self._entries.items() if v is compiled]:
            self._entries[key] = None


def _canonical(variables: dict[str, Any] | None) -> str:
    return json.dumps(variables or {}, sort_keys=True, separators=(",", ":"), default=str)
