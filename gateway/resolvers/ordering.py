"""Orderings: each key becomes SQL with nulls last ascending and first descending, on every
backend, always finished by the id, so every order is total and keyset pages never skip or
repeat a row. `after` builds the keyset condition for "rows after these values".
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

    @property
    def label(self) -> str:
        return f"{self.column}:{'desc' if self.descending else 'asc'}"


def order_keys(entity: str, requested: list[tuple[str, bool]]) -> list[OrderKey]:
    """`[(column, descending)]` as asked, then the id (unless the id already made it total)."""
    spec = ENTITIES[entity]
    keys: list[OrderKey] = []
    for column, descending in requested:
        if column == "id":
            keys.append(OrderKey("id", spec.id_kind, descending))
            return keys
        field = spec.by_key[column]
        assert isinstance(field, Scalar)
        keys.append(OrderKey(column, field.kind, descending))
    keys.append(OrderKey("id", spec.id_kind, False))
    return keys


def signature(keys: list[OrderKey]) -> str:
    return ",".join(k.label for k in keys)


def reverse(keys: list[OrderKey]) -> list[OrderKey]:
    return [OrderKey(k.column, k.kind, not k.descending) for k in keys]


def order_by(
    entity: str, keys: list[OrderKey], table: sa.FromClause | None = None
) -> list[sa.ColumnElement[Any]]:
    table = ENTITY_TABLES[entity] if table is None else table
    return [
        table.c[k.column].desc().nulls_first()
        if k.descending
        else table.c[k.column].asc().nulls_last()
        for k in keys
    ]


def _equal(column: sa.ColumnElement[Any], value: Any) -> sa.ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _beyond(column: sa.ColumnElement[Any], value: Any, descending: bool) -> sa.ColumnElement[bool]:
    """Strictly later than `value` in this key's order (nulls last ascending, first descending)."""
    if descending:
        return column.is_not(None) if value is None else column < value
    return sa.false() if value is None else sa.or_(column > value, column.is_(None))


def after(
    entity: str, keys: list[OrderKey], values: list[Any], table: sa.FromClause | None = None
) -> sa.ColumnElement[bool]:
    """Rows that come after the row with these key values, in the order `keys` define."""
    table = ENTITY_TABLES[entity] if table is None else table
    columns = [table.c[k.column] for k in keys]
    alternatives = []
    for i, key in enumerate(keys):
        same_before = [_equal(columns[j], values[j]) for j in range(i)]
        alternatives.append(sa.and_(*same_before, _beyond(columns[i], values[i], key.descending)))
    return sa.or_(*alternatives)


def key_values(keys: list[OrderKey], row: dict[str, Any]) -> list[Any]:
    return [row[k.column] for k in keys]
