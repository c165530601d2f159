"""Running GraphQL operations in process, the way a request would."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.types import ExecutionResult

from gateway.context import request_context
from gateway.schema import schema


async def execute(
    engine: AsyncEngine, query: str, variables: dict[str, Any] | None = None, *, debug: bool = False
) -> ExecutionResult:
    async with request_context(engine, debug=debug) as context:
        return await schema.execute(query, variable_values=variables, context_value=context)


async def data(engine: AsyncEngine, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The result's data, after asserting there were no errors."""
    result = await execute(engine, query, variables)
    assert result.errors is None, [e.formatted for e in result.errors]
    return result.data


async def errors(
    engine: AsyncEngine, query: str, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    result = await execute(engine, query, variables)
    assert result.errors, f"expected errors, got {result.data}"
    return [{"message": e.message, "code": (e.extensions or {}).get("code")} for e in result.errors]
