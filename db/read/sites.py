"""Where a request's values enter a compiled statement, and the facts that shape it.

A statement is built once per document and variable shape and run with each request's values
as bind parameters. A site is a connection or a lookup of the plan: for each request it takes
what the gateway read from the request's variables (a `PageQuery`, an id) and builds the
conditions they give (filter, search, cursor) with the translators the resolvers' reads use.
The conditions' structure with the values left out (SQLAlchemy's cache key), with the page
size, direction and ordering, are the site's facts: requests with the same facts run the same
SQL text, and the conditions' values, in the order the cache key lists them, are the
parameters at the site's positions in it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import BindParameter

from db.read.conditions import Condition
from db.read.pages import PageConditions, PageQuery, conditions, filters
from db.read.selection import NotCompilable


@dataclass(frozen=True)
class TotalSlot:
    """A root connection's totalCount, given to the statement as a parameter (counted apart)."""

    parameter: str
    entity: str
    filter_value: Any
    search: str | None

    @property
    def filter_key(self) -> str:
        return repr((self.filter_value, self.search))


@dataclass(frozen=True)
class Binding:
    """One request's values at one site: the facts that shape the SQL, and the bound values."""

    facts: Hashable
    parameters: Sequence[BindParameter[Any]]
    page: PageConditions | None = None
    total_filters: Sequence[Condition] = ()
    total: TotalSlot | None = None
    match: Condition | None = None

    @property
    def values(self) -> list[Any]:
        return [p.effective_value for p in self.parameters]


def _structure(conditions: Sequence[Condition]) -> tuple[tuple[Any, ...], list[BindParameter[Any]]]:
    """The conditions' cache keys (values left out) and their bound parameters, in order."""
    keys: list[Any] = []
    parameters: list[BindParameter[Any]] = []
    for c in conditions:
        key = c._generate_cache_key()
        if key is None:
            raise NotCompilable("a condition SQLAlchemy cannot key")
        keys.append(key.key)
        parameters.extend(key.bindparams)
    return tuple(keys), parameters


@dataclass(frozen=True)
class ConnectionSite:
    """A connection's page: its rows over `table`, its nested count over `count_table`.

    `source` is the caller's token for where the arguments are; `total_parameter` names the
    statement's parameter for a root total counted apart.
    """

    source: Any
    entity: str
    table: sa.FromClause
    dialect: str
    count_table: sa.FromClause | None = None
    total_parameter: str | None = None

    def bind(self, query: PageQuery) -> Binding:
        page = conditions(query, self.dialect, self.table)
        total_filters: list[Condition] = []
        if self.count_table is not None:
            total_filters = filters(self.entity, query.filter_value, query.search, self.count_table)
        where, in_where = _structure(page.where)
        segments, in_segments = _structure(page.segments)
        counted, in_count = _structure(total_filters)
        facts = (
            where,
            segments,
            counted,
            query.size,
            query.backward,
            query.after is None,
            query.before is None,
            query.signature,
        )
        total = None
        if self.total_parameter is not None:
            total = TotalSlot(self.total_parameter, self.entity, query.filter_value, query.search)
        return Binding(
            facts,
            [*in_where, *in_segments, *in_count],
            page=page,
            total_filters=total_filters,
            total=total,
        )


@dataclass(frozen=True)
class LookupSite:
    """A root lookup by LL2 id over `table`."""

    source: Any
    table: sa.FromClause

    def bind(self, ll2_id: Any) -> Binding:
        match = self.table.c.id == ll2_id
        facts, parameters = _structure([match])
        return Binding(facts, parameters, match=match)


Site = ConnectionSite | LookupSite
