"""Relay cursor connections: PageInfo, and a Connection and Edge type for each node type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from gateway.types.registry import lazy, register


@strawberry.type(description="Where a page sits in its connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page (when paging backward exactly; "
        "when paging forward, whether an `after` cursor was given)."
    )
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item.")


def connection_types(type_name: str, doc: str) -> tuple[Any, Any]:
    """`<T>Edge` and `<T>Connection` for node type `type_name`."""
    edge_ns: dict[str, Any] = {
        "__annotations__": {"cursor": str, "node": lazy(type_name)},
        "cursor": strawberry.field(description="Opaque cursor of this item, for `after`/`before`."),
        "node": strawberry.field(description=f"The item: {doc}"),
    }
    edge = register(
        strawberry.type(
            type(f"{type_name}Edge", (), edge_ns),
            description=f"An item of a {type_name} connection.",
        )
    )

    async def total_count(root: Any) -> int:
        count: Callable[[], Awaitable[int]] = root._count
        return await count()

    total_count.__annotations__ = {"return": int}
    connection_ns: dict[str, Any] = {
        "__annotations__": {
            "edges": list[lazy(f"{type_name}Edge")],  # type: ignore[misc]
            "nodes": list[lazy(type_name)],  # type: ignore[misc]
            "page_info": PageInfo,
        },
        "edges": strawberry.field(description="The items of this page, each with its cursor."),
        "nodes": strawberry.field(description="The items of this page."),
        "page_info": strawberry.field(description="Where this page sits, and its end cursors."),
        "total_count": strawberry.field(
            resolver=total_count,
            description="How many items match the filter and search, all pages together.",
        ),
    }
    connection = register(
        strawberry.type(
            type(f"{type_name}Connection", (), connection_ns),
            description=f"A page of {type_name} items.",
        )
    )
    return edge, connection
