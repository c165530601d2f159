"""LL2 JSON -> typed records, merged in memory, every error naming its file and JSON path.

`RecordSet.add_document` walks one response with the spec: each nested object becomes a row of
its entity's table, keyed by LL2's id. A key a copy carries overwrites that column (later copies
win); a key it lacks leaves the column alone, so a `list`-mode agency never blanks what a
`detailed` one said. Keys the spec does not know are kept in `extra` and reported once.

Made for dumps that nest the same agency, pad or configuration millions of times: each entity's
keys are compiled once into a `Plan`; nested objects are decoded only when walked (`sources`);
and a copy byte for byte identical to one already merged is not walked again. That skip does not
change the result: merging a copy again changes nothing unless another copy has since
overwritten one of its values with a different one, and any such overwrite forgets every copy
remembered so far.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from xxhash import xxh3_128_digest

from db.ingest.errors import IngestError
from db.ingest.sources import Document, decode, list_of, tree_of
from db.ll2 import values
from db.ll2.values import InvalidValue
from db.spec import ENDPOINTS, ENTITIES, Entity, Kind, Many, Ref, Scalar
from db.tables import EXTRA, POSITION, folded_column, has_folded

Row = dict[str, Any]
_SKIPPED = frozenset({"response_mode", "url"})
_MISSING: Any = object()
_NULL = msgspec.Raw(b"null")
_RAW = msgspec.Raw
_decode = msgspec.json.decode

# Copies are remembered by a 128-bit hash of their bytes (XXH3) seeded per entity, at random per
# process so that no file can be made to collide on purpose; by chance, two copies collide once
# in 2**128. Larger copies are whole flights or launches, which a dump does not repeat.
_REMEMBER_AT_MOST = 8192
# At most this many remembered copies (about 150 bytes each).
_REMEMBER_COUNT = 2_000_000

_SCALAR, _REF, _MANY, _BACKREF = range(4)


# Kinds whose parser returns a value of this exact type unchanged: the walk skips the call.
_AS_IS = {Kind.TEXT: str, Kind.INT: int, Kind.FLOAT: float, Kind.BOOL: bool}


def _scalar(spec: Scalar) -> tuple[Any, ...]:
    folded = folded_column(spec.key) if has_folded(spec) else None
    # JSON values compare by repr, where True differs from 1 and 1.0 from 1.
    strict = spec.kind is Kind.JSON
    as_is = _AS_IS.get(spec.kind)
    parse = values.PARSERS[spec.kind]
    return (_SCALAR, spec.column, parse, as_is, spec.required, folded, strict)


class Plan:
    """How one entity's JSON keys are read: a handler per key, compiled once from the spec.

    Handlers are tuples, `(_SCALAR, column, parse, as-is type, required, folded column, strict)`,
    `(_REF, column, plan, required, target)`, `(_MANY, plan)` and
    `(_BACKREF, plan, via column or None, ordered)`, unpacked in the walk's inner loop.
    """

    __slots__ = ("entity", "fields", "name", "parse_id", "seed")

    def __init__(self, entity: Entity) -> None:
        self.entity = entity
        self.name = entity.name
        self.parse_id: Callable[[Any], Any] = values.PARSERS[entity.id_kind]
        self.fields: dict[str, tuple[Any, ...]] = {}
        self.seed = secrets.randbits(64)


def _plans() -> dict[str, Plan]:
    plans = {name: Plan(entity) for name, entity in ENTITIES.items()}
    for plan in plans.values():
        for f in plan.entity.fields:
            if isinstance(f, Scalar):
                plan.fields[f.key] = _scalar(f)
            elif isinstance(f, Ref):
                plan.fields[f.key] = (_REF, f.column, plans[f.target], f.required, f.target)
            elif isinstance(f, Many):
                plan.fields[f.key] = (_MANY, plans[f.target])
            else:
                via = ENTITIES[f.target].by_key[f.via]
                via_column = via.column if isinstance(via, Ref) else None
                plan.fields[f.key] = (_BACKREF, plans[f.target], via_column, f.ordered)
    return plans


PLANS = _plans()


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
    # Copies already merged, by hash of their JSON bytes: (id, objects in the copy).
    _seen: dict[bytes, tuple[Any, int]] = field(default_factory=dict, repr=False)
    _remembered: int = field(default=0, repr=False)

    def add_document(self, doc: Document) -> None:
        plan = PLANS[ENDPOINTS[doc.endpoint]]
        tree = doc.tree
        payload: Any = doc.payload if tree is None else tree
        if isinstance(payload, dict) and "results" in payload:
            results = payload["results"]
            if type(results) is _RAW:
                results = list_of(results)
            if not isinstance(results, list):
                raise IngestError(doc.name, "results", "expected a list of objects")
            for i, item in enumerate(results):
                self._object(doc.name, plan, item, f"results[{i}]")
        else:
            self._object(doc.name, plan, payload, "")

    def _object(self, file: str, plan: Plan, node: Any, path: str) -> Any:
        digest = None
        if type(node) is _RAW:
            if len(node) <= _REMEMBER_AT_MOST:
                digest = xxh3_128_digest(node, plan.seed)
                seen = self._seen.get(digest)
                if seen is not None:
                    self.objects += seen[1]
                    return seen[0]
            obj = tree_of(node)
            if obj is None:
                obj = decode(node)
        else:
            obj = node
        if not isinstance(obj, dict):
            raise IngestError(file, path, f"expected an object, got {values._describe(obj)}")
        id_value = decode(obj.get("id"))
        if id_value is None:
            raise IngestError(file, _join(path, "id"), f"missing id (every {plan.name} has one)")
        try:
            ident = plan.parse_id(id_value)
        except InvalidValue as e:
            raise IngestError(file, _join(path, "id"), str(e)) from None
        start = self.objects
        self.objects += 1
        rows = self.rows[plan.name]
        row = rows.get(ident)
        if row is None:
            row = rows[ident] = {}
            self.origins[(plan.name, ident)] = (file, path)
        fields = plan.fields
        for key, value in obj.items():
            handler = fields.get(key)
            if handler is None:
                if key != "id" and key not in _SKIPPED:
                    self._extra(file, plan, row, key, decode(value), _join(path, key))
                continue
            kind = handler[0]
            if kind is _SCALAR:
                # The walk's hottest path, kept inline: decode, check, parse, store.
                _, column, parse, as_is, required, folded, strict = handler
                if type(value) is _RAW:
                    try:
                        value = _decode(value)
                    except msgspec.DecodeError:
                        value = decode(value)
                if type(value) is as_is:
                    parsed = value
                elif value is None:
                    if required:
                        raise IngestError(
                            file, _join(path, key), "null, but LL2 always gives this field a value"
                        )
                    parsed = None
                else:
                    try:
                        parsed = parse(value)
                    except InvalidValue as e:
                        raise IngestError(file, _join(path, key), str(e)) from None
                old = row.get(column, _MISSING)
                if old is not _MISSING and (repr(old) != repr(parsed) if strict else old != parsed):
                    self._forget()
                row[column] = parsed
                if folded is not None:
                    row[folded] = None if value is None else values.fold(value)
            elif kind is _REF:
                _, column, target, required, target_name = handler
                if value is None or (type(value) is _RAW and value == _NULL):
                    if required:
                        raise IngestError(
                            file, _join(path, key), f"null, but every copy links a {target_name}"
                        )
                    child = None
                else:
                    child = self._object(file, target, value, _join(path, key))
                old = row.get(column, _MISSING)
                if old is not _MISSING and old != child:
                    self._forget()
                row[column] = child
            elif kind is _MANY:
                where = _join(path, key)
                target = handler[1]
                ids = [
                    self._object(file, target, item, f"{where}[{i}]")
                    for i, item in enumerate(self._list(file, value, where))
                ]
                self._link(plan.name, key, ident, ids)
            else:
                self._backref(file, handler, ident, value, _join(path, key))
        if digest is not None and self._remembered < _REMEMBER_COUNT:
            self._seen[digest] = (ident, self.objects - start)
            self._remembered += 1
        return ident

    def _forget(self) -> None:
        """A value changed: merging a remembered copy again would now change it back."""
        if self._remembered:
            self._seen.clear()
            self._remembered = 0

    def _link(self, entity: str, key: str, owner: Any, targets: list[Any]) -> None:
        links = self.links[(entity, key)]
        old = links.get(owner, _MISSING)
        if old is not _MISSING and old != targets:
            self._forget()
        links[owner] = targets

    @staticmethod
    def _list(file: str, value: Any, path: str) -> list[Any]:
        if type(value) is _RAW:
            items = list_of(value)
            if items is not None:
                return items
            value = decode(value)
        if value is None:
            return []
        if not isinstance(value, list):
            raise IngestError(file, path, f"expected a list, got {values._describe(value)}")
        return value

    def _backref(
        self, file: str, handler: tuple[Any, ...], owner: Any, value: Any, path: str
    ) -> None:
        _, target, via, ordered = handler
        for i, item in enumerate(self._list(file, value, path)):
            child = self._object(file, target, item, f"{path}[{i}]")
            if via is not None:
                row = self.rows[target.name][child]
                row.setdefault(via, owner)
                if ordered:
                    old = row.get(POSITION, _MISSING)
                    if old is not _MISSING and old != i:
                        self._forget()
                    row[POSITION] = i

    def _extra(self, file: str, plan: Plan, row: Row, key: str, value: Any, path: str) -> None:
        extra = row.get(EXTRA)
        if extra and key in extra and repr(extra[key]) != repr(value):
            self._forget()
        row[EXTRA] = {**(extra or {}), key: value}
        self.new_keys.setdefault((plan.name, key), (file, path))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def required_columns(entity: Entity) -> list[str]:
    """Columns a new row must have: what LL2 always writes, in every mode."""
    columns = [f.column for f in entity.fields if isinstance(f, (Scalar, Ref)) and f.required]
    columns += [folded_column(f.key) for f in entity.scalars if f.required and has_folded(f)]
    return columns
