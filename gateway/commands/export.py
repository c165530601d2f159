"""`spacecraft-gateway export DIR` (the dataset as LL2 pages) and `export-schema` (the SDL)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from db import migrate
from db.engine import create_engine
from db.export import ExportError, export
from db.render import DEFAULT_BASE_URL
from gateway.commands.common import database_url, run


async def _export(args: argparse.Namespace) -> int:
    engine = create_engine(database_url(), read_only=True)
    try:
        result = await export(engine, args.directory, base_url=args.base_url)
    except (ExportError, migrate.SchemaMismatch) as e:
        print(f"export failed, nothing was written: {e}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    for warning in result.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
    return 0


def _export_schema(_: argparse.Namespace) -> int:
    from gateway.schema import sdl

    sys.stdout.write(sdl())
    return 0


def register(sub: Any) -> None:
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
    p.set_defaults(handler=lambda a: run(_export(a)), failed="export failed, nothing was written")

    p = sub.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    p.set_defaults(handler=_export_schema)
