"""HTTP caching of GET answers: an ETag from the data's version and the request, `304 Not
Modified` on a matching `If-None-Match`, and `Cache-Control: public, max-age=N`.

The ETag is known before anything runs (the version, the request's digest, the media type and
the build of the gateway decide the body), so a client or a proxy that revalidates gets its 304
for one cheap statement: no execution, no result cache. Only successful answers to GET carry
one; POST answers and errors carry no caching headers (POST is not cacheable without them).

`Vary: Accept, Accept-Encoding` on every cacheable answer and on its 304: the same URL answers
`application/json` or `application/graphql-response+json`, compressed or not (the compression
middleware weakens the ETag, `W/"..."`, of the compressed copies; `If-None-Match` compares weakly,
as RFC 9110 asks for GET).
"""

from __future__ import annotations

import hashlib
import re

from starlette.responses import Response

from gateway.caching.keys import AnswerKey

VARY = "Accept, Accept-Encoding"
_TAG = re.compile(r'[\s,]*((?:W/)?"([^"]*)")\s*(?:,|$)')


class HttpCaching:
    """The caching headers of GET answers; `max_age` seconds of freshness (0: revalidate)."""

    def __init__(self, *, max_age: int, build: str) -> None:
        self.cache_control = f"public, max-age={max_age}"
        self._build = build.encode()

    def etag(self, key: AnswerKey, media: str) -> str:
        tag = hashlib.blake2b(key.digest + media.encode() + self._build, digest_size=12).hexdigest()
        return f'"{key.version}-{tag}"'

    def headers(self, etag: str) -> dict[str, str]:
        return {"ETag": etag, "Cache-Control": self.cache_control, "Vary": VARY}

    def not_modified(self, if_none_match: str | None, etag: str) -> Response | None:
        """A 304 when the client already holds this answer, else None."""
        sent = matching_tag(if_none_match, etag)
        if sent is None:
            return None
        # The tag as the client holds it: weak if its copy came compressed.
        return Response(status_code=304, headers=self.headers(sent))


def matching_tag(if_none_match: str | None, etag: str) -> str | None:
    """The entity tag of `If-None-Match` that weakly matches `etag`, as it was sent.

    `*` is not honoured: it would answer 304 for a query never answered successfully.
    """
    if not if_none_match:
        return None
    opaque = etag.strip('"')
    position = 0
    while position < len(if_none_match):
        match = _TAG.match(if_none_match, position)
        if match is None:
            return None  # not a list of entity tags: no match
        if match.group(2) == opaque:
            return match.group(1)
        position = match.end()
    return None
