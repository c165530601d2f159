"""LL2 JSON -> typed records, merged in memory, every error naming its file and JSON path.

`RecordSet.add_document` walks one response with the spec: each nested object becomes a row of
its entity's table, keyed by LL2's id. A key a copy carries overwrites that column (later copies
win); a key it lacks leaves the column alone, so a `list`-mode agency never blanks what a
`detailed` one said. Keys the spec does not know are kept in `extra` and reported once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from db.ingest.errors import IngestError
from db.ingest.sources import Document
from db.ll2 import values
from db.ll2.values import InvalidValue
from db.spec import ENDPOINTS, ENTITIES, Backref, Entity, Many, Ref, Scalar
from db.tables import EXTRA, POSITION, folded_column, has_folded

Row = dict[str, Any]
_SKIPPED = frozenset({"response_mode", "url"})


@dataclass
class RecordSet:
    """Everything read so far: rows, link lists, and where each row was first seen."""

    rows: dict[str, dict[Any, Row]] = field(default_factory=lambda: defaultdict(dict))
    links: dict[tuple[str, str], dict[Any, list[Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    origins: dict[tuple[str, Any], tuple[str, str]] = field(default_factory=dict)
    new_keys: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    objects: int = 0

    def add_document(self, doc: Document) -> None:
        entity = ENTITIES[ENDPOINTS[doc.endpoint]]
        payload = doc.payload
        if isinstance(payload, dict) and "results" in payload:
            results = payload["results"]
            if not isinstance(results, list):
                raise IngestError(doc.name, "results", "expected a list of objects")
            for i, item in enumerate(results):
                self._object(doc.name, entity, item, f"results[{i}]")
        else:
            self._object(doc.name, entity, payload, "")

    def _object(self, file: str, entity: Entity, obj: Any, path: str) -> Any:
        if not isinstance(obj, dict):
            raise IngestError(file, path, f"expected an object, got {values._describe(obj)}")
        id_path = _join(path, "id")
        if "id" not in obj or obj["id"] is None:
            raise IngestError(file, id_path, f"missing id (every {entity.name} has one)")
        try:
            ident = values.parse(entity.id_kind, obj["id"])
        except InvalidValue as e:
            raise IngestError(file, id_path, str(e)) from None
        self.objects += 1
        rows = self.rows[entity.name]
        row = rows.get(ident)
        if row is None:
            row = rows[ident] = {}
            self.origins[(entity.name, ident)] = (file, path)
        for key, value in obj.items():
            if key == "id":
                continue
            spec = entity.by_key.get(key)
            if spec is None:
                if key not in _SKIPPED:
                    self._extra(file, entity, row, key, value, _join(path, key))
            elif isinstance(spec, Scalar):
                self._scalar(file, spec, row, value, _join(path, key))
            elif isinstance(spec, Ref):
                row[spec.column] = self._ref(file, spec, value, _join(path, key))
            elif isinstance(spec, Many):
                items = self._list(file, value, _join(path, key))
                self.links[(entity.name, key)][ident] = [
                    self._object(file, ENTITIES[spec.target], item, f"{_join(path, key)}[{i}]")
                    for i, item in enumerate(items)
                ]
            else:
                self._backref(file, spec, ident, value, _join(path, key))
        return ident

    def _scalar(self, file: str, spec: Scalar, row: Row, value: Any, path: str) -> None:
        if value is None:
            if spec.required:
                raise IngestError(file, path, "null, but LL2 always gives this field a value")
            row[spec.column] = None
        else:
            try:
                row[spec.column] = values.parse(spec.kind, value)
            except InvalidValue as e:
                raise IngestError(file, path, str(e)) from None
        if has_folded(spec):
            row[folded_column(spec.key)] = None if value is None else values.fold(value)

    def _ref(self, file: str, spec: Ref, value: Any, path: str) -> Any:
        if value is None:
            if spec.required:
                raise IngestError(file, path, f"null, but every copy links a {spec.target}")
            return None
        return self._object(file, ENTITIES[spec.target], value, path)

    @staticmethod
    def _list(file: str, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise IngestError(file, path, f"expected a list, got {values._describe(value)}")
        return value

    def _backref(self, file: str, spec: Backref, owner: Any, value: Any, path: str) -> None:
        target = ENTITIES[spec.target]
        via = target.by_key[spec.via]
        for i, item in enumerate(self._list(file, value, path)):
            child = self._object(file, target, item, f"{path}[{i}]")
            if isinstance(via, Ref):
                row = self.rows[target.name][child]
                row.setdefault(via.column, owner)
                if spec.ordered:
                    row[POSITION] = i

    def _extra(self, file: str, entity: Entity, row: Row, key: str, value: Any, path: str) -> None:
        extra = row.get(EXTRA)
        row[EXTRA] = {**(extra or {}), key: value}
        self.new_keys.setdefault((entity.name, key), (file, path))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def required_columns(entity: Entity) -> list[str]:
    """Columns a new row must have: what LL2 always writes, in every mode."""
    columns = [f.column for f in entity.fields if isinstance(f, (Scalar, Ref)) and f.required]
    columns += [folded_column(f.key) for f in entity.scalars if f.required and has_folded(f)]
    return columns
