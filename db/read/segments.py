"""The first rows of an ordering among rows given as segments, each read from its own position.

A keyset page asks for the rows after a cursor. Where those are one index range, one read from
the cursor serves. Ascending over a column that can be null they are more: the rest of the
values, then the nulls (which come last). As one `OR`, SQLite and PostgreSQL read the index from
its start, and a page 900,000 rows deep walks 900,000 entries first; read as a `UNION ALL` of
each segment's first rows, each is a seek, and the sort that joins them sorts at most a page
per segment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import visitors


def first_rows(
    statement: sa.Select[Any],
    segments: Sequence[sa.ColumnElement[bool]],
    order_by: Sequence[sa.ColumnElement[Any]],
    limit: Any,
) -> sa.Select[Any] | sa.CompoundSelect[Any]:
    """The first `limit` rows of `statement` in `order_by` among those the segments keep.

    The segments come in order: every row the first keeps comes before every row the second
    keeps, and so on. With several, the reads select only the statement's first column (a key)
    and the columns `order_by` names, which the ordering's index holds: each segment's rows are
    read from the index alone, and the caller reads whole rows by key (see `by_key`).
    """
    if len(segments) <= 1:
        return statement.where(*segments).order_by(*order_by).limit(limit)
    key = statement.selected_columns[0]
    named = [c for o in order_by for c in visitors.iterate(o) if isinstance(c, sa.ColumnClause)]
    columns = list(dict.fromkeys([key, *named]))
    narrow = statement.with_only_columns(*columns)
    # Columns by name, here and below: SQLAlchemy's proxies of a subquery's columns cost more
    # to build than the page costs to read. Each part is a subquery as SQLite takes no LIMIT
    # on a member of a compound select, which orders by its result's names.
    names: list[sa.ColumnElement[Any]] = [sa.column(c.name) for c in columns]
    parts = [
        sa.select(*names).select_from(narrow.where(s).order_by(*order_by).limit(limit).subquery())
        for s in segments
    ]
    return sa.union_all(*parts).order_by(*_over(order_by, sa.column)).limit(limit)


def by_key(
    table: sa.Table,
    picked: sa.Select[Any] | sa.CompoundSelect[Any],
    order_by: Sequence[sa.ColumnElement[Any]],
) -> sa.Select[Any]:
    """The rows of `table` whose key (its first column) `picked` selects, in `order_by`.

    Ordered by the picked columns, so the planners read the few picked rows and look each up,
    rather than walk the table in order looking for them.
    """
    chosen = picked.subquery()
    key = chosen.columns[0]
    return (
        sa.select(table)
        .join(chosen, key == table.c[key.name])
        .order_by(*_over(order_by, lambda name: chosen.columns[name]))
    )


def _over(
    order_by: Sequence[sa.ColumnElement[Any]], column: Callable[[str], sa.ColumnElement[Any]]
) -> list[sa.ColumnElement[Any]]:
    """`order_by` with each column it names replaced by `column(name)`."""

    def replace(element: visitors.ExternallyTraversible, **_: Any) -> sa.ColumnElement[Any] | None:
        return column(element.name) if isinstance(element, sa.ColumnClause) else None

    return [visitors.replacement_traverse(o, {}, replace) for o in order_by]
