"""Synthetic datasets for benchmarks, generated once and cached under var/bench/, and loaded
into SQLite files or a throwaway PostgreSQL server."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.engine import create_engine  # noqa: E402
from db.ingest import ingest  # noqa: E402
from db.synth import synth  # noqa: E402
from tests.support.pgserver import PostgresServer  # noqa: E402
from tests.support.system import postgres_bin  # noqa: E402

CACHE = ROOT / "var" / "bench"


def dump(spacecraft: int, flights: int, seed: int = 1) -> Path:
    out = CACHE / f"dump-{spacecraft}-{flights}-{seed}"
    if not (out / ".complete").exists():
        if out.exists():
            import shutil

            shutil.rmtree(out)
        synth(out, spacecraft=spacecraft, flights=flights, seed=seed)
        (out / ".complete").touch()
    return out


def sqlite_database(spacecraft: int, flights: int, seed: int = 1) -> str:
    path = CACHE / f"db-{spacecraft}-{flights}-{seed}.sqlite"
    url = f"sqlite:///{path}"
    marker = path.with_suffix(".complete")
    if not marker.exists():
        path.unlink(missing_ok=True)
        asyncio.run(_load(url, dump(spacecraft, flights, seed)))
        marker.touch()
    return url


def start_postgres() -> PostgresServer | None:
    bindir = postgres_bin()
    return PostgresServer(bindir).start() if bindir else None


def postgres_database(server: PostgresServer, spacecraft: int, flights: int, seed: int = 1) -> str:
    name = f"bench_{spacecraft}_{flights}_{seed}"
    server.psql(f"CREATE DATABASE {name}")
    url = server.url(name)
    asyncio.run(_load(url, dump(spacecraft, flights, seed)))
    return url


async def _load(url: str, pages: Path) -> None:
    engine = create_engine(url)
    try:
        await ingest(engine, [pages])
    finally:
        await engine.dispose()
