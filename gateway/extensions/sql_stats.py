"""`extensions.sql`: how many SQL statements an operation ran and how long they took.

On when the request's context says debug (the `GATEWAY_DEBUG=1` setting), so anyone can see
that a query's statement count follows its shape, never its number of nodes.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension


class SqlStats(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if not getattr(context, "debug", False):
            return {}
        stats = context.db.stats
        return {"sql": {"statements": stats.statements, "ms": stats.ms}}
