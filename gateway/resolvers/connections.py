"""Connection arguments -> one page query (plain values); fetched rows -> edges, nodes and info.

`first`/`last` are bounded (at most 100, 10 when neither is given); `after`/`before` are keyset
cursors, so page 1,000 costs what page 1 costs and rows added between two requests never make a
page repeat or skip an item. The SQL that reads a page is `db.read`'s; here the arguments are
checked and the cursors decoded, each refusal a `BAD_USER_INPUT` naming the argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.read import ordering
from db.read.conditions import check_text
from db.read.errors import BadRead
from db.read.pages import PageQuery
from gateway.resolvers import cursors
from gateway.resolvers.errors import BadUserInput

MAX_PAGE = 100
DEFAULT_PAGE = 10


def check_page_size(argument: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= MAX_PAGE:
        raise BadUserInput(
            f"`{argument}` must be between 0 and {MAX_PAGE}, got {value}; page with the "
            "cursors in pageInfo instead"
        )


def page_query(
    entity: str,
    type_name: str,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    order_by: list[Any] | None,
    filter_value: Any,
    search: str | None,
) -> PageQuery:
    """The page a connection's arguments ask for; `order_by` and `filter_value` as plain data
    (`gateway.resolvers.inputs`)."""
    check_page_size("first", first)
    check_page_size("last", last)
    if first is not None and last is not None:
        raise BadUserInput("give `first` or `last`, not both")
    try:
        keys = ordering.order_keys(entity, ordering.requested(entity, order_by))
        check_text(filter_value, "filter")
        check_text(search, "search")
    except BadRead as e:
        raise BadUserInput(str(e)) from None
    signature = ordering.signature(keys)
    kinds = [k.kind for k in keys]

    def decoded(cursor: str | None, argument: str) -> tuple[Any, ...] | None:
        if cursor is None:
            return None
        values = cursors.decode(
            cursor, argument=argument, type_name=type_name, ordering=signature, kinds=kinds
        )
        return tuple(values)

    backward = last is not None
    size = last if backward else (DEFAULT_PAGE if first is None else first)
    assert size is not None
    return PageQuery(
        entity=entity,
        type_name=type_name,
        keys=tuple(keys),
        filter_value=filter_value,
        search=search,
        size=size,
        backward=backward,
        after=decoded(after, "after"),
        before=decoded(before, "before"),
    )


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


def assemble(query: PageQuery, fetched: list[dict[str, Any]]) -> Page:
    """Rows fetched with one extra (to know whether more exist) -> the page in forward order."""
    more = len(fetched) > query.size
    rows = fetched[: query.size]
    if query.backward:
        rows.reverse()
    keys = list(query.keys)
    return Page(
        rows=rows,
        cursors=[
            cursors.encode(query.type_name, query.signature, ordering.key_values(keys, r))
            for r in rows
        ],
        has_next_page=(query.before is not None) if query.backward else more,
        has_previous_page=more if query.backward else (query.after is not None),
    )
