"""The Starlette application: routes, middleware and the database's lifetime.

    app = create_app(Settings(), context_getter=lambda r: request_context(r.state.engine))

`context_getter(request)` builds what resolvers get as `info.context`: an awaitable of it, or an
async context manager yielding it (exited once the operation has run). With the app's own schema the
default is `gateway.context.request_context`; with another, `{"request": request}`.

Routes: `/graphql` (the API over GET and POST, and the explorer for a browser), `/` (redirects
to the explorer), `/schema.graphql` (the SDL, for codegen tools), `/healthz` (the process is
alive), `/readyz` (the database answers and holds a dataset; 503 with the reason otherwise).

The lifespan opens one read-only engine (`DATABASE_READ_URL`, else `DATABASE_URL`) for the
requests, and the reader of the dataset's version they share, kept in the lifespan state:
handlers and context getters find them as `request.state.engine` and `request.state.versions`.
It refuses to start on a schema that is not the code's; a database that does not answer at start
is only logged, and `/readyz` says 503 until it does.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

import strawberry
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from db import migrate
from db.direct import DirectReader
from db.engine import create_engine
from db.version_reader import VersionReader
from gateway import __version__
from gateway.caching.conditional import HttpCaching
from gateway.caching.known import KnownRequests
from gateway.caching.persisted import PersistedQueries
from gateway.caching.results import ResultCache
from gateway.caching.steps import Caching
from gateway.http import ContextGetter, Explorer, GraphQLView
from gateway.http.compiled import CompiledRunner
from gateway.http.lane import AnswerLane
from gateway.limits import LimitConfig, Limits
from gateway.loaders.counts import CountCache
from gateway.metrics import (
    Instruments,
    MetricsMiddleware,
    OperationNames,
    instrument_engine,
    metrics_endpoint,
    observe_direct,
)
from gateway.metrics.middleware import CacheSample
from gateway.middleware.access_log import AccessLogMiddleware
from gateway.middleware.compression import CompressionMiddleware
from gateway.middleware.cors import CORSMiddleware
from gateway.middleware.request_id import RequestIdMiddleware
from gateway.middleware.root_path import RootPathMiddleware
from gateway.middleware.security import SecurityHeadersMiddleware
from gateway.readiness import Readiness, describe_error
from gateway.settings import Settings
from gateway.tracing import (
    TracingMiddleware,
    instrument_engine_spans,
    start_tracing,
    trace_direct,
    tracing_configured,
)
from gateway.trusted import TrustedDocuments

EXPLORER_STATIC_PATH = "/explorer/static"
GRAPHQL_ROUTE = "/graphql"  # below `root_path`
NO_STORE = {"Cache-Control": "no-store"}

log = logging.getLogger("gateway.app")


def _explorer(settings: Settings) -> tuple[Explorer, list[BaseRoute]]:
    """The explorer's page and its files' route; a placeholder page when it is not installed."""
    try:
        explorer = importlib.import_module("gateway.explorer")
    except ModuleNotFoundError as e:
        if e.name != "gateway.explorer":
            raise

        async def placeholder(_: Request) -> HTMLResponse:
            return HTMLResponse(
                "<!doctype html><title>No explorer</title>"
                "<p>This build of the gateway has no explorer; POST GraphQL to this URL.</p>",
                status_code=503,
            )

        return placeholder, []

    static_path = settings.root_path + EXPLORER_STATIC_PATH

    async def page(_: Request) -> HTMLResponse:
        return cast(
            HTMLResponse,
            explorer.explorer_response(graphql_path=settings.graphql_path, static_path=static_path),
        )

    return page, [Mount(EXPLORER_STATIC_PATH, app=explorer.static_app(), name="explorer")]


def _lifespan(settings: Settings, instruments: Instruments | None) -> Callable[[Starlette], Any]:
    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[dict[str, Any]]:
        engine = create_engine(settings.read_url, read_only=True)
        versions = VersionReader(settings.read_url, lease=_version_lease(settings))
        direct = DirectReader(settings.read_url)
        if instruments is not None:
            instrument_engine(engine, instruments)
            observe_direct(direct, instruments)
            instruments.process_started()
        tracing = start_tracing()
        if tracing is not None:
            instrument_engine_spans(engine)
            trace_direct(direct)
        try:
            try:
                async with asyncio.timeout(settings.readiness_timeout):
                    await migrate.check(engine)
            except (OSError, SQLAlchemyError, TimeoutError) as e:
                log.warning(
                    "the database does not answer at start (%s); /readyz answers 503 until it does",
                    describe_error(e),
                )
            yield {
                "engine": engine,
                "versions": versions,
                "direct": direct,
                "readiness": Readiness(engine, timeout=settings.readiness_timeout),
            }
        finally:
            await direct.close()
            await versions.close()
            await engine.dispose()
            if instruments is not None:
                instruments.process_ended()
            if tracing is not None:
                tracing.shutdown()

    return lifespan


def _version_lease(settings: Settings) -> float:
    """The version's lease, when the database read is the one written. A replica has its own
    version, which the primary's notices and leases know nothing of (and a standby takes no
    writes): there each request reads the version the replica holds, before its data."""
    if settings.database_read_url in (None, settings.database_url):
        return settings.version_lease
    return 0.0


def _middleware(settings: Settings, metrics: Middleware | None) -> list[Middleware]:
    """Outermost first: the proxy's word on the client, the metrics, then ids, logs, headers,
    then bodies."""
    stack = []
    if settings.trusted_proxies:
        stack.append(Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies))
    if settings.root_path:
        stack.append(Middleware(RootPathMiddleware, root_path=settings.root_path))
    if tracing_configured():
        stack.append(Middleware(TracingMiddleware))
    if metrics is not None:
        stack.append(metrics)
    stack.append(Middleware(RequestIdMiddleware))
    if settings.access_log:
        stack.append(Middleware(AccessLogMiddleware))
    stack.append(Middleware(SecurityHeadersMiddleware))
    if settings.allowed_hosts != ["*"]:
        stack.append(Middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts))
    stack.append(
        Middleware(CORSMiddleware, origins=settings.cors_origins, max_age=settings.cors_max_age)
    )
    stack.append(Middleware(CompressionMiddleware, minimum_size=settings.compression_min_size))
    return stack


def _request_context(settings: Settings, counts: CountCache | None) -> ContextGetter:
    """The real schema's context: the request's connection and loaders."""
    from gateway.context import request_context

    def context(request: Request) -> Any:
        return request_context(
            request.state.engine,
            debug=settings.debug,
            counts=counts,
            versions=request.state.versions,
            direct=request.state.direct,
        )

    return context


def _caching(settings: Settings, sdl: str) -> Caching:
    """The caches of answers, which key on the dataset's version."""
    if not settings.cache:
        return Caching()
    results = None
    if settings.result_cache_size:
        results = ResultCache(
            max_entries=settings.result_cache_size, max_bytes=settings.result_cache_bytes
        )
    # ETags change with the build too: a new gateway may answer the same data differently.
    build = hashlib.sha256(f"{__version__}\n{sdl}".encode()).hexdigest()
    return Caching(results=results, http=HttpCaching(max_age=settings.cache_max_age, build=build))


async def _version_now(request: Request) -> int:
    versions: VersionReader = request.scope["state"]["versions"]
    return await versions.read()


def _known_requests(settings: Settings, caching: Caching | None) -> dict[str, Any]:
    """Answering repeated requests from the caches before parsing them: with the app's own
    caches, and not in debug mode, whose answers report each request's own statements."""
    if caching is None or settings.debug or not (caching.results or caching.http):
        return {}
    return {"known": KnownRequests(settings.known_requests), "version": _version_now}


def _cache_samples(view: GraphQLView) -> Callable[[], list[CacheSample]]:
    """The view's caches as the metrics report them."""

    def samples() -> list[CacheSample]:
        found = []
        results = view.caching.results
        if results is not None:
            found.append(
                CacheSample(
                    "results",
                    len(results.store),
                    results.store.bytes,
                    hits=results.hits,
                    misses=results.misses,
                )
            )
        persisted = view.persisted
        if isinstance(persisted, PersistedQueries) and persisted.store is not None:
            store = persisted.store
            found.append(CacheSample("persisted_queries", len(store), store.bytes))
        if view.replay is not None:
            found.append(CacheSample("known_requests", len(view.replay.known)))
        return found

    return samples


def create_app(
    settings: Settings,
    *,
    schema: strawberry.Schema | None = None,
    context_getter: ContextGetter | None = None,
) -> Starlette:
    compiled: CompiledRunner | None = None
    counts: CountCache | None = None
    own_schema = schema is None
    if schema is None:
        # Imported here so that the HTTP layer can be built and tested without the real schema.
        module = importlib.import_module("gateway.schema")
        schema = cast(
            strawberry.Schema,
            module.build_schema(suggestions=True) if settings.debug else module.schema,
        )
        if context_getter is None:
            counts = CountCache() if settings.cache else None
            context_getter = _request_context(settings, counts)
        if settings.compiled:
            compiled = CompiledRunner(schema, counts=counts)

    sdl = schema.as_str() + "\n"
    instruments = Instruments() if settings.metrics else None
    # Only the app's own schema has a context that reads the dataset's version.
    caching = _caching(settings, sdl) if own_schema else None
    explorer: Explorer | None = None
    explorer_routes: list[BaseRoute] = []
    if settings.explorer and (
        not settings.trusted_documents or settings.trusted_documents_explorer
    ):
        explorer, explorer_routes = _explorer(settings)
    trusted = None
    if settings.trusted_documents:
        # The explorer, when served, needs introspection to show the schema.
        trusted = TrustedDocuments.from_manifest(
            settings.trusted_documents, introspection=explorer is not None
        )
    view = GraphQLView(
        schema,
        context_getter=context_getter,
        explorer=explorer,
        max_body_size=settings.max_body_size,
        body_timeout=settings.body_timeout,
        debug=settings.debug,
        compiled=compiled,
        caching=caching,
        persisted=PersistedQueries(
            max_entries=settings.persisted_queries, max_bytes=settings.persisted_queries_bytes
        ),
        trusted=trusted,
        limits=Limits(schema, LimitConfig.from_settings(settings)),
        **_known_requests(settings, caching),
    )

    async def home(_: Request) -> RedirectResponse:
        return RedirectResponse(settings.graphql_path, status_code=302)

    async def schema_sdl(_: Request) -> PlainTextResponse:
        return PlainTextResponse(sdl, media_type="text/plain; charset=utf-8")

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"}, headers=NO_STORE)

    async def readyz(request: Request) -> JSONResponse:
        readiness: Readiness = request.state.readiness
        report = await readiness.check()
        if report.ready:
            view.outage.answered()
        return JSONResponse(report.body, status_code=200 if report.ready else 503, headers=NO_STORE)

    routes: list[BaseRoute] = [
        Route(GRAPHQL_ROUTE, view),  # first: the router tries each route in turn
        *([Route("/", home, methods=["GET"])] if explorer is not None else []),
        Route("/schema.graphql", schema_sdl, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        *explorer_routes,
    ]
    metrics: Middleware | None = None
    if instruments is not None:
        routes.append(
            Route(
                "/metrics",
                metrics_endpoint(
                    instruments,
                    token=settings.metrics_token,
                    timeout=settings.readiness_timeout,
                ),
                methods=["GET"],
            )
        )
        metrics = Middleware(
            MetricsMiddleware,
            instruments=instruments,
            operations=OperationNames(settings.metrics_operations),
            caches=_cache_samples(view),
        )
    middleware = _middleware(settings, metrics)
    if view.replay is not None:
        # Innermost: the other middlewares shape its answers as they shape the view's.
        middleware.append(Middleware(AnswerLane, view=view, path=GRAPHQL_ROUTE))
    app = Starlette(
        debug=settings.debug,
        routes=routes,
        middleware=middleware,
        lifespan=_lifespan(settings, instruments),
    )
    app.state.counts = counts  # the process's root totals by data version, None when off
    return app
