"""The `spacecraft-gateway` command; each subcommand lives in `gateway.commands`.

Every subcommand reads DATABASE_URL (default: an SQLite file under ./var/).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Sequence

from db.engine import DEFAULT_DATABASE_URL
from gateway.commands import export, ingest, migrate, serve, sync, synth

COMMANDS = (ingest, sync, synth, migrate, export, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spacecraft-gateway",
        description="A GraphQL gateway over LL2's spacecraft data. DATABASE_URL selects the "
        f"database (default {DEFAULT_DATABASE_URL}).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def obey_interrupts() -> None:
    """Let Ctrl-C (SIGINT) stop every command, even one started with SIGINT ignored.

    A shell without job control starts `command &` with SIGINT ignored, and Python keeps it
    so: asyncio then installs no handler of its own and a `kill -INT` does nothing at all.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: Sequence[str] | None = None) -> None:
    obey_interrupts()
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    sys.exit(handler(args))


if __name__ == "__main__":
    main()
