"""Choosing what to send from `Accept` and `Accept-Encoding` (RFC 9110, section 12).

Both headers are lists of ranges with quality values (`text/html;q=0.9, */*;q=0.8`). An offer
takes the quality of the most specific range that matches it; among media types, ties go to the
range the client listed first, then to the order of our offers; among content codings, to the
order of our offers. Malformed entries are ignored, as browsers do.

Every request asks, and clients send few distinct headers, so the choices are remembered per
header (`functools.lru_cache`, a bounded number of them).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    value: str  # lower-cased: `text/html`, `*/*`, `gzip`, `*`
    q: float
    position: int


def _quality(params: list[str]) -> float | None:
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(raw.strip())
            except ValueError:
                return None
            return q if 0 <= q <= 1 else None
    return 1.0


def parse_ranges(header: str) -> list[Range]:
    ranges = []
    for position, entry in enumerate(header.split(",")):
        value, *params = (part.strip() for part in entry.split(";"))
        q = _quality(params)
        if value and q is not None:
            ranges.append(Range(value.lower(), q, position))
    return ranges


def _media_specificity(pattern: str, offer: str) -> int | None:
    """3 for an exact match, 2 for `type/*`, 1 for `*/*`, None when `pattern` misses `offer`."""
    if pattern == offer:
        return 3
    kind, _, sub = pattern.partition("/")
    if sub == "*" and kind == "*":
        return 1
    if sub == "*" and offer.startswith(kind + "/"):
        return 2
    return None


def _token_specificity(pattern: str, offer: str) -> int | None:
    if pattern == offer:
        return 2
    return 1 if pattern == "*" else None


def _choose(ranges: list[Range], offers: Sequence[str], media: bool) -> str | None:
    """Media types tie by the client's order; codings by ours, since browsers list gzip first
    but every one that accepts br handles it better."""
    match = _media_specificity if media else _token_specificity
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        found: tuple[int, Range] | None = None
        for r in ranges:
            specificity = match(r.value, offer)
            if specificity is not None and (found is None or specificity > found[0]):
                found = (specificity, r)
        if found is None or found[1].q == 0:
            continue
        specificity, r = found
        key = (r.q, specificity, -r.position if media else 0, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


@functools.lru_cache(maxsize=256)
def choose_media_type(accept: str | None, offers: tuple[str, ...]) -> str | None:
    """The offer the client prefers; the first offer when it sent no `Accept`; None if none fits."""
    if accept is None or not accept.strip():
        return offers[0]
    return _choose(parse_ranges(accept), offers, media=True)


@functools.lru_cache(maxsize=256)
def choose_encoding(accept_encoding: str | None, offers: tuple[str, ...]) -> str | None:
    """The content coding to use, or None for none (identity)."""
    if not accept_encoding:
        return None
    return _choose(parse_ranges(accept_encoding), offers, media=False)


@functools.lru_cache(maxsize=256)
def media_type(content_type: str) -> tuple[str, dict[str, str]]:
    """`application/json; charset=UTF-8` -> (`application/json`, {`charset`: `utf-8`}).

    The parameters are shared between callers: read them, never change them."""
    value, *params = (part.strip() for part in content_type.split(";"))
    parsed = {}
    for param in params:
        name, _, raw = param.partition("=")
        parsed[name.strip().lower()] = raw.strip().strip('"').lower()
    return value.lower(), parsed
