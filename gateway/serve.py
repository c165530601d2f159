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
import logging
import logging.config
import os
import shutil
import signal
import sys
import tempfile
from typing import Any

import uvicorn
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette

from db import migrate
from db.engine import create_engine
from db.ingest import load_bundled_if_empty
from db.sync import SyncOptions
from gateway import background_sync
from gateway.logs import logging_config
from gateway.metrics.instruments import MULTIPROC_ENV
from gateway.readiness import describe_error
from gateway.settings import Settings

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
    }


async def prepare_database(settings: Settings) -> str:
    """Load the bundled dataset into an empty database and check the schema; what was done."""
    engine = create_engine(settings.database_url)
    try:
        loaded = await load_bundled_if_empty(engine)
        await migrate.check(engine)
    finally:
        await engine.dispose()
    if loaded is None:
        return "the database holds a dataset already"
    return f"loaded the bundled dataset: {loaded.summary()}"


def app_from_environment() -> Starlette:
    """The uvicorn factory each worker calls."""
    from gateway.app import create_app

    return create_app(Settings())


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {k: getattr(args, k, None) for k in ("host", "port", "workers", "sync_every")}
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


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


def serve(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
    except ValidationError as e:
        print(f"serve: invalid settings:\n{e}", file=sys.stderr)
        return 2
    logging.config.dictConfig(uvicorn_options(settings)["log_config"])
    try:
        log.info(asyncio.run(prepare_database(settings)))
    except migrate.SchemaMismatch as e:
        print(f"serve: {e}", file=sys.stderr)
        return 1
    except (OSError, SQLAlchemyError) as e:
        print(f"serve: the database does not answer: {describe_error(e)}", file=sys.stderr)
        return 1
    sync_process = None
    if settings.sync_every:
        try:
            every = background_sync.sync_interval(settings.sync_every)
            options = SyncOptions(
                base_url=settings.sync_base_url, api_key=os.environ.get("LL2_API_KEY") or None
            )
        except ValueError as e:
            print(f"serve: --sync-every: {e}", file=sys.stderr)
            return 2
        sync_process = background_sync.start(settings.database_url, every, options)
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
