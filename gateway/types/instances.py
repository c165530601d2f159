"""Rows as objects of their GraphQL type: the columns become attributes, `id` becomes `ll2_id`."""

from __future__ import annotations

from typing import Any

from gateway.types.registry import TYPES


def instance(type_name: str, row: dict[str, Any]) -> Any:
    cls = TYPES[type_name]
    obj = cls.__new__(cls)
    attributes = obj.__dict__
    attributes.update(row)
    attributes["ll2_id"] = attributes.pop("id")
    return obj
