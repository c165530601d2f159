"""The app's routes and lifespan on a live server: redirect, SDL, health, readiness."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.ingest import load_bundled_if_empty
from db.migrate import SchemaBehind, head_revision
from tests.conftest import new_database_url
from tests.gateway.conftest import ServeApp, answer, start_server
from tests.gateway.sample_schema import schema as sample_schema
from tests.support.live import LiveServer
from tests.support.pgserver import PostgresServer, free_port
from tests.support.system import missing

BUNDLED_COUNTS = {
    "spacecraft": 31,
    "spacecraft_configuration": 14,
    "spacecraft_family": 4,
    "agency": 8,
    "spacecraft_flight": 1,
}


def unreachable_url(backend: str, directory: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory}/missing/nothing-here.db"
    return f"postgresql://postgres@127.0.0.1:{free_port()}/gone"


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])


def test_root_redirects_to_the_explorer(http_server: LiveServer) -> None:
    response = httpx.get(f"{http_server.url}/")
    assert response.status_code == 302
    assert response.headers["location"] == "/graphql"


def test_schema_graphql_is_the_sdl(http_server: LiveServer) -> None:
    response = httpx.get(f"{http_server.url}/schema.graphql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == sample_schema.as_str() + "\n"
    assert "type Craft {" in response.text


def test_healthz_says_the_process_is_alive(http_server: LiveServer) -> None:
    response = httpx.get(f"{http_server.url}/healthz")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_dataset_and_its_counts(serve_app: ServeApp, bundled_url: str) -> None:
    live = serve_app(database_url=bundled_url)
    response = httpx.get(f"{live.url}/readyz")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    completed_at = dt.datetime.fromisoformat(body["dataset"].pop("completed_at"))
    assert abs(dt.datetime.now(dt.UTC) - completed_at) < dt.timedelta(hours=1)
    assert 0 <= body["dataset"].pop("age_seconds") < 3600
    assert body == {
        "status": "ready",
        "dataset": {"version": 1, "source": "bundled", "last_sync_failure": None},
        "counts": BUNDLED_COUNTS,
    }


def test_readyz_is_503_on_a_database_without_a_dataset(
    serve_app: ServeApp, database_url: str
) -> None:
    live = serve_app(database_url=database_url)
    response = httpx.get(f"{live.url}/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "the database holds no dataset: restart `spacecraft-gateway serve`, which "
        "loads the bundled one into an empty database, or run `spacecraft-gateway ingest`",
    }


def test_readyz_is_503_when_the_database_is_unreachable(
    serve_app: ServeApp, backend: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="gateway.app")
    live = serve_app(database_url=unreachable_url(backend, str(tmp_path)))
    assert "the database does not answer at start" in caplog.text
    assert httpx.get(f"{live.url}/healthz").status_code == 200
    response = httpx.get(f"{live.url}/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    expected = "unable to open database file" if backend == "sqlite" else "Connection refused"
    assert body["reason"].startswith("the database is unreachable: ")
    assert expected in body["reason"]
    assert "postgresql://" not in body["reason"]


def test_readyz_turns_503_when_postgresql_goes_away(
    serve_app: ServeApp,
    tmp_path: Path,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
) -> None:
    if pg_server is None:
        missing("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    assert pg_server is not None
    url = new_database_url("postgresql", tmp_path, sqlite_template, pg_server, pg_template)

    async def load() -> None:
        engine = create_engine(url)
        await load_bundled_if_empty(engine)
        await engine.dispose()

    asyncio.run(load())
    live = serve_app(database_url=url)
    assert httpx.get(f"{live.url}/readyz").status_code == 200
    pg_server.psql(f"DROP DATABASE {make_url(url).database} WITH (FORCE)")
    response = httpx.get(f"{live.url}/readyz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("the database is unreachable: ")


def test_readyz_gives_up_after_the_readiness_timeout(serve_app: ServeApp, silent_port: int) -> None:
    live = serve_app(
        database_url=f"postgresql://postgres@127.0.0.1:{silent_port}/silent",
        readiness_timeout=0.3,
    )
    response = httpx.get(f"{live.url}/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "the database did not answer within 0.3 s",
    }


def test_reads_go_to_database_read_url(
    serve_app: ServeApp, bundled_url: str, backend: str, tmp_path: Path
) -> None:
    live = serve_app(
        database_url=unreachable_url(backend, str(tmp_path)), database_read_url=bundled_url
    )
    assert httpx.get(f"{live.url}/readyz").json()["counts"] == BUNDLED_COUNTS
    response = httpx.post(f"{live.url}/graphql", json={"query": "{ datasetVersion }"})
    assert response.json() == answer({"datasetVersion": 1})


async def set_revision(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


async def test_the_app_refuses_to_start_on_a_schema_not_its_own(
    database_url: str, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    await set_revision(engine, "0001")
    caplog.set_level(logging.ERROR)
    with pytest.raises(RuntimeError, match="stopped while starting"):
        await asyncio.to_thread(start_server, database_url=database_url)
    assert str(SchemaBehind("0001", head_revision())) in caplog.text
