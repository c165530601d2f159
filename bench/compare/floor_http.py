"""The HTTP floor: a bare Starlette endpoint answering each benchmark body with the bytes the
gateway answered it with, served by uvicorn as `serve` runs the gateway (same options, same
number of workers). What is left between it and the gateway is GraphQL and the database.

    python -m bench.compare.floor_http PORT ANSWERS.json WORKERS

ANSWERS.json maps each POST body (text) to the answer (text).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.serve import uvicorn_options
from gateway.settings import Settings

ANSWERS_ENV = "COMPARE_FLOOR_ANSWERS"


def app_from_environment() -> Starlette:
    pairs = json.loads(Path(os.environ[ANSWERS_ENV]).read_text())
    answers = {body.encode(): answer.encode() for body, answer in pairs.items()}

    async def graphql(request: Request) -> Response:
        answer = answers.get(await request.body())
        if answer is None:
            return Response(b'{"errors":[{"message":"unknown body"}]}', status_code=404)
        return Response(answer, media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])


def main() -> None:
    port, answers, workers = sys.argv[1:]
    os.environ[ANSWERS_ENV] = answers
    options = {**uvicorn_options(Settings(access_log=False)), "lifespan": "off"}
    uvicorn.run(
        "bench.compare.floor_http:app_from_environment",
        factory=True,
        host="127.0.0.1",
        port=int(port),
        workers=int(workers),
        **options,
    )


if __name__ == "__main__":
    main()
