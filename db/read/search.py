"""Full-text-ish search as LL2 offers it: every term must match one of the searched fields.

The fields are LL2's own search fields for each endpoint. Terms are split on white space and
matched case-insensitively (Unicode case folding, accents still count) against the case-folded
columns filled at import, so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

import sqlalchemy as sa

from db.read.conditions import Condition, check_text, like_pattern
from db.spec import ENTITIES, Ref
from db.tables import ENTITY_TABLES, folded_column

SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "spacecraft": ("name", "spacecraft_config.name"),
    "spacecraft_configuration": ("name", "agency.name", "agency.abbrev"),
    "spacecraft_family": ("name", "manufacturer.name", "manufacturer.abbrev"),
    "agency": ("name", "abbrev"),
    "spacecraft_flight": ("spacecraft.name", "launch.name"),
    "astronaut": ("name",),
    "launch": ("name",),
}


def describe(entity: str) -> str:
    fields = ", ".join(f"`{f}`" for f in SEARCH_FIELDS[entity])
    return f"Words that must each appear, ignoring case, in one of: {fields} (LL2's search fields)."


def _term_matches(entity: str, table: sa.FromClause, path: str, pattern: str) -> Condition:
    head, _, rest = path.partition(".")
    if not rest:
        return table.c[folded_column(head)].like(pattern, escape="\\")
    ref = ENTITIES[entity].by_key[head]
    assert isinstance(ref, Ref)
    target = ENTITY_TABLES[ref.target].alias()
    return table.c[ref.column].in_(
        sa.select(target.c.id).where(target.c[folded_column(rest)].like(pattern, escape="\\"))
    )


def search_condition(
    entity: str, text: str | None, table: sa.FromClause | None = None
) -> Condition | None:
    check_text(text, "search")
    terms = (text or "").split()
    if not terms:
        return None
    table = ENTITY_TABLES[entity] if table is None else table
    return sa.and_(
        *(
            sa.or_(
                *(
                    _term_matches(entity, table, path, like_pattern(term, prefix_only=False))
                    for path in SEARCH_FIELDS[entity]
                )
            )
            for term in terms
        )
    )
