"""Recording each request: its route, operation, answer, refusal code, status and duration.

The GraphQL view says how it answered in the request's state (`answer`: compiled, resolvers,
cached, not_modified, refused; `refusal`: the refused request's code; `operation_name`, and
`operation_valid` once the operation passed validation), as the access log reads the
operation's name there. After each request the caches' sizes and lookups
are published too, so that a scrape answered by any worker sees every worker's caches as of its
last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.metrics.instruments import Instruments
from gateway.metrics.operations import OperationNames
from gateway.middleware.paths import route_label


@dataclass(frozen=True)
class CacheSample:
    """One cache's state as of now: its size and its lookups since the process started."""

    name: str
    entries: int
    bytes: int | None = None
    hits: int | None = None
    misses: int | None = None


CacheSampler = Callable[[], Iterable[CacheSample]]


class MetricsMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        instruments: Instruments,
        operations: OperationNames,
        caches: CacheSampler | None = None,
    ) -> None:
        self.app = app
        self.instruments = instruments
        self.operations = operations
        self.caches = caches
        self._published: dict[tuple[str, str], int] = {}
        self._sizes: dict[str, tuple[int, int | None]] = {}
        # The labelled children by labels: `labels()` takes a lock and builds a key each time.
        self._children: dict[tuple[str, ...], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def watched_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except BaseException:
            status = status or 500
            raise
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        state = scope.get("state", {})
        route = route_label(scope)
        answer = str(state.get("answer") or "other")
        if status == 304:
            answer = "not_modified"
        operation = ""
        if route == "/graphql":
            operation = self.operations.label(
                state.get("operation_name"), valid=bool(state.get("operation_valid"))
            )
        code = str(state.get("refusal") or "") if answer == "refused" else ""
        key = (route, operation, answer, code, str(status))
        children = self._children.get(key)
        if children is None:
            i = self.instruments
            children = self._children[key] = (
                i.requests.labels(*key),
                i.request_seconds.labels(route, answer),
            )
        children[0].inc()
        children[1].observe(seconds)
        if self.caches is not None:
            self._publish(self.caches())

    def _publish(self, samples: Iterable[CacheSample]) -> None:
        i = self.instruments
        for sample in samples:
            size = (sample.entries, sample.bytes)
            if self._sizes.get(sample.name) != size:
                self._sizes[sample.name] = size
                i.cache_entries.labels(sample.name).set(sample.entries)
                if sample.bytes is not None:
                    i.cache_bytes.labels(sample.name).set(sample.bytes)
            for result, total in (("hit", sample.hits), ("miss", sample.misses)):
                if total is None:
                    continue
                key = (sample.name, result)
                new = total - self._published.get(key, 0)
                if new > 0:
                    i.cache_lookups.labels(sample.name, result).inc(new)
                    self._published[key] = total
