"""`spacecraft-gateway serve`: the API and its explorer (see `gateway.serve`)."""

from __future__ import annotations

import argparse
from typing import Any


def _serve(args: argparse.Namespace) -> int:
    from gateway.serve import serve

    return serve(args)


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the GraphQL API and its explorer")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument(
        "--sync-every",
        default=None,
        metavar="INTERVAL",
        help="sync from LL2 at this interval (1h, 30m) in a process beside the server",
    )
    p.set_defaults(handler=_serve, failed="serve cannot start")
