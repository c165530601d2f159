"""LL2 list pages on disk: a file per page, LL2's `next`/`previous` links, the same bytes each time.

Pages are named `page-00001.json` upwards inside a directory per endpoint, so reading a directory
in sorted path order (as `ingest` does) reads them in order. Links have the form LL2's pagination
writes (query parameters sorted, no `offset` on a link back to the first page), so a reader that
follows `next` from the first page walks the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson

from db.render import Renderer

PAGE_SIZE = 100


def page_link(base_url: str, endpoint: str, mode: str, *, offset: int, limit: int) -> str:
    """`{base}/spacecraft/?limit=100&mode=detailed&offset=200&ordering=id`, as LL2 links pages."""
    query: dict[str, Any] = {"limit": limit, "mode": mode, "ordering": "id"}
    if offset > 0:
        query["offset"] = offset
    return f"{base_url.rstrip('/')}/{endpoint}/?{urlencode(sorted(query.items()))}"


def encode(payload: Any) -> bytes:
    """Compact UTF-8 JSON with keys in the order given: equal payloads give equal bytes.

    Numbers are written in their shortest form that reads back as the same float (5.972168e24).
    """
    return orjson.dumps(payload, option=orjson.OPT_APPEND_NEWLINE)


def page_file(directory: Path, number: int, pages: int) -> Path:
    return directory / f"page-{number:0{max(5, len(str(pages)))}d}.json"


def write_pages(
    directory: Path,
    renderer: Renderer,
    endpoint: str,
    mode: str,
    ids: Sequence[Any],
    *,
    page_size: int = PAGE_SIZE,
) -> int:
    """Write the objects `ids` of `endpoint` in `mode` as LL2 list pages; the number of pages.

    Nothing is written for no ids: an empty page names no endpoint, so it could not be read back.
    """
    pages = -(-len(ids) // page_size)
    if pages:
        directory.mkdir(parents=True, exist_ok=True)

    def link(offset: int) -> str:
        return page_link(renderer.base_url, endpoint, mode, offset=offset, limit=page_size)

    for number in range(1, pages + 1):
        offset = (number - 1) * page_size
        page = renderer.page(
            endpoint,
            mode,
            list(ids[offset : offset + page_size]),
            count=len(ids),
            next_url=link(offset + page_size) if offset + page_size < len(ids) else None,
            previous_url=link(offset - page_size) if offset else None,
        )
        page_file(directory, number, pages).write_bytes(encode(page))
    return pages


def write_items(
    directory: Path, endpoint: str, items: Sequence[dict[str, Any]], *, page_size: int = PAGE_SIZE
) -> int:
    """Write ready-made objects of `endpoint` as pages without links; the number of pages."""
    pages = -(-len(items) // page_size)
    if pages:
        directory.mkdir(parents=True, exist_ok=True)
    for number in range(1, pages + 1):
        chunk = list(items[(number - 1) * page_size : number * page_size])
        page = {"count": len(items), "next": None, "previous": None, "results": chunk}
        page_file(directory, number, pages).write_bytes(encode(page))
    return pages
