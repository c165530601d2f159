"""Merging a RecordSet into the database: field by field over what is stored, in one transaction.

For each table the stored rows for the incoming ids are read, the incoming columns laid over them,
and only rows that end up different are written (an upsert), so a second import of the same files
writes nothing. A link list is replaced only when it differs. A row new to the database must carry
every column LL2 always writes; one that does not is a reference to an object the import never
defined, and stops the run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from db.ingest.errors import IngestError
from db.ingest.records import RecordSet, Row, required_columns
from db.spec import ENTITIES
from db.tables import ENTITY_TABLES, EXTRA, LINK_TABLES

CHUNK = 500


@dataclass
class Changes:
    """What an import did: the ids created, updated and left unchanged, per entity."""

    created: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    updated: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    unchanged: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))

    @property
    def any(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def mark_updated(self, entity: str, ident: Any) -> None:
        """A row whose columns stayed but whose link list changed."""
        if ident in self.unchanged[entity]:
            self.unchanged[entity].discard(ident)
            self.updated[entity].add(ident)

    def counts(self) -> dict[str, tuple[int, int, int]]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return {
            n: (len(self.created[n]), len(self.updated[n]), len(self.unchanged[n]))
            for n in names
            if self.created[n] or self.updated[n] or self.unchanged[n]
        }

    def summary(self) -> str:
        parts = [f"{n} {c}/{u}/{k}" for n, (c, u, k) in self.counts().items()]
        return "created/updated/unchanged: " + ", ".join(parts) if parts else "nothing imported"


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _stored_rows(conn: AsyncConnection, table: sa.Table, ids: list[Any]) -> dict[Any, Row]:
    stored: dict[Any, Row] = {}
    for chunk in _chunks(ids):
        result = await conn.execute(sa.select(table).where(table.c.id.in_(chunk)))
        for row in result.mappings():
            stored[row["id"]] = dict(row)
    return stored


def _upsert(conn: AsyncConnection, table: sa.Table) -> Callable[[list[Row]], Any]:
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(table)
    columns = [c.name for c in table.columns if c.name != "id"]
    statement = statement.on_conflict_do_update(
        index_elements=["id"], set_={c: statement.excluded[c] for c in columns}
    )

    async def run(rows: list[Row]) -> None:
        for chunk in _chunks(rows, 2000):
            await conn.execute(statement, list(chunk))

    return run


def _merge(stored: Row | None, incoming: Row, columns: list[str]) -> Row:
    merged = dict(stored) if stored else dict.fromkeys(columns)
    for key, value in incoming.items():
        if key == EXTRA:
            merged[EXTRA] = {**(merged.get(EXTRA) or {}), **value}
        else:
            merged[key] = value
    return merged


async def _write_entity(
    conn: AsyncConnection, records: RecordSet, name: str, changes: Changes
) -> None:
    incoming = records.rows.get(name)
    if not incoming:
        return
    table = ENTITY_TABLES[name]
    columns = [c.name for c in table.columns]
    required = required_columns(ENTITIES[name])
    stored = await _stored_rows(conn, table, list(incoming))
    writes: list[Row] = []
    for ident, row in incoming.items():
        before = stored.get(ident)
        merged = _merge(before, {**row, "id": ident}, columns)
        if before is None:
            missing = [c for c in required if merged.get(c) is None]
            if missing:
                file, path = records.origins[(name, ident)]
                raise IngestError(
                    file,
                    path,
                    f"{name} {ident} is not in the database, and this copy lacks "
                    f"{', '.join(missing)}: a reference to an object never defined",
                )
            changes.created[name].add(ident)
            writes.append(merged)
        elif merged != before:
            changes.updated[name].add(ident)
            writes.append(merged)
        else:
            changes.unchanged[name].add(ident)
    if writes:
        await _upsert(conn, table)(writes)


async def _write_links(
    conn: AsyncConnection, records: RecordSet, key: tuple[str, str], changes: Changes
) -> None:
    incoming = records.links.get(key)
    if not incoming:
        return
    table = LINK_TABLES[key]
    owners = list(incoming)
    stored: dict[Any, list[Any]] = {}
    for chunk in _chunks(owners):
        result = await conn.execute(
            sa.select(table.c.owner_id, table.c.target_id)
            .where(table.c.owner_id.in_(chunk))
            .order_by(table.c.owner_id, table.c.position)
        )
        for owner, target in result:
            stored.setdefault(owner, []).append(target)
    changed = [o for o in owners if stored.get(o, []) != incoming[o]]
    if not changed:
        return
    for owner in changed:
        changes.mark_updated(key[0], owner)
    for chunk in _chunks(changed):
        await conn.execute(sa.delete(table).where(table.c.owner_id.in_(chunk)))
    rows = [
        {"owner_id": o, "position": i, "target_id": t}
        for o in changed
        for i, t in enumerate(incoming[o])
    ]
    if rows:
        for chunk in _chunks(rows, 2000):
            await conn.execute(sa.insert(table), list(chunk))


async def write_records(conn: AsyncConnection, records: RecordSet) -> Changes:
    """Merge everything read into the database on `conn` (inside the caller's transaction)."""
    changes = Changes()
    for name in ENTITIES:
        await _write_entity(conn, records, name, changes)
    for key in LINK_TABLES:
        await _write_links(conn, records, key, changes)
    return changes
