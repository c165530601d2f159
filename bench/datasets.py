"""Synthetic datasets for benchmarks, generated once and cached under var/bench/, and loaded
into SQLite files or a throwaway PostgreSQL server.

By default the dataset goes the way a user's data goes: LL2 pages (`synth --out`) imported by
`ingest`. `direct=True` writes it with `synth --into` instead (`db.synth.load`), without pages:
the way to a million spacecraft, which as pages would take hours and tens of gigabytes.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db import migrate  # noqa: E402
from db.engine import create_engine  # noqa: E402
from db.ingest import ingest  # noqa: E402
from db.synth import synth  # noqa: E402
from db.synth.load import load_world  # noqa: E402
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


def sqlite_database(spacecraft: int, flights: int, seed: int = 1, *, direct: bool = False) -> str:
    kind = "db-direct" if direct else "db"
    path = CACHE / f"{kind}-{spacecraft}-{flights}-{seed}.sqlite"
    url = f"sqlite:///{path}"
    marker = path.with_suffix(".complete")
    if not marker.exists():
        path.unlink(missing_ok=True)
        asyncio.run(_load(url, spacecraft, flights, seed, direct))
        marker.touch()
    else:
        asyncio.run(upgrade(url))  # cached before a newer migration: the gateway would refuse it
    return url


async def upgrade(url: str) -> None:
    """Bring a cached database's schema to this version (nothing to do when it is)."""
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


def start_postgres() -> PostgresServer | None:
    bindir = postgres_bin()
    return PostgresServer(bindir).start() if bindir else None


def postgres_database(
    server: PostgresServer, spacecraft: int, flights: int, seed: int = 1, *, direct: bool = False
) -> str:
    name = database_name(spacecraft, flights, seed, direct=direct)
    server.psql(f"CREATE DATABASE {name}")
    url = server.url(name)
    asyncio.run(_load(url, spacecraft, flights, seed, direct))
    return url


def database_name(spacecraft: int, flights: int, seed: int = 1, *, direct: bool = False) -> str:
    return f"bench{'_direct' if direct else ''}_{spacecraft}_{flights}_{seed}"


async def _load(url: str, spacecraft: int, flights: int, seed: int, direct: bool) -> None:
    engine = create_engine(url)
    try:
        if direct:
            loaded = await load_world(
                engine,
                spacecraft=spacecraft,
                flights=flights,
                seed=seed,
                progress=lambda m: print(f"synth --into: {m}", file=sys.stderr, flush=True),
            )
            print(loaded.summary(), file=sys.stderr, flush=True)
        else:
            await ingest(engine, [dump(spacecraft, flights, seed)])
    finally:
        await engine.dispose()
