"""`spacecraft-gateway migrate`: bring the database schema to this version of the code."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from db import migrate
from db.engine import create_engine
from gateway.commands.common import database_url, run


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


def register(sub: Any) -> None:
    p = sub.add_parser("migrate", help="bring the database schema to this version")
    p.set_defaults(handler=lambda a: run(_migrate(a)), failed="migrate failed, nothing was changed")
