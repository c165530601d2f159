"""A small schema for the HTTP tests, standing in for the real one so they test HTTP alone.

It has what the transport must carry: arguments and variables, an error-raising field, a field
slow enough to be in flight at SIGTERM, a large answer for compression, and a field that reads
the database through the request's read-only engine. For the execution deadline, two fields run
a statement that never ends on the request's database, as the real schema's resolvers and
loaders would (`RequestDatabase`): nothing like them is in the real schema. No mutations, as in
the real schema.
"""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from aiodataloader import DataLoader
from starlette.requests import Request
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import Info

from db.state import read_state
from gateway.loaders.database import RequestDatabase

NEVER_ENDS = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
    "postgresql": "SELECT pg_sleep(3600)",
}


async def _never_ends(db: RequestDatabase) -> int:
    async with db.connection() as conn:
        result = await conn.exec_driver_sql(NEVER_ENDS[conn.dialect.name])
        return int(result.scalar_one())


async def _on_request_database(info: Info, run: Any) -> int:
    db = RequestDatabase(info.context["request"].state.engine)
    try:
        return int(await run(db))
    finally:
        await db.close()


@strawberry.type(description="A spacecraft, as far as these tests need one.")
class Craft:
    ll2_id: int = strawberry.field(description="LL2's id.")
    name: str = strawberry.field(description="Its name.")


# Three spacecraft of the bundled dataset, so answers read like the real schema's.
CRAFTS = [
    Craft(ll2_id=467, name="Shenzhou 13"),
    Craft(ll2_id=465, name="Tianzhou-5"),
    Craft(ll2_id=484, name="Mercury No.6"),
]


@strawberry.type
class Query:
    @strawberry.field(description="One craft by LL2's id, or null.")
    def craft(self, ll2_id: int) -> Craft | None:
        return next((c for c in CRAFTS if c.ll2_id == ll2_id), None)

    @strawberry.field(description="The first `first` crafts.")
    def crafts(self, first: int = 10) -> list[Craft]:
        return CRAFTS[:first]

    @strawberry.field(description="`size` characters, to test compression.")
    def padding(self, size: int) -> str:
        return "spacecraft " * (size // 11) + "x" * (size % 11)

    @strawberry.field(description="Always fails, with a field error.")
    def failing(self) -> str | None:
        raise ValueError("this field always fails")

    @strawberry.field(description="Answers after `seconds`.")
    async def slow(self, seconds: float) -> float:
        await asyncio.sleep(seconds)
        return seconds

    @strawberry.field(description="Never answers: its statement runs until it is stopped.")
    async def stuck_statement(self, info: Info) -> int:
        return await _on_request_database(info, _never_ends)

    @strawberry.field(description="The same, from a loader's batch (a task of its own).")
    async def stuck_in_loader(self, info: Info) -> int:
        async def load(db: RequestDatabase) -> int:
            async def batch(keys: list[int]) -> list[int]:
                return [await _never_ends(db) for _ in keys]

            loader: DataLoader[int, int] = DataLoader(batch_load_fn=batch)
            return int(await loader.load(1))

        return await _on_request_database(info, load)

    @strawberry.field(description="The dataset's version, read through the request's engine.")
    async def dataset_version(self, info: Info) -> int | None:
        request: Request = info.context["request"]
        async with request.state.engine.connect() as conn:
            state = await read_state(conn)
        return state.version if state else None


schema = strawberry.Schema(query=Query)

# The same with strawberry's parse and validation caches, for the HTTP benchmark's comparison.
cached_schema = strawberry.Schema(
    query=Query,
    extensions=[lambda: ParserCache(maxsize=1024), lambda: ValidationCache(maxsize=1024)],
)
