"""The `spacecraft-gateway` command: ingest, synth, migrate, serve and friends.

Every subcommand reads DATABASE_URL (default: an SQLite file under ./var/).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from db import migrate
from db.engine import DEFAULT_DATABASE_URL, create_engine
from db.ingest import IngestError, ingest
from db.ingest.progress import Progress
from db.spec import ENDPOINTS


def database_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)


def _run(coro: Coroutine[Any, Any, int]) -> int:
    return asyncio.run(coro)


async def _ingest(args: argparse.Namespace) -> int:
    engine = create_engine(database_url())
    try:
        result = await ingest(
            engine, args.paths, endpoint=args.endpoint, progress=Progress(sys.stderr)
        )
    except IngestError as e:
        print(f"ingest failed, nothing was changed: {e}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    for warning in result.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
    return 0


def _synth(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.synth import SynthError, synth

    try:
        written = synth(
            Path(args.out), spacecraft=args.spacecraft, flights=args.flights, seed=args.seed
        )
    except SynthError as e:
        print(f"synth failed: {e}", file=sys.stderr)
        return 1
    print(written.summary())
    return 0


async def _migrate(_: argparse.Namespace) -> int:
    engine = create_engine(database_url())
    try:
        await migrate.upgrade(engine)
        print(f"database schema at revision {await migrate.current_revision(engine)}")
    finally:
        await engine.dispose()
    return 0


def _export_schema(_: argparse.Namespace) -> int:
    from gateway.schema import sdl

    sys.stdout.write(sdl())
    return 0


def _serve(args: argparse.Namespace) -> int:
    from gateway.serve import serve

    return serve(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spacecraft-gateway",
        description="A GraphQL gateway over LL2's spacecraft data. DATABASE_URL selects the "
        f"database (default {DEFAULT_DATABASE_URL}).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="import LL2 responses (files or directories), all or nothing")
    p.add_argument("paths", nargs="+", help="LL2 JSON or browsable-API text files, or directories")
    p.add_argument(
        "--endpoint",
        choices=sorted(ENDPOINTS),
        help="the endpoint the files came from, when they do not say",
    )
    p.set_defaults(handler=lambda a: _run(_ingest(a)))

    p = sub.add_parser(
        "synth", help="write synthetic LL2 pages for benchmarks and scale tests (see `ingest`)"
    )
    p.add_argument("--spacecraft", type=int, required=True, help="number of spacecraft")
    p.add_argument("--flights", type=int, required=True, help="number of spacecraft flights")
    p.add_argument("--seed", type=int, default=0, help="same seed, byte-identical pages")
    p.add_argument("--out", required=True, help="a new or empty directory for the pages")
    p.set_defaults(handler=_synth)

    p = sub.add_parser("migrate", help="bring the database schema to this version")
    p.set_defaults(handler=lambda a: _run(_migrate(a)))

    p = sub.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    p.set_defaults(handler=_export_schema)

    p = sub.add_parser("serve", help="serve the GraphQL API and its explorer")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--workers", type=int, default=None)
    p.set_defaults(handler=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    sys.exit(handler(args))


if __name__ == "__main__":
    main()
