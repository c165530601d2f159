"""A plan -> one SELECT whose single value is the operation's `data`, as JSON text.

Objects are `json_object` (SQLite) / `json_build_object` (PostgreSQL) of their fields; a to-one
relation is a correlated scalar subquery; lists and connection pages aggregate an ordered
subquery. A page first picks its ids (keyset condition, order, LIMIT: cheap, uses the indexes),
then builds JSON for those rows only. Filters, search, orderings and cursors come from the same
translators the resolvers use, over table aliases.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

import sqlalchemy as sa

from db.read import ordering
from db.read.dialects import Dialect, Expr
from db.read.dialects import integer as _int
from db.read.dialects import text as _text
from db.read.segments import first_rows
from db.read.selection import (
    Column,
    ConnectionPlan,
    Cursor,
    EdgeNode,
    Edges,
    GlobalId,
    Literal,
    Lookup,
    Nodes,
    ObjectPlan,
    PageInfoPlan,
    ToMany,
    ToOne,
    TotalCount,
)
from db.read.sites import Binding, ConnectionSite, LookupSite, Site, TotalSlot
from db.spec import ENTITIES, Many, Ref
from db.tables import ENTITY_TABLES, LINK_TABLES, POSITION


@functools.cache
def _named_alias(table: sa.Table, name: str) -> sa.FromClause:
    # Aliases are immutable; building one proxies every column, so each is built once.
    return table.alias(name)


@functools.cache
def _named_pairs(select: sa.Select[Any], name: str) -> sa.Subquery:
    return select.subquery(name)


def _wants_cursors(plan: ConnectionPlan) -> bool:
    for _, field in plan.fields:
        if isinstance(field, PageInfoPlan) and any(
            name in ("startCursor", "endCursor") for _, name in field.fields
        ):
            return True
        if isinstance(field, Edges) and any(isinstance(f, Cursor) for _, f in field.fields):
            return True
    return False


class SqlBuilder:
    """Builds the statement of a plan for one request's arguments, and records its sites.

    `sites` and `bindings`, in the order built, say where the request's values are in the
    statement (`db.read.sites`), so that later requests bind theirs into its SQL.
    """

    def __init__(self, dialect: Dialect, *, root_totals: bool = False) -> None:
        self.d = dialect
        self._names = itertools.count()
        self.root_totals = root_totals
        self.total_slots: list[TotalSlot] = []
        self._totals = itertools.count()
        self.sites: list[Site] = []
        self.bindings: list[Binding] = []

    def _site(self, site: Site, query: Any) -> Binding:
        binding = site.bind(query)
        self.sites.append(site)
        self.bindings.append(binding)
        return binding

    def _alias(self, table: sa.Table) -> sa.FromClause:
        return _named_alias(table, f"t{next(self._names)}")

    def _boolean(self, expr: Expr) -> Expr:
        return self.d.boolean(expr)

    def _constant(self, value: bool) -> Expr:
        return self._boolean(sa.true() if value else sa.false())

    # objects ---------------------------------------------------------------------------------

    def object_json(self, plan: ObjectPlan, t: sa.FromClause) -> Expr:
        pairs: list[tuple[str, Expr]] = []
        for key, field in plan.fields:
            pairs.append((key, self._field(plan, field, t)))
        return self.d.object(pairs)

    def _field(self, plan: ObjectPlan, field: Any, t: sa.FromClause) -> Expr:
        if isinstance(field, Literal):
            return _text(field.value)
        if isinstance(field, GlobalId):
            return self.d.global_id(field.type_name, t.c.id)
        if isinstance(field, Column):
            return self.d.scalar(field.kind, t.c[field.column])
        if isinstance(field, ToOne):
            return self._to_one(field, t)
        if isinstance(field, ToMany):
            return self._to_many(field, t)
        if isinstance(field, ConnectionPlan):
            return self.connection_json(field, t)
        raise TypeError(f"unknown plan field {field!r}")

    def _to_one(self, field: ToOne, t: sa.FromClause) -> Expr:
        u = self._alias(ENTITY_TABLES[field.spec.target])
        statement = (
            sa.select(self.object_json(field.target, u))
            .where(u.c.id == t.c[field.spec.column])
            .correlate_except(u)
        )
        return self.d.nested(statement.scalar_subquery())

    def _to_many(self, field: ToMany, t: sa.FromClause) -> Expr:
        spec = field.spec
        u = self._alias(ENTITY_TABLES[spec.target])
        if isinstance(spec, Many):
            link = self._alias(LINK_TABLES[(field.owner, spec.key)])
            rows = (
                sa.select(self.object_json(field.target, u).label("v"), link.c.position.label("o"))
                .select_from(link.join(u, u.c.id == link.c.target_id))
                .where(link.c.owner_id == t.c.id)
                .order_by(link.c.position)
            )
            own: tuple[sa.FromClause, ...] = (u, link)
        else:
            via = ENTITIES[spec.target].by_key[spec.via]
            if isinstance(via, Ref):
                order = [u.c[POSITION], u.c.id] if spec.ordered else [u.c.id]
                rows = (
                    sa.select(
                        self.object_json(field.target, u).label("v"),
                        sa.func.row_number().over(order_by=order).label("o"),
                    )
                    .where(u.c[via.column] == t.c.id)
                    .order_by(*order)
                )
                own = (u,)
            else:
                link = self._alias(LINK_TABLES[(spec.target, spec.via)])
                rows = (
                    sa.select(self.object_json(field.target, u).label("v"), u.c.id.label("o"))
                    .select_from(link.join(u, u.c.id == link.c.owner_id))
                    .where(link.c.target_id == t.c.id)
                    .order_by(u.c.id)
                )
                own = (u, link)
        sub = rows.correlate_except(*own).subquery()
        return self.d.nested(sa.select(self.d.array_agg(sub.c.v, [sub.c.o])).scalar_subquery())

    # connections -----------------------------------------------------------------------------

    def _scope(
        self, plan: ConnectionPlan, u: sa.FromClause, parent: sa.FromClause | None
    ) -> tuple[sa.FromClause, list[Expr], tuple[sa.FromClause, ...]]:
        if plan.edge is None or parent is None:
            return u, [], (u,)
        if plan.edge.pairs.parent_column is not None:
            return u, [u.c[plan.edge.pairs.parent_column] == parent.c.id], (u,)
        pairs = _named_pairs(plan.edge.pairs.select, f"p{next(self._names)}")
        joined = u.join(pairs, pairs.c.child == u.c.id)
        return joined, [pairs.c.parent == parent.c.id], (u, pairs)

    def connection_json(self, plan: ConnectionPlan, parent: sa.FromClause | None) -> Expr:
        u = self._alias(ENTITY_TABLES[plan.entity])
        counted = any(isinstance(f, TotalCount) for _, f in plan.fields)
        total_parameter = count_table = None
        if counted and parent is None and self.root_totals:
            total_parameter = f"total_{next(self._totals)}"
        elif counted:
            count_table = self._alias(ENTITY_TABLES[plan.entity])
        site = ConnectionSite(
            plan.source,
            plan.entity,
            u,
            self.d.name,
            count_table=count_table,
            total_parameter=total_parameter,
        )
        binding = self._site(site, plan.query)
        found = binding.page
        assert found is not None
        request = plan.query
        source, scope, own = self._scope(plan, u, parent)
        where, segments = [*scope, *found.where], found.segments
        if parent is not None and segments:
            # A parent's few rows are read by the parent's index: there they are one condition.
            where, segments = [*where, sa.or_(*segments)], []
        # One read of the page and one row more, to tell whether more follow.
        picked = first_rows(
            sa.select(u.c.id).select_from(source).where(*where).correlate_except(*own),
            segments,
            ordering.order_by(plan.entity, request.fetch_order, u),
            _int(request.size + 1),
        ).subquery(f"ids{next(self._names)}")
        v = self._alias(ENTITY_TABLES[plan.entity])
        forward = ordering.order_by(plan.entity, list(request.keys), v)
        fetched = ordering.order_by(plan.entity, request.fetch_order, v)
        columns: list[Expr] = [
            sa.func.row_number().over(order_by=fetched).label("k"),
            sa.func.row_number().over(order_by=forward).label("rn"),
        ]
        cursor = self.d.cursor(
            plan.type_name,
            request.signature,
            [(k.kind, v.c[k.column]) for k in request.keys],
        )
        if _wants_cursors(plan):
            columns.append(cursor.label("cursor"))
        node_columns: dict[str, str] = {}
        for key, field in plan.fields:
            if isinstance(field, Nodes):
                node_columns[key] = f"n{len(node_columns)}"
                columns.append(self.object_json(field.node, v).label(node_columns[key]))
            elif isinstance(field, Edges):
                node_columns[key] = f"n{len(node_columns)}"
                columns.append(self._edge_json(field, v, cursor).label(node_columns[key]))
        rows = (
            sa.select(*columns)
            .select_from(picked.join(v, v.c.id == picked.c.id))
            .order_by(*forward)
            .subquery(f"rows{next(self._names)}")
        )
        on_page = rows.c.k <= _int(request.size)
        pairs: list[tuple[str, Expr]] = []
        for key, field in plan.fields:
            if isinstance(field, Literal):
                pairs.append((key, _text(field.value)))
            elif isinstance(field, (Nodes, Edges)):
                column = rows.c[node_columns[key]]
                pairs.append((key, self.d.array_agg(column, [rows.c.rn], on_page)))
            elif isinstance(field, PageInfoPlan):
                pairs.append((key, self._page_info(field, request, rows, on_page)))
            elif isinstance(field, TotalCount):
                pairs.append((key, self._total(plan, parent, binding, count_table)))
        statement = sa.select(self.d.object(pairs))
        if any(isinstance(f, (Nodes, Edges, PageInfoPlan)) for _, f in plan.fields):
            # HAVING makes it an aggregate query: one row even when the page is empty.
            statement = statement.select_from(rows).having(sa.func.count() >= _int(0))
        return self.d.nested(statement.scalar_subquery())

    def _edge_json(self, edges: Edges, v: sa.FromClause, cursor: Expr) -> Expr:
        pairs: list[tuple[str, Expr]] = []
        for key, field in edges.fields:
            if isinstance(field, Literal):
                pairs.append((key, _text(field.value)))
            elif isinstance(field, Cursor):
                pairs.append((key, cursor))
            elif isinstance(field, EdgeNode):
                pairs.append((key, self.object_json(field.node, v)))
        return self.d.object(pairs)

    def _page_info(
        self, info: PageInfoPlan, request: Any, rows: sa.Subquery, on_page: Expr
    ) -> Expr:
        more = sa.func.count() > _int(request.size)
        pairs: list[tuple[str, Expr]] = []
        for key, name in info.fields:
            if name == "__typename":
                pairs.append((key, _text("PageInfo")))
            elif name in ("startCursor", "endCursor"):
                first = name == "startCursor"
                pairs.append((key, self.d.edge_cursor(rows.c.cursor, rows.c.rn, on_page, first)))
            elif name == ("hasPreviousPage" if request.backward else "hasNextPage"):
                pairs.append((key, self._boolean(more)))
            else:
                given = request.before if name == "hasNextPage" else request.after
                pairs.append((key, self._constant(given is not None)))
        return self.d.object(pairs)

    def _total(
        self,
        plan: ConnectionPlan,
        parent: sa.FromClause | None,
        binding: Binding,
        w: sa.FromClause | None,
    ) -> Expr:
        if binding.total is not None:
            self.total_slots.append(binding.total)
            return sa.bindparam(binding.total.parameter, type_=sa.Integer)
        assert w is not None
        source, scope, own = self._scope(plan, w, parent)
        return (
            sa.select(sa.func.count())
            .select_from(source)
            .where(*scope, *binding.total_filters)
            .correlate_except(*own)
            .scalar_subquery()
        )

    # the root --------------------------------------------------------------------------------

    def lookup_json(self, lookup: Lookup) -> Expr:
        v = self._alias(ENTITY_TABLES[lookup.entity])
        binding = self._site(LookupSite(lookup.source, v), lookup.ll2_id)
        assert binding.match is not None
        statement = sa.select(self.object_json(lookup.target, v)).where(binding.match)
        return self.d.nested(statement.correlate_except(v).scalar_subquery())

    def root(self, fields: list[tuple[str, Any]]) -> sa.Select[Any]:
        pairs: list[tuple[str, Expr]] = []
        for key, field in fields:
            if isinstance(field, Literal):
                pairs.append((key, _text(field.value)))
            elif isinstance(field, Lookup):
                pairs.append((key, self.lookup_json(field)))
            else:
                pairs.append((key, self.connection_json(field, None)))
        return sa.select(self.d.text_result(self.d.object(pairs)))
