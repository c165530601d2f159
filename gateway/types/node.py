"""The Relay `Node` interface and its global ids (`base64("Spacecraft:467")`)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry

from gateway.resolvers.errors import BadUserInput


def global_id(type_name: str, ll2_id: Any) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{ll2_id}".encode()).decode().rstrip("=")


def parse_global_id(value: str) -> tuple[str, str]:
    """`(type name, LL2 id as text)`; raises BadUserInput for anything this API did not make."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadUserInput(f"not a node id made by this API: {value!r}") from None
    type_name, sep, ident = raw.partition(":")
    if not sep or not type_name or not ident:
        raise BadUserInput(f"not a node id made by this API: {value!r}")
    return type_name, ident


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    @strawberry.field(description="Global, opaque id of the object (for `node` and caches).")  # type: ignore[untyped-decorator]
    def id(self) -> strawberry.ID:
        return strawberry.ID(global_id(type(self).__name__, self.ll2_id))  # type: ignore[attr-defined]
