"""The size of the GraphQL document, in bytes of UTF-8, before anything reads it."""

from __future__ import annotations

from gateway.http.errors import Rejected
from gateway.limits.refusal import refuse


def check_size(query: str, limit: int) -> Rejected | None:
    if len(query) <= limit // 4:  # at most 4 bytes a character: no need to encode
        return None
    size = len(query.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    return refuse(
        "QUERY_TOO_LARGE",
        f"the GraphQL document is {size} bytes, more than the limit of {limit}; "
        "ask for less in one operation",
    )
