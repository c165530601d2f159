"""A throwaway PostgreSQL holding the synthetic dataset, restored from a cached pg_dump.

Importing 100,000 spacecraft and 100,000 flights takes minutes; restoring a dump of the loaded
database takes seconds. The first run loads the dataset (`bench.datasets`) and keeps
`var/bench/pg-<spacecraft>-<flights>-<seed>.dump`; later runs restore it, bring its schema to
this version (a dump made before a migration lacks what the migration adds), then ANALYZE so the
planner has statistics from the start. `direct=True` loads with `synth --into` (`pg-direct-...`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.datasets import CACHE, database_name, postgres_database, upgrade
from tests.support.pgserver import PostgresServer
from tests.support.system import postgres_bin


class StatementFailed(RuntimeError):
    pass


class NoPostgres(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "PostgreSQL's server binaries were not found (/usr/lib/postgresql/*/bin or initdb "
            "on PATH); install Debian's postgresql package"
        )


def start_server() -> PostgresServer:
    bindir = postgres_bin()
    if bindir is None:
        raise NoPostgres()
    return PostgresServer(bindir).start()


def _run(server: PostgresServer, *args: str) -> None:
    command = [os.path.join(server.bindir, args[0]), "-h", "127.0.0.1", "-p", str(server.port)]
    subprocess.run([*command, "-U", "postgres", *args[1:]], check=True, capture_output=True)


def dataset_database(
    server: PostgresServer, spacecraft: int, flights: int, seed: int = 1, *, direct: bool = False
) -> str:
    """The URL of a database on `server` holding the dataset, from the cached dump if any."""
    kind = "pg-direct" if direct else "pg"
    dump_file = CACHE / f"{kind}-{spacecraft}-{flights}-{seed}.dump"
    name = database_name(spacecraft, flights, seed, direct=direct)
    started = time.monotonic()
    if dump_file.exists():
        server.psql(f"CREATE DATABASE {name}")
        _run(server, "pg_restore", "-d", name, "--no-owner", "-j", "2", str(dump_file))
        asyncio.run(upgrade(server.url(name)))
        how = f"restored {dump_file.name}"
    else:
        postgres_database(server, spacecraft, flights, seed, direct=direct)
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = Path(f"{dump_file}.partial")
        _run(server, "pg_dump", "-d", name, "-Fc", "-Z", "1", "-f", str(partial))
        partial.rename(dump_file)
        how = f"loaded the dataset and cached it as {dump_file.name}"
    server.psql("VACUUM ANALYZE", database=name)
    print(f"database: {how} in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return server.url(name)


def database_name_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def psql_command(pg: PostgresServer, url: str) -> list[str]:
    return [
        os.path.join(pg.bindir, "psql"),
        *("-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "-d", database_name_of(url)),
    ]


def scalar(pg: PostgresServer, url: str, sql: str) -> str:
    """The text `sql` answers, as psql prints it unaligned."""
    try:
        return pg.psql(sql, database=database_name_of(url)).strip()
    except subprocess.CalledProcessError as e:
        raise StatementFailed(f"PostgreSQL refused:\n{sql}\n{e.stderr}") from None
