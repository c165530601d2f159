"""`spacecraft-gateway synth`: synthetic LL2 data for benchmarks and scale tests, as pages for
`ingest` (`--out DIR`) or written straight into DATABASE_URL's empty database (`--into`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gateway.commands.common import database_url, run


def _pages(args: argparse.Namespace) -> int:
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


async def _into(args: argparse.Namespace) -> int:
    from db import migrate
    from db.engine import create_engine
    from db.synth import SynthError
    from db.synth.load import NotEmpty, load_world

    def say(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    engine = create_engine(database_url())
    try:
        loaded = await load_world(
            engine,
            spacecraft=args.spacecraft,
            flights=args.flights,
            seed=args.seed,
            progress=say,
        )
    except (SynthError, NotEmpty, migrate.SchemaMismatch) as e:
        print(f"synth failed, nothing was changed: {e}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    print(loaded.summary())
    return 0


def _synth(args: argparse.Namespace) -> int:
    return run(_into(args)) if args.into else _pages(args)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "synth",
        help="synthetic LL2 data for benchmarks and scale tests: pages for `ingest` (--out), "
        "or straight into DATABASE_URL's empty database (--into)",
    )
    p.add_argument("--spacecraft", type=int, required=True, help="number of spacecraft")
    p.add_argument("--flights", type=int, required=True, help="number of spacecraft flights")
    p.add_argument("--seed", type=int, default=0, help="same seed, same data")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="a new or empty directory for the pages")
    where.add_argument(
        "--into",
        action="store_true",
        help="write into DATABASE_URL's database, which must hold no data (one transaction; "
        "worlds above 100,000 spacecraft or flights are built in segments)",
    )
    p.add_argument("--quiet", action="store_true", help="with --into: no progress on stderr")
    p.set_defaults(handler=_synth, failed="synth failed, nothing was changed")
