"""A database that stops answering, met by a live `serve`: 503 with `Retry-After` while it is
away, `/readyz` at 503 until it answers, the outage logged once (and its end), no traceback.

PostgreSQL is stopped and started again under load by the test; a SQLite file is damaged under
a running server. The figures (statuses, seconds to recover, log lines) are printed.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import pytest

from gateway.http.outage import unavailable
from tests.support.pgserver import PostgresServer, free_port
from tests.support.processes import Process
from tests.support.system import missing, postgres_bin

QUERIES = [
    # the compiled path, and the resolvers (a field the compiler leaves to them)
    "{ allSpacecraft(first: 3) { totalCount nodes { name } } }",
    "{ spacecraft(ll2Id: 467) { name flights(first: 2) { nodes { ll2Id } } } }",
]
NORMAL = {"query": "{ spacecraft(ll2Id: 467) { name } }"}
UNAVAILABLE = {
    "errors": [
        {
            "message": "the database is unavailable; try again shortly",
            "extensions": {"code": "SERVICE_UNAVAILABLE"},
        }
    ]
}


@dataclass
class Load:
    """Clients asking the server again and again, each answer noted with its time."""

    url: str
    clients: int = 4
    answers: list[tuple[float, int, dict[str, object], str | None]] = field(default_factory=list)
    ready: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def _ask(self, number: int) -> None:
        with httpx.Client(timeout=15) as client:
            i = number
            while not self._stop.is_set():
                query = QUERIES[i % len(QUERIES)]
                i += 1
                try:
                    response = client.post(f"{self.url}/graphql", json={"query": query})
                    body = response.json()
                    self.answers.append(
                        (
                            time.monotonic(),
                            response.status_code,
                            body,
                            response.headers.get("retry-after"),
                        )
                    )
                except httpx.HTTPError as e:
                    self.answers.append((time.monotonic(), 0, {"error": str(e)}, None))
                time.sleep(0.01)

    def _probe(self) -> None:
        while not self._stop.is_set():
            try:
                status = httpx.get(f"{self.url}/readyz", timeout=10).status_code
            except httpx.HTTPError:
                status = 0
            self.ready.append((time.monotonic(), status))
            time.sleep(0.1)

    def __enter__(self) -> Load:
        self._threads = [
            threading.Thread(target=self._ask, args=(n,), daemon=True) for n in range(self.clients)
        ]
        self._threads.append(threading.Thread(target=self._probe, daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=20)

    def statuses(self) -> Counter[int]:
        return Counter(status for _, status, _, _ in self.answers)


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    bindir = postgres_bin()
    if bindir is None:
        missing("PostgreSQL's binaries are not installed (Debian package postgresql)")
        return
    server = PostgresServer(bindir).start()
    server.psql("CREATE DATABASE gateway")
    try:
        yield server
    finally:
        server.stop()


def serve(database_url: str, directory: Path, **env: str) -> tuple[Process, str]:
    port = free_port()
    process = Process(
        [".venv/bin/spacecraft-gateway", "serve"],
        {
            "DATABASE_URL": database_url,
            "GATEWAY_PORT": str(port),
            "GATEWAY_CACHE": "false",  # every request goes to the database
            "GATEWAY_ACCESS_LOG": "false",
            **env,
        },
        directory,
    )
    url = f"http://127.0.0.1:{port}"
    process.wait_until_up(url)
    return process, url


def log_lines(stderr: str, outage: str) -> list[dict[str, object]]:
    lines = [orjson.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("outage") == outage]


def test_a_postgresql_restart_under_load_is_answered_503_and_logged_once(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    process, url = serve(postgres.url("gateway"), tmp_path)
    try:
        with Load(url) as load:
            time.sleep(1)
            postgres.halt()
            stopped = time.monotonic()
            time.sleep(2)
            resuming = time.monotonic()
            postgres.resume()  # returns once it accepts connections
            back = time.monotonic()
            deadline = back + 20
            while time.monotonic() < deadline:  # until two seconds of answers after it is back
                recent = [a for a in load.answers if a[0] > time.monotonic() - 2]
                if time.monotonic() - back > 2 and recent and all(a[1] == 200 for a in recent):
                    break
                time.sleep(0.2)
        stderr = process.stderr
    finally:
        process.stop()

    statuses = load.statuses()
    during = [a for a in load.answers if stopped < a[0] < resuming]
    refused = [a for a in load.answers if a[1] == 503]
    first_after = min((a[0] for a in load.answers if a[0] > resuming and a[1] == 200), default=None)
    ready_during = {status for at, status in load.ready if stopped + 0.5 < at < resuming}
    print(
        f"statuses: {dict(statuses)}; during the 2 s stop: {Counter(a[1] for a in during)}; "
        f"PostgreSQL took {back - resuming:.3f} s to start again, the first 200 came "
        f"{(first_after or 0) - back:+.3f} s from then; /readyz while stopped: {ready_during}; "
        "log lines: "
        f"{len(log_lines(stderr, 'started'))} started, {len(log_lines(stderr, 'ended'))} ended"
    )
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[503] > 0 and statuses[200] > 0
    assert all((body, retry) == (UNAVAILABLE, "5") for _, _, body, retry in refused)
    assert {a[1] for a in during if a[0] > stopped + 0.5} == {503}
    assert first_after is not None
    assert ready_during == {503}
    assert load.ready[-1][1] == 200
    assert "Traceback" not in stderr
    started, ended = log_lines(stderr, "started"), log_lines(stderr, "ended")
    assert len(started) == len(ended) == 1
    assert started[0]["level"] == "error"
    assert started[0]["message"].startswith("the database does not answer (")  # type: ignore[union-attr]
    assert ended[0]["refused"] == statuses[503]


def damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of `table`'s B-tree."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xa5" * page_size)


def test_a_damaged_page_of_sqlite_met_while_serving_is_503_with_the_reason_logged(
    shared_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "damaged.db"
    shutil.copy(shared_url.removeprefix("sqlite:///"), path)
    process, url = serve(f"sqlite:///{path}", tmp_path)
    query = {"query": "{ allAgencies(first: 3) { nodes { name } } }"}
    try:
        assert httpx.post(f"{url}/graphql", json=NORMAL).status_code == 200
        damage_table(path, "agency")  # which no request has read: no connection caches it
        answers = [httpx.post(f"{url}/graphql", json=query) for _ in range(5)]
        assert httpx.post(f"{url}/graphql", json=NORMAL).status_code == 200
        stderr = process.stderr
    finally:
        process.stop()
    assert [(a.status_code, a.json(), a.headers.get("retry-after")) for a in answers] == [
        (503, UNAVAILABLE, "5")
    ] * 5
    (started,) = log_lines(stderr, "started")
    assert started["reason"] == "the SQLite file: DatabaseError: database disk image is malformed"
    assert "Traceback" not in stderr


class _PgError(Exception):
    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        pytest.param(
            ConnectionRefusedError(111, "Connect call failed"),
            "ConnectionRefusedError: [Errno 111] Connect call failed",
            id="refused",
        ),
        pytest.param(
            _PgError("the database system is shutting down", "57P03"),
            "_PgError: the database system is shutting down",
            id="shutting-down",
        ),
        pytest.param(
            _PgError("sorry, too many clients already", "53300"),
            "_PgError: sorry, too many clients already",
            id="too-many-clients",
        ),
        pytest.param(
            sqlite3.DatabaseError("database disk image is malformed"),
            "the SQLite file: DatabaseError: database disk image is malformed",
            id="sqlite-damaged",
        ),
    ],
)
def test_what_counts_as_the_database_not_answering(error: BaseException, reason: str) -> None:
    assert unavailable(error) == reason
    try:  # as SQLAlchemy raises it, the driver's error as its cause
        raise RuntimeError("wrapped") from error
    except RuntimeError as wrapped:
        assert unavailable(wrapped) == reason


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(sqlite3.OperationalError("no such table: spacecraft"), id="no-such-table"),
        pytest.param(_PgError('column "x" does not exist', "42703"), id="undefined-column"),
        pytest.param(ValueError("a bug of ours"), id="a-bug"),
    ],
)
def test_faults_of_ours_are_not_the_database_not_answering(error: BaseException) -> None:
    assert unavailable(error) is None
