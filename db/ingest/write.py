"""Merging a RecordSet into the database: field by field over what is stored, in one transaction.

For each table the stored rows for the incoming ids are read, the incoming columns laid over them,
and only rows that end up different are written (an upsert), so a second import of the same files
writes nothing. A link list is replaced only when it differs. A row new to the database must carry
every column LL2 always writes; one that does not is a reference to an object the import never
defined, and stops the run. The rows go to the database in bulk (`bulk`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from db.ingest.bulk import Bulk
from db.ingest.errors import IngestError
from db.ingest.records import RecordSet, Row, required_columns
from db.spec import ENTITIES
from db.tables import ENTITY_TABLES, EXTRA, LINK_TABLES


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

    def written(self) -> dict[str, int]:
        """Rows written (created or updated) per entity."""
        return {n: len(self.created[n]) + len(self.updated[n]) for n in ENTITY_TABLES}

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


def _merge(stored: Row, incoming: Row) -> Row:
    merged = dict(stored)
    for key, value in incoming.items():
        if key == EXTRA:
            merged[EXTRA] = {**(merged.get(EXTRA) or {}), **value}
        else:
            merged[key] = value
    return merged


async def _write_entity(bulk: Bulk, records: RecordSet, name: str, changes: Changes) -> None:
    incoming = records.rows.get(name)
    if not incoming:
        return
    table = ENTITY_TABLES[name]
    required = required_columns(ENTITIES[name])
    stored = await bulk.stored_rows(table, list(incoming))
    created: list[tuple[Any, Row]] = []
    updated: list[tuple[Any, Row]] = []
    for ident, row in incoming.items():
        before = stored.get(ident)
        if before is None:
            if None in map(row.get, required):
                missing = [c for c in required if row.get(c) is None]
                file, path = records.origins[(name, ident)]
                raise IngestError(
                    file,
                    path,
                    f"{name} {ident} is not in the database, and this copy lacks "
                    f"{', '.join(missing)}: a reference to an object never defined",
                )
            changes.created[name].add(ident)
            created.append((ident, row))
            continue
        merged = _merge(before, row)
        if merged != before:
            changes.updated[name].add(ident)
            updated.append((ident, merged))
        else:
            changes.unchanged[name].add(ident)
    # In key order, so each index grows at its end rather than all over.
    created.sort(key=itemgetter(0))
    await bulk.insert(table, bulk.tuples(table, created))
    await bulk.upsert(table, bulk.tuples(table, updated))


async def _write_links(
    bulk: Bulk, records: RecordSet, key: tuple[str, str], changes: Changes
) -> None:
    incoming = records.links.get(key)
    if not incoming:
        return
    table = LINK_TABLES[key]
    owners = list(incoming)
    stored = await bulk.stored_links(table, owners)
    changed = [o for o in owners if stored.get(o, []) != incoming[o]]
    if not changed:
        return
    for owner in changed:
        changes.mark_updated(key[0], owner)
    await bulk.delete_links(table, [o for o in changed if o in stored])
    changed.sort()
    await bulk.insert(table, [(o, i, t) for o in changed for i, t in enumerate(incoming[o])])


async def write_records(conn: AsyncConnection, records: RecordSet) -> Changes:
    """Merge everything read into the database on `conn` (inside the caller's transaction)."""
    changes = Changes()
    bulk = Bulk.for_connection(conn)
    await bulk.begin()
    try:
        for name in ENTITIES:
            await _write_entity(bulk, records, name, changes)
        for key in LINK_TABLES:
            await _write_links(bulk, records, key, changes)
    except BaseException:
        # Let queued work finish and settings return before the caller rolls back.
        with contextlib.suppress(Exception):
            await asyncio.shield(bulk.end())
        raise
    await bulk.end()
    return changes
