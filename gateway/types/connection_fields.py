"""Connection fields (`allSpacecraft`, `Agency.spacecraftConfigurations`, ...) and their arguments.

Every connection takes the same arguments: `first`/`after`, `last`/`before`, `orderBy`,
`filter`, and `search` where LL2 searches that kind of object.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from db.read.edges import Edge
from db.read.search import SEARCH_FIELDS, describe
from db.spec import ENTITIES
from gateway.resolvers import relations
from gateway.resolvers.connections import DEFAULT_PAGE, MAX_PAGE, Page, page_query
from gateway.resolvers.inputs import from_strawberry
from gateway.types.connections import PageInfo, connection_types
from gateway.types.filters import filter_input, filter_name
from gateway.types.instances import instance
from gateway.types.ordering import order_input
from gateway.types.registry import TYPES, lazy

FIRST = (
    f"Page forward: at most this many items (0 to {MAX_PAGE}; {DEFAULT_PAGE} when neither "
    "`first` nor `last` is given)."
)
AFTER = "Page forward from after the item with this cursor."
LAST = (
    f"Page backward: at most this many items (0 to {MAX_PAGE}) before `before`, or the last ones."
)
BEFORE = "Page backward from before the item with this cursor."
ORDER_BY = "Ordering keys, in order; ties are broken by the id. By id when omitted."
FILTER = "Conditions the items must meet."


def build_connection(type_name: str, page: Page, count: Any) -> Any:
    nodes = [instance(type_name, row) for row in page.rows]
    edge_cls = TYPES[f"{type_name}Edge"]
    edges = [edge_cls(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)]
    cls = TYPES[f"{type_name}Connection"]
    connection = cls.__new__(cls)
    connection.__dict__.update(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        _count=count,
    )
    return connection


def connection_field(entity: str, *, edge: Edge | None, description: str) -> Any:
    """A connection over `entity`: the root list when `edge` is None, else the parent's children."""
    type_name = ENTITIES[entity].type_name
    if f"{type_name}Connection" not in TYPES:
        connection_types(type_name, ENTITIES[entity].doc)
    filter_input(entity)
    order_input(entity)

    async def run(
        root: Any,
        info: strawberry.Info,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        order_by: Any,
        filter: Any,
        search: str | None,
    ) -> Any:
        query = page_query(
            entity,
            type_name,
            first=first,
            after=after,
            last=last,
            before=before,
            order_by=from_strawberry(order_by),
            filter_value=from_strawberry(filter),
            search=search,
        )
        parent = None if edge is None else root.ll2_id
        loaders = info.context.loaders
        page = await relations.page(loaders, edge, query, parent)
        return build_connection(
            type_name, page, lambda: relations.count(loaders, edge, query, parent)
        )

    annotations = {
        "info": strawberry.Info,
        "first": Annotated[int | None, strawberry.argument(description=FIRST)],
        "after": Annotated[str | None, strawberry.argument(description=AFTER)],
        "last": Annotated[int | None, strawberry.argument(description=LAST)],
        "before": Annotated[str | None, strawberry.argument(description=BEFORE)],
        "order_by": Annotated[
            list[lazy(f"{type_name}Order")] | None,  # type: ignore[misc]
            strawberry.argument(description=ORDER_BY),
        ],
        "filter": Annotated[
            lazy(filter_name(entity)) | None, strawberry.argument(description=FILTER)
        ],
        "return": lazy(f"{type_name}Connection"),
    }
    metadata = {"connection": entity, "edge": edge}
    if entity in SEARCH_FIELDS:

        async def resolve(
            root: Any,
            info: strawberry.Info,
            first: int | None = None,
            after: str | None = None,
            last: int | None = None,
            before: str | None = None,
            order_by: Any = None,
            filter: Any = None,
            search: str | None = None,
        ) -> Any:
            return await run(root, info, first, after, last, before, order_by, filter, search)

        annotations["search"] = Annotated[
            str | None, strawberry.argument(description=describe(entity))
        ]
        resolve.__annotations__ = annotations
        return strawberry.field(resolver=resolve, description=description, metadata=metadata)

    async def resolve_without_search(
        root: Any,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: Any = None,
        filter: Any = None,
    ) -> Any:
        return await run(root, info, first, after, last, before, order_by, filter, None)

    resolve_without_search.__annotations__ = annotations
    return strawberry.field(
        resolver=resolve_without_search, description=description, metadata=metadata
    )
