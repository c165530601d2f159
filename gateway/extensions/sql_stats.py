"""`extensions.sql`: how many SQL statements an operation ran and how long they took.

On when the request's context says debug (the `GATEWAY_DEBUG=1` setting), so anyone can see
that a query's statement count follows its shape, never its number of nodes. Every path that
answers (the resolvers, the compiled path, the result cache) reports it with `sql_extension`.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension

KEY = "sql"  # the response's `extensions` key; describes one request, so never cached


def sql_extension(context: Any) -> dict[str, Any] | None:
    """`{"sql": {...}}` for a debug request's context, else None."""
    if not getattr(context, "debug", False):
        return None
    stats = context.db.stats
    return {KEY: {"statements": stats.statements, "ms": stats.ms}}


class SqlStats(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        return sql_extension(self.execution_context.context) or {}
