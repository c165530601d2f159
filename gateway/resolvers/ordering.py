"""Orderings: each key becomes SQL with nulls last ascending and first descending, on every
backend, always finished by the id, so every order is total and keyset pages never skip or
repeat a row. `after` builds the keyset condition for "rows after these values".

The id runs in the direction of the last key, so an ordering in one direction over columns that
are never null is one index read forwards or backwards, and its keyset condition a row-value
comparison (`(name, id) > (:name, :id)`) that both databases answer with an index range scan:
page 900,000 costs what page 1 does. The same holds descending over nullable columns from a row
whose values are set. Ascending, nulls come last, so "after" is a range and the nulls: an `OR`
that the planners answer by reading the index from its start, which deep pages pay for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

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


def _one_range(keys: list[OrderKey], values: list[Any]) -> bool:
    """Whether "after these values" is exactly one row-value comparison, an index range.

    So it is for one direction over keys that are never null. Descending, it is also so from a
    row whose values are all set: nulls come first there, before the row, and a row-value
    comparison leaves a row out at its first null (it compares as unknown), as it must.
    """
    if len({k.descending for k in keys}) != 1:
        return False
    if not any(k.nullable for k in keys):
        return True
    return keys[0].descending and all(v is not None for v in values)


def after(
    entity: str, keys: list[OrderKey], values: list[Any], table: sa.FromClause | None = None
) -> sa.ColumnElement[bool]:
    """Rows that come after the row with these key values, in the order `keys` define."""
    table = ENTITY_TABLES[entity] if table is None else table
    columns = [table.c[k.column] for k in keys]
    if _one_range(keys, values):
        bound = sa.tuple_(*[sa.literal(v, c.type) for v, c in zip(values, columns, strict=True)])
        row = sa.tuple_(*columns)
        return row < bound if keys[0].descending else row > bound
    alternatives = []
    for i, key in enumerate(keys):
        same_before = [_equal(columns[j], values[j]) for j in range(i)]
        alternatives.append(sa.and_(*same_before, _beyond(columns[i], values[i], key)))
    return sa.or_(*alternatives)


def key_values(keys: list[OrderKey], row: dict[str, Any]) -> list[Any]:
    return [row[k.column] for k in keys]
