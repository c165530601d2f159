"""Response bodies as the gateway writes them, for tests that compare whole answers."""

from __future__ import annotations

from typing import Any


def answer(data: Any, *, nodes: int = 0, limit: int = 50_000, **extensions: Any) -> dict[str, Any]:
    """A response body as the gateway writes it: the data, then the operation's cost."""
    return {"data": data, "extensions": {**extensions, "cost": {"nodes": nodes, "limit": limit}}}
