"""The SQL behind every GraphQL read: keyword-only functions that return rows.

Each function runs one statement (or one per chunk of a very long id list), whatever the number
of parents it serves, so a loader calling it batches a whole level of a query into one round
trip. Pages and counts arrive as plain values (`db.read.pages.PageQuery`, filters as plain
data) and become SQL here, for the connection's dialect; nothing here knows GraphQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Result

from db.read import ordering
from db.read.pages import PageQuery, conditions, filters
from db.read.segments import by_key, first_rows
from db.spec import ENTITIES, Backref, Many, Ref
from db.tables import ENTITY_TABLES, LINK_TABLES, POSITION

Row = dict[str, Any]
CHUNK = 1000


class AsyncConnection(Protocol):
    """What these functions need of a connection: SQLAlchemy's, or one that counts statements."""

    @property
    def dialect(self) -> Any: ...

    async def execute(self, statement: Any, /) -> Result[Any]: ...


PARENT = "__parent"
RANK = "__rank"


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)] or [[]]


async def rows_by_id(conn: AsyncConnection, *, entity: str, ids: Sequence[Any]) -> dict[Any, Row]:
    table = ENTITY_TABLES[entity]
    found: dict[Any, Row] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        if chunk:
            result = await conn.execute(sa.select(table).where(table.c.id.in_(chunk)))
            found.update((r["id"], dict(r)) for r in result.mappings())
    return found


async def linked_rows(
    conn: AsyncConnection, *, entity: str, key: str, owners: Sequence[Any]
) -> dict[Any, list[Row]]:
    """The targets of a `Many` edge, in LL2's order, for each owner."""
    spec = ENTITIES[entity].by_key[key]
    assert isinstance(spec, Many)
    link = LINK_TABLES[(entity, key)]
    target = ENTITY_TABLES[spec.target]
    out: dict[Any, list[Row]] = defaultdict(list)
    for chunk in _chunks(list(dict.fromkeys(owners))):
        if not chunk:
            continue
        statement = (
            sa.select(target, link.c.owner_id.label(PARENT))
            .join(link, link.c.target_id == target.c.id)
            .where(link.c.owner_id.in_(chunk))
            .order_by(link.c.owner_id, link.c.position)
        )
        for r in (await conn.execute(statement)).mappings():
            row = dict(r)
            out[row.pop(PARENT)].append(row)
    return out


async def backref_rows(
    conn: AsyncConnection, *, entity: str, key: str, owners: Sequence[Any]
) -> dict[Any, list[Row]]:
    """The rows an LL2 list shows on the other side of an edge (an image's variants)."""
    spec = ENTITIES[entity].by_key[key]
    assert isinstance(spec, Backref)
    pairs = pairs_for_backref(entity, spec)
    target = ENTITY_TABLES[spec.target]
    order = [target.c[POSITION], target.c.id] if spec.ordered else [target.c.id]
    out: dict[Any, list[Row]] = defaultdict(list)
    for chunk in _chunks(list(dict.fromkeys(owners))):
        if not chunk:
            continue
        statement = (
            sa.select(target, pairs.c.parent.label(PARENT))
            .join(pairs, pairs.c.child == target.c.id)
            .where(pairs.c.parent.in_(chunk))
            .order_by(pairs.c.parent, *order)
        )
        for r in (await conn.execute(statement)).mappings():
            row = dict(r)
            out[row.pop(PARENT)].append(row)
    return out


@dataclass(frozen=True)
class Pairs:
    """How children hang off parents: a selectable of (child, parent) id pairs."""

    child_entity: str
    select: sa.Select[Any]
    # When the child's own column names the parent, queries filter on it with no join.
    parent_column: str | None = None


def pairs_via_ref(child_entity: str, ref_key: str) -> Pairs:
    ref = ENTITIES[child_entity].by_key[ref_key]
    assert isinstance(ref, Ref)
    table = ENTITY_TABLES[child_entity]
    return Pairs(
        child_entity,
        sa.select(table.c.id.label("child"), table.c[ref.column].label("parent")).where(
            table.c[ref.column].is_not(None)
        ),
        parent_column=ref.column,
    )


def pairs_via_many(owner_entity: str, many_key: str) -> Pairs:
    """Owners of a `Many` edge as children of its targets (configurations of a family)."""
    link = LINK_TABLES[(owner_entity, many_key)]
    return Pairs(
        owner_entity, sa.select(link.c.owner_id.label("child"), link.c.target_id.label("parent"))
    )


def pairs_through(
    owner_entity: str, many_keys: Sequence[str], via_entity: str, ref_key: str
) -> Pairs:
    """Owners reached through `Many` edges to rows whose `ref_key` is the parent.

    Flights of an astronaut: a flight's launch, onboard and landing crews hold astronaut flights,
    each naming an astronaut. Distinct, so a crew member at launch and landing counts once.
    """
    via = ENTITY_TABLES[via_entity]
    ref = ENTITIES[via_entity].by_key[ref_key]
    assert isinstance(ref, Ref)
    selects = [
        sa.select(
            LINK_TABLES[(owner_entity, k)].c.owner_id.label("child"),
            via.c[ref.column].label("parent"),
        ).join(via, via.c.id == LINK_TABLES[(owner_entity, k)].c.target_id)
        for k in many_keys
    ]
    union = sa.union(*selects).subquery()
    return Pairs(owner_entity, sa.select(union.c.child, union.c.parent))


def pairs_for_backref(entity: str, spec: Backref) -> sa.Subquery:
    via = ENTITIES[spec.target].by_key[spec.via]
    pairs = (
        pairs_via_ref(spec.target, spec.via)
        if isinstance(via, Ref)
        else pairs_via_many(spec.target, spec.via)
    )
    return pairs.select.subquery()


def _scoped(
    entity: str, where: Sequence[sa.ColumnElement[bool]], pairs: Pairs | None
) -> tuple[sa.Select[Any], sa.ColumnElement[Any] | None]:
    table = ENTITY_TABLES[entity]
    if pairs is None:
        return sa.select(table).where(*where), None
    if pairs.parent_column is not None:
        return sa.select(table).where(*where), table.c[pairs.parent_column]
    sub = pairs.select.subquery()
    statement = sa.select(table).join(sub, sub.c.child == table.c.id).where(*where)
    return statement, sub.c.parent


async def page_rows(
    conn: AsyncConnection,
    *,
    entity: str,
    where: Sequence[sa.ColumnElement[bool]],
    order_by: Sequence[sa.ColumnElement[Any]],
    limit: int,
    pairs: Pairs | None = None,
    parents: Sequence[Any] = (),
    segments: Sequence[sa.ColumnElement[bool]] = (),
) -> dict[Any, list[Row]]:
    """Up to `limit` rows in order; per parent (one window query for all) when `pairs` is given.

    `segments` split the rows `where` keeps in order (see `db.read.segments`): at the root each is
    read from its own position; a parent's few rows are read by the parent's index, so there
    they are one condition.
    """
    if pairs is not None and segments:
        where, segments = [*where, sa.or_(*segments)], ()
    statement, parent = _scoped(entity, where, pairs)
    if parent is None:
        picked = first_rows(statement, segments, order_by, limit)
        if len(segments) > 1:
            picked = by_key(ENTITY_TABLES[entity], picked, order_by)
        rows = (await conn.execute(picked)).mappings()
        return {None: [dict(r) for r in rows]}
    out: dict[Any, list[Row]] = defaultdict(list)
    for chunk in _chunks(list(dict.fromkeys(parents))):
        if not chunk:
            continue
        rank = sa.func.row_number().over(partition_by=parent, order_by=list(order_by))
        ranked = (
            statement.add_columns(parent.label(PARENT), rank.label(RANK))
            .where(parent.in_(chunk))
            .subquery()
        )
        top = (
            sa.select(ranked)
            .where(ranked.c[RANK] <= limit)
            .order_by(ranked.c[PARENT], ranked.c[RANK])
        )
        for r in (await conn.execute(top)).mappings():
            row = dict(r)
            del row[RANK]
            out[row.pop(PARENT)].append(row)
    return out


async def count_rows(
    conn: AsyncConnection,
    *,
    entity: str,
    where: Sequence[sa.ColumnElement[bool]],
    pairs: Pairs | None = None,
    parents: Sequence[Any] = (),
) -> dict[Any, int]:
    statement, parent = _scoped(entity, where, pairs)
    if parent is None:
        counted = statement.with_only_columns(sa.func.count()).select_from(ENTITY_TABLES[entity])
        return {None: int((await conn.execute(counted)).scalar_one())}
    out: dict[Any, int] = dict.fromkeys(parents, 0)
    for chunk in _chunks(list(dict.fromkeys(parents))):
        if not chunk:
            continue
        counted = (
            statement.with_only_columns(parent, sa.func.count())
            .where(parent.in_(chunk))
            .group_by(parent)
        )
        result: Result[Any] = await conn.execute(counted)
        out.update({row[0]: int(row[-1]) for row in result.all()})
    return out


async def page_of(
    conn: AsyncConnection,
    *,
    page: PageQuery,
    pairs: Pairs | None = None,
    parents: Sequence[Any] = (),
) -> dict[Any, list[Row]]:
    """A connection's page and one row more (to tell whether more follow), for each parent (or
    at the root, under None), read as the connection's dialect reads it best."""
    found = conditions(page, conn.dialect.name)
    return await page_rows(
        conn,
        entity=page.entity,
        where=found.where,
        segments=found.segments,
        order_by=ordering.order_by(page.entity, page.fetch_order),
        limit=page.size + 1,
        pairs=pairs,
        parents=parents,
    )


async def count_of(
    conn: AsyncConnection,
    *,
    entity: str,
    filter_value: Any,
    search: str | None,
    pairs: Pairs | None = None,
    parents: Sequence[Any] = (),
) -> dict[Any, int]:
    """How many rows the filter and search keep, for each parent (or at the root, under None)."""
    where = filters(entity, filter_value, search)
    return await count_rows(conn, entity=entity, where=where, pairs=pairs, parents=parents)
