"""`/metrics`: the Prometheus text format, behind a bearer token when one is set.

A scrape is answered by whichever worker process receives it, from every process's values
(`Instruments.registry`) and the dataset's facts read from the database then
(`gateway.metrics.dataset`).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from gateway.metrics.dataset import dataset_registry, read_facts
from gateway.metrics.instruments import Instruments

NO_STORE = {"Cache-Control": "no-store"}


def _authorized(request: Request, token: str) -> bool:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        credentials.strip().encode(), token.encode()
    )


def metrics_endpoint(
    instruments: Instruments, *, token: str | None, timeout: float
) -> Callable[[Request], Awaitable[Response]]:
    async def metrics(request: Request) -> Response:
        if token and not _authorized(request, token):
            return PlainTextResponse(
                "/metrics needs `Authorization: Bearer <GATEWAY_METRICS_TOKEN>`\n",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"', **NO_STORE},
            )
        facts = await read_facts(request.state.engine, timeout)
        body = generate_latest(instruments.registry()) + generate_latest(dataset_registry(facts))
        return Response(body, media_type=CONTENT_TYPE_LATEST, headers=NO_STORE)

    return metrics
