"""Object types generated from the spec: every LL2 field, by the camelCase of its JSON key.

`object_type("spacecraft")` builds `Spacecraft`: a `Node` with `ll2Id`, a field per scalar
(nullability as LL2's, with fields that poorer modes omit nullable, since the store merges
copies), a field per relation resolved through the request's loaders, LL2's lists, and the
reverse-edge connections of `db.read.edges`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from db.ll2 import values
from db.read.edges import edges_of
from db.spec import ENTITIES, VALUE_OBJECTS, Backref, Kind, Many, Ref, Scalar
from gateway.resolvers import relations
from gateway.types.connection_fields import connection_field
from gateway.types.instances import instance
from gateway.types.node import Node
from gateway.types.registry import TYPES, lazy, register
from gateway.types.scalars import UUID, Date, DateTime, Duration

SCALAR_TYPES: dict[Kind, Any] = {
    Kind.TEXT: str,
    Kind.INT: int,
    Kind.FLOAT: float,
    Kind.BOOL: bool,
    Kind.DATE: Date,
    Kind.DATETIME: DateTime,
    Kind.DURATION: Duration,
    Kind.UUID: UUID,
}


def _type_of(entity: str) -> str:
    return ENTITIES[entity].type_name


def _ref_field(spec: Ref) -> Any:
    target = _type_of(spec.target)

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        row = await relations.ref_row(info.context.loaders, spec, getattr(root, spec.column))
        return None if row is None else instance(target, row)

    annotation = lazy(target) if spec.required else lazy(target) | None
    resolve.__annotations__ = {"info": strawberry.Info, "return": annotation}
    return strawberry.field(resolver=resolve, description=spec.doc)


def _many_field(entity: str, spec: Many) -> Any:
    target = _type_of(spec.target)

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        rows = await relations.many_rows(info.context.loaders, entity, spec, root.ll2_id)
        return [instance(target, r) for r in rows]

    resolve.__annotations__ = {"info": strawberry.Info, "return": list[lazy(target)]}  # type: ignore[misc]
    return strawberry.field(resolver=resolve, description=spec.doc)


def _backref_field(entity: str, spec: Backref) -> Any:
    target = _type_of(spec.target)

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        rows = await relations.backref_rows(info.context.loaders, entity, spec, root.ll2_id)
        return [instance(target, r) for r in rows]

    resolve.__annotations__ = {"info": strawberry.Info, "return": list[lazy(target)]}  # type: ignore[misc]
    return strawberry.field(resolver=resolve, description=spec.doc)


def _values_field(spec: Scalar) -> Any:
    of = spec.values
    assert of is not None
    value_type = VALUE_OBJECTS[of].type_name

    def resolve(root: Any) -> Any:
        items = getattr(root, spec.column)
        return None if items is None else [value_instance(of, i) for i in items]

    resolve.__annotations__ = {"return": list[lazy(value_type)] | None}  # type: ignore[misc]
    return strawberry.field(resolver=resolve, description=spec.doc)


def object_type(entity: str) -> Any:
    spec = ENTITIES[entity]
    ns: dict[str, Any] = {"__annotations__": {}}
    ns["__annotations__"]["ll2_id"] = SCALAR_TYPES[spec.id_kind]
    ns["ll2_id"] = strawberry.field(description="LL2's own id of the object.")
    edges = {e.key: e for e in edges_of(entity)}
    for field in spec.fields:
        if isinstance(field, Scalar) and field.kind is Kind.JSON:
            ns[field.key] = _values_field(field)
        elif isinstance(field, Scalar):
            annotation = SCALAR_TYPES[field.kind]
            ns["__annotations__"][field.key] = annotation if field.required else annotation | None
            ns[field.key] = strawberry.field(description=field.doc)
        elif isinstance(field, Ref):
            ns[field.key] = _ref_field(field)
        elif isinstance(field, Many):
            ns[field.key] = _many_field(entity, field)
        elif field.key not in edges:
            ns[field.key] = _backref_field(entity, field)
    for key, edge in edges.items():
        ns[key] = connection_field(edge.child, edge=edge, description=edge.doc)
    cls = type(spec.type_name, (Node,), ns)
    return register(strawberry.type(cls, description=spec.doc))


def value_instance(name: str, data: dict[str, Any]) -> Any:
    """An id-less LL2 object (kept as JSON) as an object of its GraphQL type."""
    spec = VALUE_OBJECTS[name]
    cls = TYPES[spec.type_name]
    obj = cls.__new__(cls)
    for field in spec.fields:
        raw = data.get(field.key)
        obj.__dict__[field.key] = _value(field.kind, raw)
    for key, nested, _ in spec.nested:
        raw = data.get(key)
        obj.__dict__[key] = value_instance(nested, raw) if isinstance(raw, dict) else None
    return obj


def _value(kind: Kind, raw: Any) -> Any:
    if raw is None:
        return None
    try:
        return values.parse(kind, raw)
    except values.InvalidValue:
        return None


def value_type(name: str) -> Any:
    spec = VALUE_OBJECTS[name]
    ns: dict[str, Any] = {"__annotations__": {}}
    for field in spec.fields:
        ns["__annotations__"][field.key] = SCALAR_TYPES[field.kind] | None
        ns[field.key] = strawberry.field(description=field.doc)
    for key, nested, doc in spec.nested:
        ns["__annotations__"][key] = lazy(VALUE_OBJECTS[nested].type_name) | None
        ns[key] = strawberry.field(description=doc)
    return register(strawberry.type(type(spec.type_name, (), ns), description=spec.doc))


_ = dt
