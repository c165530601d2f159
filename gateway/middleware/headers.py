"""Editing response headers that several middlewares touch (`Vary` above all)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Message


def add_vary(headers: MutableHeaders, *names: str) -> None:
    """Add `names` to `Vary` once each, keeping what is there (`Vary: *` already says it all)."""
    present = [v.strip() for line in headers.getlist("vary") for v in line.split(",") if v.strip()]
    if "*" in present:
        return
    lowered = {v.lower() for v in present}
    present += [n for n in names if n.lower() not in lowered]
    if present:
        headers["Vary"] = ", ".join(present)


def response_headers(message: Message) -> MutableHeaders:
    """The headers of an `http.response.start` message, editable in place."""
    message["headers"] = list(message.get("headers", []))
    return MutableHeaders(scope=message)
