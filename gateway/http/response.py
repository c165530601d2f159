"""Writing the answer: a GraphQL response body in the negotiated media type and status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from gateway.http.errors import Rejected, bounded
from gateway.http.operation import Outcome


def answer(
    body: bytes,
    *,
    media: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A response holding a GraphQL response body; the same URL answers other media types."""
    return Response(
        body,
        status_code=status,
        media_type=f"{media}; charset=utf-8",
        headers={"Vary": "Accept", **(headers or {})},
    )


def graphql_response(
    payload: dict[str, Any],
    *,
    media: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return answer(orjson.dumps(payload), media=media, status=status, headers=headers)


def body(outcome: Outcome) -> bytes:
    """The response body of an outcome, as JSON."""
    if outcome.data_json is not None:
        # The database wrote `data`; it is spliced in, never parsed.
        spliced = b'{"data":' + outcome.data_json.encode()
        if outcome.extensions:
            spliced += b',"extensions":' + orjson.dumps(outcome.extensions)
        return spliced + b"}"
    payload: dict[str, Any] = {}
    if outcome.errors:
        payload["errors"] = bounded(outcome.errors)
    payload["data"] = outcome.data
    if outcome.extensions:
        payload["extensions"] = outcome.extensions
    return orjson.dumps(payload)


def encode(outcome: Outcome, media: str) -> Response:
    return answer(body(outcome), media=media)


def rejection(error: Rejected, media: str) -> Response:
    payload: dict[str, Any] = {"errors": error.errors}
    if error.extensions:
        payload["extensions"] = error.extensions
    return graphql_response(
        payload,
        media=media,
        status=error.status_for(media),
        headers=error.headers,
    )


def refused(request: Request, error: Rejected, media: str) -> Response:
    """The refusal's answer, noting in the request's state that it was one, and which (the
    metrics count requests by how they were answered)."""
    request.state.answer = "refused"
    request.state.refusal = error.code
    return rejection(error, media)
