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


async def _sync(args: argparse.Namespace) -> int:
    from db.sync import SilentReporter, SyncOptions, TerminalReporter, stale_records, sync

    try:
        options = SyncOptions(
            base_url=args.base_url,
            api_key=args.api_key or None,
            endpoints=tuple(args.only or ENDPOINTS),
            max_requests=args.max_requests,
            max_wait=args.max_wait,
        )
    except ValueError as e:
        print(f"sync: {e}", file=sys.stderr)
        return 2
    engine = create_engine(database_url())
    try:
        await migrate.prepare(engine)
        if args.report_stale:
            for staleness in await stale_records(engine, options.endpoints):
                print("\n".join(staleness.lines()))
            return 0
        reporter = SilentReporter() if args.quiet else TerminalReporter()
        result = await sync(engine, options, reporter=reporter)
    except migrate.SchemaBehind as e:
        print(f"sync failed: {e}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    if result.outcome.exit_status == 1:
        print(result.summary(), file=sys.stderr)
    elif not args.quiet:
        for warning in result.warnings():
            print(f"warning: {warning}", file=sys.stderr)
        print(result.summary())
    return result.outcome.exit_status


def _sync_command(args: argparse.Namespace) -> int:
    try:
        return _run(_sync(args))
    except KeyboardInterrupt:
        print("sync interrupted; the next run resumes at the first page not saved", file=sys.stderr)
        return 130


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _duration(text: str) -> float:
    from db.sync import parse_duration

    try:
        return parse_duration(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


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

    p = sub.add_parser(
        "sync",
        help="fetch LL2's spacecraft endpoints into the database, politely and resumably",
        description="Pages through LL2's spacecraft, spacecraft_configurations, "
        "spacecraft_configuration_families, agencies and spacecraft_flights, committing page by "
        "page; an interrupted run resumes at the first page not saved. Exit status: 0 done, "
        "75 stopped early (rate limit or --max-requests; run again later), 1 error.",
    )
    p.add_argument("--base-url", default=DEFAULT_BASE_URL, help="LL2's API root")
    p.add_argument(
        "--api-key",
        default=os.environ.get("LL2_API_KEY"),
        help="LL2 API key (default: $LL2_API_KEY), sent as 'Authorization: Token KEY'",
    )
    p.add_argument(
        "--only",
        action="append",
        choices=list(ENDPOINTS),
        metavar="ENDPOINT",
        help=f"sync only this endpoint (repeatable; one of {', '.join(ENDPOINTS)})",
    )
    p.add_argument(
        "--max-requests",
        type=_positive,
        metavar="N",
        help="make at most N requests to LL2's lists in this run, then stop with status 75",
    )
    p.add_argument(
        "--max-wait",
        type=_duration,
        default=3600.0,
        help="wait at most this long for LL2's allowance (1h, 30m, 90s; default 1h), "
        "else stop with status 75",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing but errors (for cron)")
    p.add_argument(
        "--report-stale",
        action="store_true",
        help="list records the last full pass of each endpoint did not see, and exit "
        "(no requests; nothing is ever deleted)",
    )
    p.set_defaults(handler=_sync_command)

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
    p.set_defaults(handler=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    sys.exit(handler(args))


if __name__ == "__main__":
    main()
