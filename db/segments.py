"""The first rows of an ordering among rows given as segments, each read from its own position.

A keyset page asks for the rows after a cursor. Where those are one index range (a row-value
comparison), one read from the cursor serves. Ascending over a column that can be null they are
two: the rest of the values, then the nulls (which come last). As one `OR` of both, SQLite and
PostgreSQL read the index from its start, and a page 900,000 rows deep walks 900,000 entries
first; read as a `UNION ALL` of each segment's first rows, each is a seek, and the sort that
joins them sorts at most a page per segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.util import ClauseAdapter


def first_rows(
    statement: sa.Select[Any],
    segments: Sequence[sa.ColumnElement[bool]],
    order_by: Sequence[sa.ColumnElement[Any]],
    limit: Any,
) -> sa.Select[Any]:
    """The first `limit` rows of `statement` in `order_by` among those the segments keep.

    The segments come in order: every row the first keeps comes before every row the second
    keeps, and so on. `statement` selects the columns `order_by` names (they order the union).
    """
    if len(segments) <= 1:
        return statement.where(*segments).order_by(*order_by).limit(limit)
    # Each part is a subquery: SQLite takes no LIMIT on a member of a compound select.
    parts = [
        sa.select(statement.where(s).order_by(*order_by).limit(limit).subquery()) for s in segments
    ]
    union = sa.union_all(*parts).subquery()
    adapter = ClauseAdapter(union)
    return sa.select(union).order_by(*[adapter.traverse(o) for o in order_by]).limit(limit)
