"""`DATABASE_READ_URL` on a real streaming standby (`pg_basebackup -R` from the test's primary).

Imports go to the primary; the gateway answers from the standby: an import shows once the
standby has replayed it, whole, and from then on no cache answers the data before it; the
standby lag shows in `datasetInfo` and `/readyz`; and nothing is ever sent to the standby that
would write (its log names any such statement, and any error).
"""

from __future__ import annotations

import copy
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from db.engine import create_engine
from db.ingest import ingest, load_bundled_if_empty
from db.migrate import upgrade
from db.state import VERSION_SQL
from tests.gateway.conftest import ServeApp
from tests.support.data import sample_spacecraft, write_json
from tests.support.live import LiveServer
from tests.support.metrics import scrape, value
from tests.support.pgserver import PostgresServer
from tests.support.system import missing, postgres_bin

FIRST, SECOND = 467, 465  # two bundled spacecraft, renamed by one import
BOTH = f"{{ a: spacecraft(ll2Id: {FIRST}) {{ name }} b: spacecraft(ll2Id: {SECOND}) {{ name }} }}"
FACTS = "{ datasetInfo { version replicaLag { seconds replayPaused lastReplayedAt } } }"


@pytest.fixture
async def replicated() -> AsyncIterator[tuple[PostgresServer, PostgresServer]]:
    bindir = postgres_bin()
    if bindir is None:
        missing("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    assert bindir is not None
    primary = PostgresServer(bindir).start()
    standby = PostgresServer(bindir, log_writes=True)
    try:
        primary.psql("CREATE DATABASE gateway")
        engine = create_engine(primary.url("gateway"))
        await upgrade(engine)
        await load_bundled_if_empty(engine)
        await engine.dispose()
        standby.start_standby(primary)
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()


def _post(server: LiveServer, query: str) -> dict[str, Any]:
    response = httpx.post(f"{server.url}/graphql", json={"query": query}, timeout=10)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def _names(server: LiveServer) -> tuple[str, str]:
    data = _post(server, BOTH)
    return data["a"]["name"], data["b"]["name"]


def _version(server: PostgresServer) -> int:
    return int(server.psql(VERSION_SQL, "gateway").strip())


async def _rename_both(primary: PostgresServer, directory: Path) -> int:
    crafts = [copy.deepcopy(s) for s in sample_spacecraft() if s["id"] in (FIRST, SECOND)]
    for craft in crafts:
        craft["name"] += " (renamed)"
    page = {"count": 2, "next": None, "previous": None, "results": crafts}
    engine = create_engine(primary.url("gateway"))
    try:
        result = await ingest(engine, [write_json(directory / "rename.json", page)])
    finally:
        await engine.dispose()
    assert result.version is not None
    return result.version


def _wait_until(condition: Any, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.05)


async def test_answers_follow_the_standby(
    replicated: tuple[PostgresServer, PostgresServer], serve_app: ServeApp, tmp_path: Path
) -> None:
    primary, standby = replicated
    server = serve_app(
        database_url=primary.url("gateway"),
        database_read_url=standby.url("gateway"),
        schema=None,
    )
    before = _version(primary)
    old = _names(server)
    assert old == _names(server)  # now from the result cache too
    facts = _post(server, FACTS)["datasetInfo"]
    assert facts["version"] == before
    assert facts["replicaLag"]["seconds"] == 0 and not facts["replicaLag"]["replayPaused"]

    # The standby receives the import but does not replay it: every answer is the old data.
    standby.psql("SELECT pg_wal_replay_pause()", "gateway")
    after = await _rename_both(primary, tmp_path)
    sent = primary.psql("SELECT pg_current_wal_lsn()").strip()
    _wait_until(
        lambda: standby.psql(f"SELECT pg_last_wal_receive_lsn() >= '{sent}'").strip() == "t",
        "the standby receiving the import",
    )
    assert after == before + 1 and _version(standby) == before
    assert _names(server) == old
    lagging = _post(server, FACTS)["datasetInfo"]
    assert lagging["version"] == before
    assert lagging["replicaLag"]["replayPaused"] and lagging["replicaLag"]["seconds"] > 0
    ready = httpx.get(f"{server.url}/readyz").json()
    assert ready["dataset"]["version"] == before
    assert ready["replica"]["replay_paused"] and ready["replica"]["lag_bytes"] > 0
    assert value(scrape(server.url), "gateway_replica_lag_bytes") > 0

    # Replayed: from the moment the standby shows the new version, only the new data, whole.
    standby.psql("SELECT pg_wal_replay_resume()", "gateway")
    new = (f"{old[0]} (renamed)", f"{old[1]} (renamed)")
    while _version(standby) != after:
        assert _names(server) in (old, new)  # one import or the other, never a mix
    assert _names(server) == new
    assert _post(server, FACTS)["datasetInfo"]["version"] == after
    _wait_until(
        lambda: _post(server, FACTS)["datasetInfo"]["replicaLag"]["seconds"] == 0,
        "the lag going back to 0",
    )
    assert httpx.get(f"{server.url}/readyz").json()["replica"]["lag_bytes"] == 0

    # Nothing that writes ever reached the standby (log_statement=mod logs it), nor an error.
    log = standby.log()
    assert [line for line in log.splitlines() if "statement:" in line or "ERROR" in line] == []
