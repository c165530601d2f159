"""What requests see of the data while it changes, and that they cannot change it: a request
reads one snapshot (the data before an import or after it, never a mix), and the connections
that answer requests refuse writes, on both backends."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import sqlalchemy as sa
from starlette.requests import Request

from tests.gateway.conftest import ServeApp
from tests.support.importer import ImportProcess

# Five counts, each its own statement on the resolvers' path, all in one request.
COUNTS = (
    "{ allSpacecraft { totalCount } allSpacecraftFlights { totalCount } allLaunches { totalCount }"
    " allAstronauts { totalCount } allAgencies { totalCount } }"
)
BEFORE = (31, 1, 1, 1, 8)
AFTER = (10_000, 3_000, 3_004, 111, 21)  # the synthetic dataset laid over the bundled one


def counts(client: httpx.Client) -> tuple[int, ...]:
    response = client.post("/graphql", json={"query": COUNTS})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    return tuple(connection["totalCount"] for connection in data.values())


def test_readers_during_an_import_see_the_old_data_or_the_new_never_a_mix(
    serve_app: ServeApp, bundled_url: str, synthetic_dump: Path
) -> None:
    server = serve_app(schema=None, database_url=bundled_url, compiled=False)
    seen: list[tuple[tuple[int, ...], bool]] = []
    writing = threading.Event()
    stop = threading.Event()

    def read() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not stop.is_set():
                seen.append((counts(client), writing.is_set()))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        importer = ImportProcess(bundled_url, synthetic_dump)
        importer.wait_for("writing")
        writing.set()
        importer.wait_for("done")
        assert importer.popen.wait(timeout=60) == 0
        with httpx.Client(base_url=server.url) as client:
            assert counts(client) == AFTER
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert {answer for answer, _ in seen} <= {BEFORE, AFTER}
    during = [answer for answer, while_writing in seen if while_writing]
    assert len(during) >= 10, "the readers did not read while the import wrote"
    assert BEFORE in during


def test_the_connections_that_answer_requests_refuse_writes(
    serve_app: ServeApp, bundled_url: str, backend: str
) -> None:
    """The app's own engine, as a request reaches it, cannot write; the data stays."""
    refusals: list[str] = []

    async def context(request: Request) -> object:
        async with request.state.engine.connect() as conn:
            try:
                await conn.execute(
                    sa.text("UPDATE spacecraft SET name = 'Hijacked' WHERE id = 467")
                )
                await conn.commit()
            except sa.exc.DBAPIError as e:
                refusals.append(str(e.orig))
        return {"request": request}

    server = serve_app(database_url=bundled_url, context_getter=context)
    assert (
        httpx.post(f"{server.url}/graphql", json={"query": "{ datasetVersion }"}).status_code == 200
    )
    expected = {
        "sqlite": "attempt to write a readonly database",
        "postgresql": "cannot execute UPDATE in a read-only transaction",
    }[backend]
    assert len(refusals) == 1 and expected in refusals[0], refusals
    real = serve_app(schema=None, database_url=bundled_url)
    answer = httpx.post(
        f"{real.url}/graphql", json={"query": "{ spacecraft(ll2Id: 467) { name } }"}
    )
    assert answer.json()["data"] == {"spacecraft": {"name": "Shenzhou 13"}}
