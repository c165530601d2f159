"""GraphQL selections built from LL2's shapes: "every field LL2 gives", by the camelCase rule.

For a shape such as `SpacecraftFlightDetailed`, `selection()` selects every key of that shape
(nested shapes included), renaming `id` to `ll2Id` and leaving out `response_mode` and LL2's own
`url` links; `to_ll2()` turns a result back into LL2's keys, for comparison with LL2's JSON.
"""

from __future__ import annotations

from typing import Any

from strawberry.utils.str_converters import to_camel_case

from db.ll2.shapes import load
from db.spec import ENTITIES, VALUE_OBJECTS


def _is_entity(shape_name: str) -> bool:
    return load().shapes[shape_name].entity in ENTITIES


def _skipped(shape_name: str, key: str) -> bool:
    entity = load().shapes[shape_name].entity
    if key == "response_mode":
        return True
    return key == "url" and entity in ENTITIES and "url" not in ENTITIES[entity].by_key


def graphql_name(shape_name: str, key: str) -> str:
    if key == "id" and _is_entity(shape_name):
        return "ll2Id"
    return to_camel_case(key)


def selection(shape_name: str) -> str:
    parts = []
    for field in load().shapes[shape_name].fields:
        if _skipped(shape_name, field.key):
            continue
        name = graphql_name(shape_name, field.key)
        if field.kind == "scalar":
            parts.append(name)
        else:
            assert field.target is not None
            parts.append(f"{name} {{ {selection(field.target)} }}")
    return " ".join(parts)


def to_ll2(shape_name: str, value: Any) -> Any:
    """A GraphQL result for `selection(shape_name)` with LL2's keys again."""
    if value is None:
        return None
    shape = load().shapes[shape_name]
    out = {}
    for field in shape.fields:
        if _skipped(shape_name, field.key):
            continue
        got = value[graphql_name(shape_name, field.key)]
        if field.kind == "object":
            assert field.target is not None
            got = to_ll2(field.target, got)
        elif field.kind == "list":
            assert field.target is not None
            target = field.target
            got = [to_ll2(target, item) for item in got]
        out[field.key] = got
    return out


def without_meta(shape_name: str, value: Any) -> Any:
    """LL2 JSON minus what the graph leaves out on purpose (`response_mode`, LL2's `url` links)."""
    if value is None:
        return None
    shape = load().shapes[shape_name]
    out = {}
    for field in shape.fields:
        if _skipped(shape_name, field.key):
            continue
        got = value[field.key]
        if field.kind == "object" and got is not None:
            got = without_meta(field.target or "", got)
        elif field.kind == "list":
            got = [without_meta(field.target or "", item) for item in got]
        out[field.key] = got
    return out


_ = VALUE_OBJECTS
