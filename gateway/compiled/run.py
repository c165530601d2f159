"""Compiling an operation, and running the compiled statement on a request's connection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from graphql import DocumentNode, GraphQLError, OperationType, get_operation_ast
from graphql.execution.values import get_variable_values

from gateway.compiled.dialects import dialect_for
from gateway.compiled.plan import NotCompilable, Planner
from gateway.compiled.sql import SqlBuilder


class TooDeepForDatabase(Exception):
    """The database cannot parse a statement this deep (SQLite before 3.46); use the resolvers."""


@dataclass(frozen=True)
class CompiledOperation:
    statement: sa.Select[Any]

    async def data_json(self, conn: Any) -> str:
        """The operation's `data` as JSON text, written by the database."""
        try:
            result = await conn.execute(self.statement)
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
) -> CompiledOperation | None:
    """One statement for a valid query document, or None when the resolvers must answer."""
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
        statement = SqlBuilder(dialect_for(dialect)).root(fields)
    except (NotCompilable, GraphQLError):
        return None
    return CompiledOperation(statement)
