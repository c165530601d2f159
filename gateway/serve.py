"""Running the app under uvicorn (placeholder until the service issue lands: health only)."""

from __future__ import annotations

import argparse
import asyncio
import os

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from db.engine import DEFAULT_DATABASE_URL, create_engine
from db.ingest import load_bundled_if_empty


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def serve(args: argparse.Namespace) -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)

    async def prepare() -> None:
        engine = create_engine(url)
        await load_bundled_if_empty(engine)
        await engine.dispose()

    asyncio.run(prepare())
    app = Starlette(routes=[Route("/healthz", healthz)])
    uvicorn.run(app, host=args.host or "127.0.0.1", port=args.port or 8000)
    return 0
