"""Reading and editing headers the way every request pays for: on the raw ASGI lists.

Each middleware looks at a request header or two and edits the response's start message. With
Starlette's `Headers`/`MutableHeaders` that meant a decoding copy per lookup, several times per
request in every layer; a cached answer spent more time there than in finding the answer. These
work on the lists themselves: names are lower-case bytes, as ASGI has them.

`add_vary` (on `MutableHeaders`) serves handlers that hold a Starlette response.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Scope

RawHeaders = list[tuple[bytes, bytes]]


def request_header(scope: Scope, name: bytes) -> str | None:
    """The first value of the request header `name` (lower-case), or None."""
    value = header(scope["headers"], name)
    return None if value is None else value.decode("latin-1")


def response_headers(message: Message) -> RawHeaders:
    """The raw headers of an `http.response.start` message, made a list of this message's own
    (a response may hand out a list it keeps) and editable in place."""
    headers: RawHeaders = list(message.get("headers", ()))
    message["headers"] = headers
    return headers


def header(headers: RawHeaders, name: bytes) -> bytes | None:
    """The first value of `name` (lower-case) in raw headers, or None."""
    for key, value in headers:
        if key == name:
            return value
    return None


def set_header(headers: RawHeaders, name: bytes, value: bytes) -> None:
    """`name: value`, in place of any value it had."""
    remove_header(headers, name)
    headers.append((name, value))


def remove_header(headers: RawHeaders, name: bytes) -> None:
    headers[:] = [(k, v) for k, v in headers if k != name]


def add_vary_raw(headers: RawHeaders, *names: str) -> None:
    """Add `names` to `Vary` once each, keeping what is there (`Vary: *` already says it all)."""
    lines = [v.decode("latin-1") for k, v in headers if k == b"vary"]
    present = _vary_names(lines, names)
    if present is None:
        return
    remove_header(headers, b"vary")
    headers.append((b"vary", ", ".join(present).encode("latin-1")))


def add_vary(headers: MutableHeaders, *names: str) -> None:
    """`add_vary_raw` on a Starlette response's headers."""
    present = _vary_names(headers.getlist("vary"), names)
    if present is not None:
        headers["Vary"] = ", ".join(present)


def _vary_names(lines: list[str], names: tuple[str, ...]) -> list[str] | None:
    """The names `Vary` should list after adding `names`; None when it needs no change."""
    present = [v.strip() for line in lines for v in line.split(",") if v.strip()]
    if "*" in present:
        return None
    lowered = {v.lower() for v in present}
    missing = [n for n in names if n.lower() not in lowered]
    if not missing:
        return None
    return present + missing
