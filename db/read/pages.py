"""A connection's page as plain values, and the SQL conditions that read it.

`PageQuery` is what a connection asks for, as the gateway found it in its arguments (the
ordering's keys, the filter as plain data, the search, the cursors' decoded values, the size
and direction); `conditions` turns it into SQL over a table or an alias of it: the filter and
search, the keyset segments from the cursor the page is read from, and the bound the read stops
at. The dialect decides how the segments suit its planner (see `db.read.ordering`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from db.read import ordering
from db.read.conditions import Condition, condition
from db.read.dialects import dialect_for
from db.read.ordering import OrderKey
from db.read.search import search_condition


@dataclass(frozen=True)
class PageQuery:
    """One connection's page: `after`/`before` are the cursors' key values (None: no cursor)."""

    entity: str
    type_name: str
    keys: tuple[OrderKey, ...]
    filter_value: Any
    search: str | None
    size: int
    backward: bool
    after: tuple[Any, ...] | None = None
    before: tuple[Any, ...] | None = None

    @property
    def signature(self) -> str:
        return ordering.signature(list(self.keys))

    @property
    def fetch_order(self) -> list[OrderKey]:
        """The order the rows are read in: backward pages read from their end."""
        return ordering.reverse(list(self.keys)) if self.backward else list(self.keys)

    @property
    def cache_key(self) -> str:
        return repr(self)

    @property
    def filter_key(self) -> str:
        return repr((self.filter_value, self.search))


@dataclass(frozen=True)
class PageConditions:
    """`where` keeps the page's rows; `segments` split them in the fetch order (see
    `ordering.segments`; none: all of `where`'s); `filters` are the filter and search alone."""

    where: list[Condition]
    segments: list[Condition]
    filters: list[Condition]


def filters(
    entity: str, filter_value: Any, search: str | None, table: sa.FromClause | None = None
) -> list[Condition]:
    """The filter's and the search's conditions (what `totalCount` counts)."""
    found = (condition(entity, filter_value, table), search_condition(entity, search, table))
    return [c for c in found if c is not None]


def conditions(page: PageQuery, dialect: str, table: sa.FromClause | None = None) -> PageConditions:
    """The page's conditions over `table` (the entity's, or an alias) for `dialect`'s planner."""
    kept = filters(page.entity, page.filter_value, page.search, table)
    keys = list(page.keys)
    where = list(kept)
    # The cursor the page is read from gives segments (each read from its own position); the
    # other, a bound the read stops at, one condition.
    segments: list[Condition] = []
    split_ties = dialect_for(dialect).split_ties
    if page.after is not None:
        later = ordering.segments(page.entity, keys, list(page.after), table, split_ties=split_ties)
        if page.backward:
            where.append(sa.or_(*later))
        else:
            segments = later
    if page.before is not None:
        earlier = ordering.segments(
            page.entity, ordering.reverse(keys), list(page.before), table, split_ties=split_ties
        )
        if page.backward:
            segments = earlier
        else:
            where.append(sa.or_(*earlier))
    return PageConditions(where, segments, kept)
