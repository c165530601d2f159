"""`spacecraft-gateway synth`: synthetic LL2 pages for benchmarks and scale tests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _synth(args: argparse.Namespace) -> int:
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


def register(sub: Any) -> None:
    p = sub.add_parser(
        "synth", help="write synthetic LL2 pages for benchmarks and scale tests (see `ingest`)"
    )
    p.add_argument("--spacecraft", type=int, required=True, help="number of spacecraft")
    p.add_argument("--flights", type=int, required=True, help="number of spacecraft flights")
    p.add_argument("--seed", type=int, default=0, help="same seed, byte-identical pages")
    p.add_argument("--out", required=True, help="a new or empty directory for the pages")
    p.set_defaults(handler=_synth)
