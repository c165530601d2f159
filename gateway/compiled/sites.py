"""Where a request's values enter a compiled statement, and the facts that shape it.

A statement is built once per document and variable shape and run with each request's values
as bind parameters. A site is a connection or a lookup of the plan: for each request it reads the
field's arguments from the variables and builds the conditions they give (filter, search,
cursor) with the translators the resolvers use. The conditions' structure with the values left
out (SQLAlchemy's cache key), with the page size, direction and ordering, are the site's facts:
requests with the same facts run the same SQL text, and the conditions' values, in the order
the cache key lists them, are the parameters at the site's positions in it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import BindParameter

from gateway.compiled.plan import ArgumentSource, NotCompilable
from gateway.resolvers.connections import PageRequest, page_request, requested_order
from gateway.resolvers.filtering import Condition, condition
from gateway.resolvers.search import search_condition


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
    request: PageRequest | None = None
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

    `total_parameter` names the statement's parameter for a root total counted apart.
    """

    source: ArgumentSource
    entity: str
    type_name: str
    table: sa.FromClause
    dialect: str
    count_table: sa.FromClause | None = None
    total_parameter: str | None = None

    def bind(self, arguments: dict[str, Any]) -> Binding:
        filter_value, search = arguments.get("filter"), arguments.get("search")
        request = page_request(
            self.entity,
            self.type_name,
            first=arguments.get("first"),
            after=arguments.get("after"),
            last=arguments.get("last"),
            before=arguments.get("before"),
            order_by=requested_order(self.entity, arguments.get("order_by")),
            filter_value=filter_value,
            search=search,
            dialect=self.dialect,
            table=self.table,
        )
        total_filters: list[Condition] = []
        if self.count_table is not None:
            total_filters = [
                c
                for c in (
                    condition(self.entity, filter_value, self.count_table),
                    search_condition(self.entity, search, self.count_table),
                )
                if c is not None
            ]
        where, in_where = _structure(request.where)
        segments, in_segments = _structure(request.segments)
        counted, in_count = _structure(total_filters)
        facts = (
            where,
            segments,
            counted,
            request.size,
            request.backward,
            request.after is None,
            request.before is None,
            request.signature,
        )
        total = None
        if self.total_parameter is not None:
            total = TotalSlot(self.total_parameter, self.entity, filter_value, search)
        return Binding(
            facts,
            [*in_where, *in_segments, *in_count],
            request=request,
            total_filters=total_filters,
            total=total,
        )


@dataclass(frozen=True)
class LookupSite:
    """A root lookup by LL2 id over `table`."""

    source: ArgumentSource
    table: sa.FromClause

    def bind(self, arguments: dict[str, Any]) -> Binding:
        match = self.table.c.id == arguments["ll2_id"]
        facts, parameters = _structure([match])
        return Binding(facts, parameters, match=match)


Site = ConnectionSite | LookupSite
