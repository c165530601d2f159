"""The `spacecraft-gateway` command; each subcommand lives in `gateway.commands`.

Every subcommand reads DATABASE_URL (default: an SQLite file under ./var/).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence

from db.engine import DEFAULT_DATABASE_URL
from gateway.commands import export, ingest, migrate, serve, sync, synth
from gateway.commands.common import database_url
from gateway.failures import Status, explain

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


def _debug() -> bool:
    return os.environ.get("GATEWAY_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def run_command(args: argparse.Namespace) -> int:
    """The subcommand's exit status; a problem it met is told in one line (`failures`)."""
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        print(f"{args.command} interrupted", file=sys.stderr)
        return Status.INTERRUPTED
    except Exception as error:
        problem = explain(error, database_url())
        if problem is None:
            raise  # a bug of ours: the traceback is the report
        failed = getattr(args, "failed", f"{args.command} failed")
        print(f"{failed}: {problem}", file=sys.stderr)
        if _debug():
            traceback.print_exception(error)
        return problem.status


def main(argv: Sequence[str] | None = None) -> None:
    obey_interrupts()
    sys.exit(run_command(build_parser().parse_args(argv)))


if __name__ == "__main__":
    main()
