"""Writing the answer: a GraphQL response body in the negotiated media type and status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from gateway.http.errors import Rejected
from gateway.http.operation import Outcome


def graphql_response(
    payload: dict[str, Any],
    *,
    media: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(
        orjson.dumps(payload),
        status_code=status,
        media_type=f"{media}; charset=utf-8",
        headers={"Vary": "Accept", **(headers or {})},
    )


def encode(outcome: Outcome, media: str) -> Response:
    if outcome.data_json is not None:
        # The database wrote `data`; it is spliced in, never parsed.
        body = b'{"data":' + outcome.data_json.encode()
        if outcome.extensions:
            body += b',"extensions":' + orjson.dumps(outcome.extensions)
        return Response(
            body + b"}",
            media_type=f"{media}; charset=utf-8",
            headers={"Vary": "Accept"},
        )
    payload: dict[str, Any] = {}
    if outcome.errors:
        payload["errors"] = outcome.errors
    payload["data"] = outcome.data
    if outcome.extensions:
        payload["extensions"] = outcome.extensions
    return graphql_response(payload, media=media)


def rejection(error: Rejected, media: str) -> Response:
    return graphql_response(
        {"errors": error.errors},
        media=media,
        status=error.status_for(media),
        headers=error.headers,
    )
