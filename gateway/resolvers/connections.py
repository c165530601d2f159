"""Connection arguments -> one page request; fetched rows -> edges, nodes and page info.

`first`/`last` are bounded (at most 100, 10 when neither is given); `after`/`before` are keyset
cursors, so page 1,000 costs what page 1 costs and rows added between two requests never make a
page repeat or skip an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from db.spec import ENTITIES
from gateway.resolvers import cursors, ordering
from gateway.resolvers.errors import BadUserInput
from gateway.resolvers.filtering import Condition, condition
from gateway.resolvers.ordering import OrderKey
from gateway.resolvers.search import search_condition

MAX_PAGE = 100
DEFAULT_PAGE = 10


def check_page_size(argument: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= MAX_PAGE:
        raise BadUserInput(
            f"`{argument}` must be between 0 and {MAX_PAGE}, got {value}; page with the "
            "cursors in pageInfo instead"
        )


@dataclass(frozen=True)
class PageRequest:
    """What one connection field asks for, ready to run for one or many parents."""

    entity: str
    type_name: str
    keys: list[OrderKey]
    fetch_order: list[OrderKey]
    where: list[Condition]
    # The rows `where` keeps, split in `fetch_order` (see `ordering.segments`); none: all of them.
    segments: list[Condition]
    size: int
    backward: bool
    after: str | None
    before: str | None
    cache_key: str
    filters: list[Condition] = field(default_factory=list)
    filter_key: str = ""

    @property
    def signature(self) -> str:
        return ordering.signature(self.keys)


def page_request(
    entity: str,
    type_name: str,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    order_by: list[tuple[str, bool]],
    filter_value: Any,
    search: str | None,
    dialect: str,
    table: sa.FromClause | None = None,
) -> PageRequest:
    """`dialect`, the database's (`sqlite`, `postgresql`): the keyset segments suit its planner."""
    check_page_size("first", first)
    check_page_size("last", last)
    if first is not None and last is not None:
        raise BadUserInput("give `first` or `last`, not both")
    keys = ordering.order_keys(entity, order_by)
    signature = ordering.signature(keys)
    kinds = [k.kind for k in keys]
    filters = [
        c
        for c in (
            condition(entity, filter_value, table),
            search_condition(entity, search, table),
        )
        if c is not None
    ]
    backward = last is not None
    where = list(filters)
    # The cursor the page is read from gives segments (each read from its own position); the
    # other, a bound the read stops at, one condition.
    segments: list[Condition] = []
    split_ties = dialect == "sqlite"
    if after is not None:
        values = cursors.decode(
            after, argument="after", type_name=type_name, ordering=signature, kinds=kinds
        )
        later = ordering.segments(entity, keys, values, table, split_ties=split_ties)
        if backward:
            where.append(sa.or_(*later))
        else:
            segments = later
    if before is not None:
        values = cursors.decode(
            before, argument="before", type_name=type_name, ordering=signature, kinds=kinds
        )
        earlier = ordering.segments(
            entity, ordering.reverse(keys), values, table, split_ties=split_ties
        )
        if backward:
            segments = earlier
        else:
            where.append(sa.or_(*earlier))
    size = last if backward else (DEFAULT_PAGE if first is None else first)
    assert size is not None
    return PageRequest(
        entity=entity,
        type_name=type_name,
        keys=keys,
        fetch_order=ordering.reverse(keys) if backward else keys,
        where=where,
        segments=segments,
        size=size,
        backward=backward,
        after=after,
        before=before,
        cache_key=repr((first, after, last, before, order_by, filter_value, search)),
        filters=filters,
        filter_key=repr((filter_value, search)),
    )


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


def assemble(request: PageRequest, fetched: list[dict[str, Any]]) -> Page:
    """Rows fetched with one extra (to know whether more exist) -> the page in forward order."""
    more = len(fetched) > request.size
    rows = fetched[: request.size]
    if request.backward:
        rows.reverse()
    return Page(
        rows=rows,
        cursors=[
            cursors.encode(
                request.type_name, request.signature, ordering.key_values(request.keys, r)
            )
            for r in rows
        ],
        has_next_page=(request.before is not None) if request.backward else more,
        has_previous_page=more if request.backward else (request.after is not None),
    )


def requested_order(entity: str, order_by: list[Any] | None) -> list[tuple[str, bool]]:
    """`[{"field": NAME, "direction": DESC}]` (plain data) -> `[("name", True)]`; by id when
    omitted."""
    if not order_by:
        return []
    keys: list[tuple[str, bool]] = []
    for item in order_by:
        field, direction = item["field"], item.get("direction")
        column = field.value if hasattr(field, "value") else field
        if column != "id" and column not in ENTITIES[entity].by_key:
            raise BadUserInput(f"cannot order {entity} by {column}")
        descending = direction is not None and getattr(direction, "value", direction) == "desc"
        keys.append((column, descending))
    return keys
