"""`spacecraft-gateway sync`: LL2's spacecraft endpoints into the database, politely."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from db import migrate
from db.engine import create_engine
from db.render import DEFAULT_BASE_URL
from db.spec import ENDPOINTS
from db.sync.durations import format_seconds, parse_duration
from db.sync.options import DEFAULT_MAX_TOTAL_WAIT
from gateway.commands.common import database_url, run

# The setting serve's background sync reads too (gateway.settings: sync_max_total_wait).
MAX_TOTAL_WAIT_VARIABLE = "GATEWAY_SYNC_MAX_TOTAL_WAIT"


async def _sync(args: argparse.Namespace) -> int:
    from db.sync import SilentReporter, SyncOptions, TerminalReporter, stale_records, sync

    try:
        max_total_wait = args.max_total_wait
        if max_total_wait is None:
            max_total_wait = _total_wait_setting()
        options = SyncOptions(
            base_url=args.base_url,
            api_key=args.api_key or None,
            endpoints=tuple(args.only or ENDPOINTS),
            max_requests=args.max_requests,
            max_wait=args.max_wait,
            max_total_wait=max_total_wait,
        )
    except ValueError as e:
        print(f"sync: {e}", file=sys.stderr)
        return 2
    engine = create_engine(database_url())
    try:
        if args.report_stale:
            await migrate.prepare(engine)  # `sync` itself prepares the database first
            for staleness in await stale_records(engine, options.endpoints):
                print("\n".join(staleness.lines()))
            return 0
        reporter = SilentReporter() if args.quiet else TerminalReporter()
        result = await sync(engine, options, reporter=reporter)
    except migrate.SchemaMismatch as e:
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


def _total_wait_setting() -> float:
    text = os.environ.get(MAX_TOTAL_WAIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_TOTAL_WAIT
    try:
        return parse_duration(text)
    except ValueError as e:
        raise ValueError(
            f"{MAX_TOTAL_WAIT_VARIABLE}: {e}; unset it for the default "
            f"{format_seconds(DEFAULT_MAX_TOTAL_WAIT)}"
        ) from None


def _sync_command(args: argparse.Namespace) -> int:
    try:
        return run(_sync(args))
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


def register(sub: Any) -> None:
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
    p.add_argument(
        "--max-total-wait",
        type=_duration,
        default=None,
        help="wait at most this long in all, over the whole run (default "
        f"${MAX_TOTAL_WAIT_VARIABLE}, else {format_seconds(DEFAULT_MAX_TOTAL_WAIT)}), "
        "else stop with status 75",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing but errors (for cron)")
    p.add_argument(
        "--report-stale",
        action="store_true",
        help="list records the last full pass of each endpoint did not see, and exit "
        "(no requests; nothing is ever deleted)",
    )
    p.set_defaults(handler=_sync_command, failed="sync failed, the pages saved before are kept")
