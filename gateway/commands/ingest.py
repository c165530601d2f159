"""`spacecraft-gateway ingest PATH...`: LL2 responses into the database, all or nothing."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from db import migrate
from db.engine import create_engine
from db.ingest import IngestError, ingest
from db.ingest.progress import Progress
from db.spec import ENDPOINTS
from gateway.commands.common import database_url, run


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


def register(sub: Any) -> None:
    p = sub.add_parser("ingest", help="import LL2 responses (files or directories), all or nothing")
    p.add_argument("paths", nargs="+", help="LL2 JSON or browsable-API text files, or directories")
    p.add_argument(
        "--endpoint",
        choices=sorted(ENDPOINTS),
        help="the endpoint the files came from, when they do not say",
    )
    p.set_defaults(handler=lambda a: run(_ingest(a)), failed="ingest failed, nothing was changed")
