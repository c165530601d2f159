"""Orderings: each key becomes SQL with nulls last ascending and first descending, on every
backend, always finished by the id, so every order is total and keyset pages never skip or
repeat a row. `segments` builds the keyset condition for "rows after these values".

The id runs in the direction of the last key, so an ordering in one direction is one index read
forwards or backwards, and "after" a row-value comparison (`(name, id) > (:name, :id)`) that
PostgreSQL answers with an index range scan: page 900,000 costs what page 1 does. A row-value
comparison leaves out a row at its first null, though, and ascending the nulls come last: after
a set value come the rest of the range, then the nulls. As one `OR` both planners answer that by
reading the index from its start, so it is given as segments, each its own index range, which
the page reads one after the other (a `UNION ALL` of limited reads; see `db.read.segments`). SQLite
seeks a row-value range on its first column only, so for it the range is two segments as well
(see `_past`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from db.read.errors import BadRead
from db.spec import ENTITIES, Kind, Scalar
from db.tables import ENTITY_TABLES


@dataclass(frozen=True)
class OrderKey:
    column: str
    kind: Kind
    descending: bool
    nullable: bool = True

    @property
    def label(self) -> str:
        return f"{self.column}:{'desc' if self.descending else 'asc'}"


def requested(entity: str, order_by: list[Any] | None) -> list[tuple[str, bool]]:
    """`[{"field": NAME, "direction": DESC}]` (plain data, enums or their values) ->
    `[("name", True)]`; by id when omitted."""
    if not order_by:
        return []
    keys: list[tuple[str, bool]] = []
    for item in order_by:
        field, direction = item["field"], item.get("direction")
        column = getattr(field, "value", field)
        if column != "id" and column not in ENTITIES[entity].by_key:
            raise BadRead(f"cannot order {entity} by {column}")
        keys.append((column, getattr(direction, "value", direction) == "desc"))
    return keys


def order_keys(entity: str, requested: list[tuple[str, bool]]) -> list[OrderKey]:
    """`[(column, descending)]` as asked, then the id (unless the id already made it total)."""
    spec = ENTITIES[entity]
    keys: list[OrderKey] = []
    for column, descending in requested:
        if column == "id":
            keys.append(OrderKey("id", spec.id_kind, descending, nullable=False))
            return keys
        field = spec.by_key[column]
        assert isinstance(field, Scalar)
        keys.append(OrderKey(column, field.kind, descending, nullable=not field.required))
    last_descending = keys[-1].descending if keys else False
    keys.append(OrderKey("id", spec.id_kind, last_descending, nullable=False))
    return keys


def signature(keys: list[OrderKey]) -> str:
    return ",".join(k.label for k in keys)


def reverse(keys: list[OrderKey]) -> list[OrderKey]:
    return [OrderKey(k.column, k.kind, not k.descending, k.nullable) for k in keys]


def order_by(
    entity: str, keys: list[OrderKey], table: sa.FromClause | None = None
) -> list[sa.ColumnElement[Any]]:
    table = ENTITY_TABLES[entity] if table is None else table
    return [_direction(table.c[k.column], k) for k in keys]


def _direction(column: sa.ColumnElement[Any], key: OrderKey) -> sa.ColumnElement[Any]:
    if not key.nullable:
        # No nulls to place: a plain direction, which SQLite reads from an index as is.
        return column.desc() if key.descending else column.asc()
    return column.desc().nulls_first() if key.descending else column.asc().nulls_last()


def _equal(column: sa.ColumnElement[Any], value: Any) -> sa.ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _beyond(column: sa.ColumnElement[Any], value: Any, key: OrderKey) -> sa.ColumnElement[bool]:
    """Strictly later than `value` in this key's order (nulls last ascending, first descending)."""
    if key.descending:
        return column.is_not(None) if value is None else column < value
    if value is None:
        return sa.false()
    return sa.or_(column > value, column.is_(None)) if key.nullable else column > value


def _row(columns: list[sa.ColumnElement[Any]], values: list[Any], descending: bool) -> Any:
    """`(a, b) > (:a, :b)`, or `<` descending: one index range over columns whose values are set."""
    bounds = [sa.literal(v, c.type) for v, c in zip(values, columns, strict=True)]
    row, bound = (
        (columns[0], bounds[0]) if len(columns) == 1 else (sa.tuple_(*columns), sa.tuple_(*bounds))
    )
    return row < bound if descending else row > bound


def _past(
    columns: list[sa.ColumnElement[Any]], values: list[Any], descending: bool, split_ties: bool
) -> list[sa.ColumnElement[bool]]:
    """Rows past set values, in order, as index ranges: one row-value range, or with
    `split_ties`, by one key and the id, the key's ties past the cursor, then the values past it.

    A row-value comparison is one range on PostgreSQL, but SQLite seeks it on its first column
    only (it leaves the rowid out of a vector range) and walks the rest of the cursor's ties:
    137,271 of a million spacecraft have no time in space, and a page among them read them all.
    Two segments cost PostgreSQL a bigger statement to plan, for nothing, so it gets one.
    """
    if not split_ties or len(columns) != 2:
        return [_row(columns, values, descending)]
    head, value = columns[0], sa.literal(values[0], columns[0].type)
    return [
        sa.and_(head == value, _row(columns[1:], values[1:], descending)),
        head < value if descending else head > value,
    ]


def _ranges(
    keys: list[OrderKey], columns: list[sa.ColumnElement[Any]], values: list[Any], split_ties: bool
) -> list[sa.ColumnElement[bool]] | None:
    """The rows after these values as index ranges in order, when the ordering allows; else None.

    It does for one direction when only the first key can be null (a key and the id). From a set
    value: the rows past it, which leave out the nulls (a comparison with a null is unknown),
    then, ascending, the nulls, which come last. From a null: the nulls past the cursor, then,
    descending, every set value. Descending, a row-value range from set values is right whatever
    else can be null, as nulls come first there, before the row.
    """
    if len({k.descending for k in keys}) != 1:
        return None
    descending = keys[0].descending
    later_nullable = any(k.nullable for k in keys[1:])
    head = columns[0]
    if all(v is not None for v in values) and (descending or not later_nullable):
        past = _past(columns, values, descending, split_ties)
        return [*past, head.is_(None)] if keys[0].nullable and not descending else past
    if values[0] is None and not later_nullable:
        nulls = sa.and_(head.is_(None), _row(columns[1:], values[1:], descending))
        return [nulls, head.is_not(None)] if descending else [nulls]
    return None


def segments(
    entity: str,
    keys: list[OrderKey],
    values: list[Any],
    table: sa.FromClause | None = None,
    *,
    split_ties: bool = False,
) -> list[sa.ColumnElement[bool]]:
    """The rows after the row with these key values, as conditions that split them in order:
    every row the first keeps comes before every row the second keeps, and so on. Each is one
    index range where `_ranges` finds them; otherwise there is one, an `OR` of every way a row
    can come later. `split_ties` (for SQLite): see `_past`."""
    table = ENTITY_TABLES[entity] if table is None else table
    columns: list[sa.ColumnElement[Any]] = [table.c[k.column] for k in keys]
    ranges = _ranges(keys, columns, values, split_ties)
    if ranges is not None:
        return ranges
    alternatives = []
    for i, key in enumerate(keys):
        same_before = [_equal(columns[j], values[j]) for j in range(i)]
        alternatives.append(sa.and_(*same_before, _beyond(columns[i], values[i], key)))
    return [sa.or_(*alternatives)]


def key_values(keys: list[OrderKey], row: dict[str, Any]) -> list[Any]:
    return [row[k.column] for k in keys]
