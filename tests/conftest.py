"""Shared fixtures: real databases on both backends, and the bundled dataset loaded into them.

`backend` parametrises a test over SQLite and PostgreSQL. PostgreSQL is a real server the session
starts from the installed binaries; each test gets its own database, created from a template that
is migrated once, so tests never see each other's data.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db import migrate
from db.engine import create_engine
from db.ingest import ingest, load_bundled_if_empty
from tests.support.pgserver import PostgresServer
from tests.support.system import missing, postgres_bin

BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    bindir = postgres_bin()
    if bindir is None:
        yield None
        return
    server = PostgresServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer | None) -> str | None:
    """A database at the newest schema, copied for each test."""
    if pg_server is None:
        return None
    pg_server.psql("CREATE DATABASE template_gateway")

    import asyncio

    async def prepare() -> None:
        engine = create_engine(pg_server.url("template_gateway"))
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(prepare())
    return "template_gateway"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"

    import asyncio

    async def prepare() -> None:
        engine = create_engine(f"sqlite:///{path}")
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(prepare())
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def new_database_url(
    backend: str,
    directory: Path,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
    *,
    migrated: bool = True,
) -> str:
    if backend == "sqlite":
        path = directory / f"db{next(_counter)}.db"
        if migrated:
            shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    if pg_server is None:
        missing("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    assert pg_server is not None
    name = f"test_{next(_counter)}"
    template = f" TEMPLATE {pg_template}" if migrated else ""
    pg_server.psql(f"CREATE DATABASE {name}{template}")
    return pg_server.url(name)


@pytest.fixture
def database_url(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
) -> str:
    """A new, migrated, empty database of the test's backend."""
    directory = tmp_path_factory.mktemp("db")
    return new_database_url(backend, directory, sqlite_template, pg_server, pg_template)


@pytest.fixture
def empty_database_url(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
) -> str:
    """A new database with no schema at all."""
    directory = tmp_path_factory.mktemp("db")
    return new_database_url(
        backend, directory, sqlite_template, pg_server, pg_template, migrated=False
    )


@pytest.fixture
def new_database(
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
) -> Callable[..., str]:
    """Makes more new databases, of any backend, within one test: `new_database("postgresql")`."""
    directory = tmp_path_factory.mktemp("db")

    def make(backend: str, *, migrated: bool = True) -> str:
        return new_database_url(
            backend, directory, sqlite_template, pg_server, pg_template, migrated=migrated
        )

    return make


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def bundled_engine(engine: AsyncEngine) -> AsyncEngine:
    """A database of its own holding the bundled dataset (for tests that change it)."""
    await load_bundled_if_empty(engine)
    return engine


EXTRA_DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def _shared_urls() -> dict[tuple[str, tuple[str, ...]], str]:
    return {}


@pytest.fixture
def shared_database(
    backend: str,
    _shared_urls: dict[tuple[str, tuple[str, ...]], str],
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
) -> Callable[[tuple[str, ...]], Awaitable[str]]:
    """Databases shared by tests that only read: the bundled dataset plus the named test files."""

    async def get(extra: tuple[str, ...] = ()) -> str:
        key = (backend, extra)
        if key not in _shared_urls:
            directory = tmp_path_factory.mktemp("shared")
            url = new_database_url(backend, directory, sqlite_template, pg_server, pg_template)
            engine = create_engine(url)
            await load_bundled_if_empty(engine)
            if extra:
                await ingest(engine, [EXTRA_DATA / name for name in extra])
            await engine.dispose()
            _shared_urls[key] = url
        return _shared_urls[key]

    return get


@pytest.fixture(scope="session")
def synthetic_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LL2 pages of a synthetic dataset: 10,000 spacecraft and 3,000 flights."""
    from db.synth import synth

    out = tmp_path_factory.mktemp("synthetic") / "pages"
    synth(out, spacecraft=10_000, flights=3_000, seed=20261122)
    return out


@pytest.fixture
def loaded_database(
    backend: str,
    _shared_urls: dict[tuple[str, tuple[str, ...]], str],
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    pg_server: PostgresServer | None,
    pg_template: str | None,
) -> Callable[[str, Callable[[AsyncEngine], Awaitable[object]]], Awaitable[str]]:
    """`await loaded_database(name, load)`: the URL of a database of the test's backend that
    `load(writer)` filled, made once per backend and name and shared by the session."""

    async def make(name: str, load: Callable[[AsyncEngine], Awaitable[object]]) -> str:
        key = (backend, (f"<{name}>",))
        if key not in _shared_urls:
            directory = tmp_path_factory.mktemp("loaded-db")
            url = new_database_url(backend, directory, sqlite_template, pg_server, pg_template)
            writer = create_engine(url)
            try:
                await load(writer)
            finally:
                await writer.dispose()
            _shared_urls[key] = url
        return _shared_urls[key]

    return make


@pytest.fixture
async def synthetic_reader(
    synthetic_dump: Path,
    loaded_database: Callable[[str, Callable[[AsyncEngine], Awaitable[object]]], Awaitable[str]],
) -> AsyncIterator[AsyncEngine]:
    """A read-only engine on a shared database holding the synthetic dataset."""
    url = await loaded_database("synthetic", lambda writer: ingest(writer, [synthetic_dump]))
    engine = create_engine(url, read_only=True)
    yield engine
    await engine.dispose()


@pytest.fixture
async def reader(
    shared_database: Callable[[tuple[str, ...]], Awaitable[str]],
) -> AsyncIterator[AsyncEngine]:
    """A read-only engine on a shared database holding the bundled dataset."""
    engine = create_engine(await shared_database(()), read_only=True)
    yield engine
    await engine.dispose()


@pytest.fixture
async def unicode_reader(
    shared_database: Callable[[tuple[str, ...]], Awaitable[str]],
) -> AsyncIterator[AsyncEngine]:
    """The bundled dataset plus spacecraft with Cyrillic and accented names, read-only."""
    engine = create_engine(await shared_database(("unicode_spacecraft.json",)), read_only=True)
    yield engine
    await engine.dispose()
