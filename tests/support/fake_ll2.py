"""A local HTTP server that behaves like LL2's list endpoints, for the sync's tests and bench.

    graph = synthetic_graph(spacecraft=250, flights=40)
    with FakeLL2(graph, limit=15, clock=clock) as ll2:
        await sync(engine, SyncOptions(base_url=ll2.base_url), clock=clock)

It serves `/2.3.0/<endpoint>/` pages rendered from a `Graph` by `db.render.Renderer` (limit at
most 100, offset, `count`, absolute `next`/`previous` links, `mode`), `/2.3.0/api-throttle/`
(a list of one APIThrottle) and LL2's sliding-window rate limit: requests over the allowance
get `429` with `Retry-After`. An API key, when set, is checked (`Authorization: Token KEY`; a
wrong one gets `401`) and gets its own allowance. Scripted `Fault`s answer chosen pages with an
error status, a slow (timed out) answer, a dropped connection or a malformed body. The clock it
reads is the sync's, so a `SimulatedClock` compresses the waits of both sides alike.
"""

from __future__ import annotations

import copy
import json
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from db.dataset import bundled_files
from db.graph import Graph
from db.ingest import RecordSet
from db.ingest.sources import read_documents
from db.ll2 import values
from db.render import Renderer
from db.spec import ENDPOINTS
from db.sync.clock import Clock, SystemClock
from db.tables import folded_column

PREFIX = "/2.3.0"
ANONYMOUS = "127.0.0.1"


# --- the data -------------------------------------------------------------------------------


def graph_of(records: RecordSet) -> Graph:
    graph = Graph()
    for entity, rows in records.rows.items():
        graph.rows[entity] = {ident: {**row, "id": ident} for ident, row in rows.items()}
    for key, lists in records.links.items():
        graph.links[key] = {owner: list(targets) for owner, targets in lists.items()}
    return graph


def bundled_graph() -> Graph:
    """The bundled samples (31 spacecraft, 1 flight and all they nest) as a Graph."""
    records = RecordSet()
    for doc in read_documents(bundled_files()):
        records.add_document(doc)
    return graph_of(records)


def _rename(row: dict[str, Any], name: str) -> None:
    row["name"] = name
    if folded_column("name") in row:
        row[folded_column("name")] = values.fold(name)


def synthetic_graph(*, spacecraft: int = 0, flights: int = 0) -> Graph:
    """The bundled samples plus `spacecraft` new spacecraft and `flights` new flights.

    New spacecraft copy the samples' (ids from 100001); new flights copy flight 358, each flown
    by one of the new spacecraft in turn (ids from 200001).
    """
    graph = bundled_graph()
    templates = sorted(graph.rows["spacecraft"].values(), key=lambda r: r["id"])
    new_spacecraft = []
    for i in range(spacecraft):
        row = copy.deepcopy(templates[i % len(templates)])
        row["id"] = 100001 + i
        _rename(row, f"{row['name']} S{i + 1}")
        graph.rows["spacecraft"][row["id"]] = row
        new_spacecraft.append(row["id"])
    flight = graph.rows["spacecraft_flight"][358]
    flight_links = [(key, lists[358]) for key, lists in graph.links.items() if 358 in lists]
    for j in range(flights):
        ident = 200001 + j
        row = copy.deepcopy(flight) | {"id": ident}
        if new_spacecraft:
            row["spacecraft_id"] = new_spacecraft[j % len(new_spacecraft)]
        graph.rows["spacecraft_flight"][ident] = row
        for key, targets in flight_links:
            graph.links[key][ident] = list(targets)
    return graph


# --- scripted misbehaviour ------------------------------------------------------------------


@dataclass
class Fault:
    """Answer the next `times` requests for a page (endpoint, offset; None matches any) badly.

    status: answer with this status (and `headers`, `body`); body alone: a 200 with this body;
    drop: close the connection unanswered, after `delay` real seconds (longer than the client's
    timeout: a timeout). `times=None` keeps the fault until it is removed.
    """

    endpoint: str | None = None
    offset: int | None = None
    status: int | None = None
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay: float = 0.0
    times: int | None = 1
    hits: int = 0

    def matches(self, endpoint: str, offset: int) -> bool:
        return (
            (self.times is None or self.hits < self.times)
            and self.endpoint in (None, endpoint)
            and self.offset in (None, offset)
        )


@dataclass(frozen=True)
class Request:
    """One request as the server saw it, and what it did."""

    path: str
    query: dict[str, str]
    status: int
    authorization: str | None
    user_agent: str | None
    at: float

    @property
    def endpoint(self) -> str | None:
        parts = [p for p in self.path.removeprefix(PREFIX).split("/") if p]
        return parts[0] if parts else None

    @property
    def offset(self) -> int:
        return int(self.query.get("offset", 0))


# --- the server -----------------------------------------------------------------------------


class FakeLL2:
    """LL2 on a loopback port; `limit=None` is the development host (no rate limit)."""

    def __init__(
        self,
        graph: Graph,
        *,
        limit: int | None = 15,
        window: int = 3600,
        api_key: str | None = None,
        key_limit: int | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.graph = graph
        self.renderer = Renderer(graph)
        self.limit = limit
        self.window = window
        self.api_key = api_key
        self.key_limit = key_limit
        self.clock = clock or SystemClock()
        self.listed: dict[str, list[Any]] = {
            endpoint: sorted(graph.rows.get(entity, {})) for endpoint, entity in ENDPOINTS.items()
        }
        self.faults: list[Fault] = []
        # LL2 misreporting: the allowance reads as used up with no wait (`next_use_secs: 0`),
        # and every counted request gets 429 without Retry-After.
        self.used_up_without_wait = False
        self.requests: list[Request] = []
        self.history: dict[str, list[float]] = defaultdict(list)
        # Called before a page is answered (False: drop the connection instead), and after.
        self.page_hook: Callable[[str, int], bool] | None = None
        self.sent_hook: Callable[[str, int], None] | None = None
        # Called with each `/api-throttle/` answer before it is sent.
        self.throttle_hook: Callable[[dict[str, Any]], None] | None = None
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # lifecycle

    def __enter__(self) -> FakeLL2:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return self.origin + PREFIX

    # the data, as tests change it

    def unlist(self, endpoint: str, ident: Any) -> None:
        """LL2 stops listing a record (it stays wherever else it is nested)."""
        with self._lock:
            self.listed[endpoint].remove(ident)
            self._cache.clear()

    def changed(self) -> None:
        """Call after changing `graph` so pages are rendered again."""
        with self._lock:
            self.renderer = Renderer(self.graph)
            self._cache.clear()

    def pages(self, endpoint: str) -> int:
        return max(math.ceil(len(self.listed[endpoint]) / 100), 1)

    def page_offsets(self) -> list[tuple[str, int]]:
        return [(e, i * 100) for e in ENDPOINTS for i in range(self.pages(e))]

    # what happened

    def page_requests(self, status: int | None = 200) -> list[Request]:
        return [
            r
            for r in self.requests
            if r.endpoint in ENDPOINTS and (status is None or r.status == status)
        ]

    def served(self) -> Counter[tuple[str, int]]:
        """How many times each page (endpoint, offset) was answered with its data."""
        return Counter((r.endpoint or "", r.offset) for r in self.page_requests())

    def max_use_in_window(self, ident: str = ANONYMOUS) -> int:
        """The most requests the allowance counted within any one window."""
        times = sorted(self.history[ident])
        best = 0
        start = 0
        for end, t in enumerate(times):
            while t - times[start] >= self.window:
                start += 1
            best = max(best, end - start + 1)
        return best

    # serving

    def _limit_for(self, ident: str) -> int | None:
        return self.key_limit if ident != ANONYMOUS else self.limit

    def _use(self, ident: str, now: float) -> tuple[int, float]:
        """Requests counted in the window ending now, and seconds until the next is allowed."""
        history = [t for t in self.history[ident] if now - t < self.window]
        limit = self._limit_for(ident)
        if limit is None or len(history) < limit:
            return len(history), 0.0
        return len(history), self.window - (now - history[-limit])

    def throttle(self, ident: str) -> dict[str, Any]:
        with self._lock:
            used, wait = self._use(ident, self.clock.monotonic())
            limit = self._limit_for(ident)
            if self.used_up_without_wait:
                used, wait = (1_000_000 if limit is None else limit), 0.0
            return {
                "your_request_limit": 1_000_000 if limit is None else limit,
                "limit_frequency_secs": self.window,
                "current_use": used,
                "next_use_secs": math.ceil(wait),
                "ident": ident,
            }

    def page(self, endpoint: str, query: dict[str, str]) -> dict[str, Any]:
        limit = min(int(query.get("limit", 10)), 100)
        offset = int(query.get("offset", 0))
        mode = query.get("mode", "normal")
        key = (endpoint, tuple(sorted(query.items())))
        with self._lock:
            if key not in self._cache:
                ids = self.listed[endpoint]
                chosen = ids[offset : offset + limit]

                def link(at: int) -> str:
                    return f"{self.base_url}/{endpoint}/?{urlencode(query | {'offset': at})}"

                self._cache[key] = self.renderer.page(
                    endpoint,
                    mode,
                    chosen,
                    count=len(ids),
                    next_url=link(offset + limit) if offset + limit < len(ids) else None,
                    previous_url=link(max(offset - limit, 0)) if offset > 0 else None,
                )
            return self._cache[key]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(
                self, status: int, payload: Any, headers: dict[str, str] | None = None
            ) -> None:
                body = payload if isinstance(payload, str) else json.dumps(payload)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

            def _log(self, status: int, query: dict[str, str]) -> None:
                with fake._lock:
                    fake.requests.append(
                        Request(
                            path=urlsplit(self.path).path,
                            query=query,
                            status=status,
                            authorization=self.headers.get("Authorization"),
                            user_agent=self.headers.get("User-Agent"),
                            at=fake.clock.monotonic(),
                        )
                    )

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                try:
                    status, payload, headers = self._answer(parts.path, query)
                except _Dropped:
                    self._log(0, query)
                    self.close_connection = True
                    return
                self._log(status, query)
                try:
                    self._send(status, payload, headers)
                except (BrokenPipeError, ConnectionResetError):
                    return
                endpoint = parts.path.removeprefix(PREFIX).strip("/")
                if status == 200 and endpoint in ENDPOINTS and fake.sent_hook:
                    fake.sent_hook(endpoint, int(query.get("offset", 0)))

            def _ident(self) -> str | None:
                auth = self.headers.get("Authorization")
                if auth is None:
                    return ANONYMOUS
                if fake.api_key is not None and auth == f"Token {fake.api_key}":
                    return "key"
                return None

            def _answer(self, path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
                ident = self._ident()
                if ident is None:
                    return 401, {"detail": "Invalid token."}, {}
                route = path.removeprefix(PREFIX).strip("/")
                if route == "api-throttle":
                    answer = fake.throttle(ident)
                    if fake.throttle_hook:
                        fake.throttle_hook(answer)
                    return 200, [answer], {}
                if route not in ENDPOINTS:
                    return 404, {"detail": "Not found."}, {}
                offset = int(query.get("offset", 0))
                if fake.used_up_without_wait:
                    return 429, {"detail": "Request was throttled."}, {}
                with fake._lock:
                    now = fake.clock.monotonic()
                    _, wait = fake._use(ident, now)
                    if wait > 0:
                        seconds = math.ceil(wait)
                        return (
                            429,
                            {
                                "detail": "Request was throttled. Expected available in "
                                f"{seconds} seconds."
                            },
                            {"Retry-After": str(seconds)},
                        )
                    fake.history[ident].append(now)
                    fault = next((f for f in fake.faults if f.matches(route, offset)), None)
                    if fault:
                        fault.hits += 1
                        if fault.status == 429:
                            fake.history[ident].pop()
                if fake.page_hook and not fake.page_hook(route, offset):
                    raise _Dropped
                if fault:
                    if fault.drop:
                        time.sleep(fault.delay)
                        raise _Dropped
                    if fault.status is not None or fault.body is not None:
                        body = fault.body if fault.body is not None else {"detail": "Error"}
                        return fault.status or 200, body, fault.headers
                return 200, fake.page(route, query), {}

        return Handler


class _Dropped(Exception):
    pass
