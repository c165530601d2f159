"""`spacecraft-gateway serve`: prepare the database once, then run the app under uvicorn.

Before any worker starts, the bundled dataset is loaded into an empty database (on a writer
engine, which also migrates a database that has no schema yet), and a database whose schema is
not this code's stops the command with the reason. Workers then build the app from the
environment. On SIGTERM uvicorn stops accepting connections and lets requests in flight finish
(for up to `shutdown_timeout` seconds) before the lifespan closes the engines.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import logging
import logging.config
import os
import shutil
import signal
import socket
import sys
import tempfile
from typing import Any

import uvicorn
from pydantic import ValidationError
from starlette.applications import Starlette

from db import migrate
from db.engine import UnwritableDatabase, create_engine
from db.ingest import load_bundled_if_empty
from db.integrity import check_integrity
from db.sync import SyncOptions, parse_duration
from gateway import background_sync
from gateway.connections import (
    ConnectionBounds,
    protocol_factory,
    raise_open_file_limit,
    worker_capacity,
)
from gateway.failures import Problem, Status, settings_problem
from gateway.logs import logging_config
from gateway.metrics.instruments import MULTIPROC_ENV
from gateway.settings import Settings, env_name

log = logging.getLogger("gateway.serve")


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn runs the app, for `serve` and for the tests' live servers alike."""
    level = "debug" if settings.debug else settings.log_level
    return {
        "lifespan": "on",
        # The app applies forwarded headers itself, from `trusted_proxies` only; uvicorn's own
        # handling would trust 127.0.0.1 whatever the settings say.
        "proxy_headers": False,
        "server_header": False,
        "access_log": False,  # the app writes its own, structured
        "log_config": logging_config(level=level, access_log=settings.access_log),
        "log_level": level,
        "timeout_graceful_shutdown": settings.shutdown_timeout,
        "http": protocol_factory(
            ConnectionBounds(
                header_timeout=settings.header_timeout,
                linger_time=settings.linger_time,
                linger_bytes=settings.linger_bytes,
                max_connections=settings.max_connections,
            )
        ),
    }


async def prepare_database(settings: Settings) -> str:
    """Load the bundled dataset into an empty database and check the file and the schema; what
    was done. A SQLite file this process cannot write is served as it is, if it is sound."""
    try:
        engine = create_engine(settings.database_url)
    except UnwritableDatabase:
        return await _check_read_only(settings.database_url)
    try:
        loaded = await load_bundled_if_empty(engine)
        await migrate.check(engine)
    finally:
        await engine.dispose()
    if loaded is None:
        return "the database holds a dataset already"
    return f"loaded the bundled dataset: {loaded.summary()}"


async def _check_read_only(database_url: str) -> str:
    engine = create_engine(database_url, read_only=True)
    try:
        await check_integrity(engine)
        await migrate.check(engine)
    finally:
        await engine.dispose()
    return "the database file is read-only to this process: serving it as it is"


def app_from_environment() -> Starlette:
    """The uvicorn factory each worker calls."""
    from gateway.app import create_app

    return create_app(Settings())


def _shared_metrics_dir(settings: Settings) -> str | None:
    """With several workers, a directory where each writes its metrics for any to report
    (`gateway.metrics`): a new one per run, removed at the end, unless the operator named one.

    Set before the workers start, and so before they import prometheus-client, which reads it
    at import."""
    if not settings.metrics or settings.workers < 2 or os.environ.get(MULTIPROC_ENV):
        return None
    directory = tempfile.mkdtemp(prefix="gateway-metrics-")
    os.environ[MULTIPROC_ENV] = directory
    return directory


def _exit_cleanly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


OPTIONS = {"host": "--host", "port": "--port", "workers": "--workers", "sync_every": "--sync-every"}


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings, the command line's over the environment's; a `Problem` names what is bad."""
    overrides = {k: getattr(args, k, None) for k in OPTIONS}
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as e:
        raise settings_problem(e, {k: OPTIONS[k] for k in given}) from None


def check_port_free(settings: Settings) -> None:
    """Refuse at once, in one line, an address another process listens on."""
    if settings.port == 0:
        return
    probe = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
    try:
        probe.bind((settings.host, settings.port))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise Problem(
                Status.UNAVAILABLE,
                f"port {settings.port} on {settings.host} is in use by another process: stop "
                "it, or choose another port (--port or GATEWAY_PORT)",
            ) from None
        raise Problem(
            Status.USAGE,
            f"cannot listen on {settings.host} port {settings.port}: {e.strerror}; correct "
            "--host or GATEWAY_HOST",
        ) from None
    finally:
        probe.close()


def _background_sync(settings: Settings) -> tuple[dt.timedelta, SyncOptions] | None:
    if not settings.sync_every:
        return None
    try:
        every = background_sync.sync_interval(settings.sync_every)
        options = SyncOptions(
            base_url=settings.sync_base_url,
            api_key=os.environ.get("LL2_API_KEY") or None,
            max_total_wait=parse_duration(settings.sync_max_total_wait),
        )
    except ValueError as e:
        raise Problem(Status.USAGE, f"--sync-every or GATEWAY_SYNC_EVERY: {e}") from None
    return every, options


def serve(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    # Workers read the settings from the environment: give them the command line's too.
    for field in OPTIONS:
        if getattr(args, field, None) is not None:
            os.environ[env_name(field)] = str(getattr(args, field))
    sync = _background_sync(settings)
    check_port_free(settings)
    logging.config.dictConfig(uvicorn_options(settings)["log_config"])
    try:
        log.info(asyncio.run(prepare_database(settings)))
    except migrate.SchemaMismatch as e:
        print(f"serve: {e}", file=sys.stderr)
        return 1
    # After the database is found ready: a command that cannot start says so in one line.
    raise_open_file_limit()
    log.info("each worker holds up to %d connections", worker_capacity(settings.max_connections))
    sync_process = None if sync is None else background_sync.start(settings.database_url, *sync)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again for the handler it
    # found: this one, so `serve` exits 0 and stops its background sync on the way out.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    metrics_dir = _shared_metrics_dir(settings)
    try:
        uvicorn.run(
            "gateway.serve:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            **uvicorn_options(settings),
        )
    finally:
        if sync_process is not None:
            background_sync.stop(sync_process)
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0
