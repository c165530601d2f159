"""The `spacecraft-gateway` command: ingest, synth, migrate, export, serve and friends.

Every subcommand reads DATABASE_URL (default: an SQLite file under ./var/).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from db import migrate
from db.engine import DEFAULT_DATABASE_URL, create_engine
from db.export import ExportError, export
from db.ingest import IngestError, ingest
from db.ingest.progress import Progress
from db.render import DEFAULT_BASE_URL
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
    except (IngestError, migrate.SchemaMismatch) as e:
        print(f"ingest failed, nothing was changed: {e}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    for warning in result.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
    return 0


async def _migrate(_: argparse.Namespace) -> int:
    engine = create_engine(database_url())
    try:
        await migrate.upgrade(engine)
        print(f"database schema at revision {await migrate.current_revision(engine)}")
    except migrate.SchemaAhead as e:
        print(f"migrate failed, nothing was changed: {e}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    return 0


async def _export(args: argparse.Namespace) -> int:
    engine = create_engine(database_url(), read_only=True)
    try:
        result = await export(engine, args.directory, base_url=args.base_url)
    except (ExportError, migrate.SchemaMismatch) as e:
        print(f"export failed, nothing was written: {e}", file=sys.stderr)
        return 1
    except OperationalError as e:
        shown = make_url(database_url()).render_as_string(hide_password=True)
        print(f"export failed, nothing was written: cannot read {shown}: {e.orig}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    for warning in result.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
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

    p = sub.add_parser("migrate", help="bring the database schema to this version")
    p.set_defaults(handler=lambda a: _run(_migrate(a)))

    p = sub.add_parser(
        "export",
        help="write the whole dataset as LL2 pages that ingest reads back (a backup, or a move "
        "to another database)",
    )
    p.add_argument("directory", help="a new or empty directory")
    p.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        help=f"the API root in the pages' links (default {DEFAULT_BASE_URL})",
    )
    p.set_defaults(handler=lambda a: _run(_export(a)))

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
