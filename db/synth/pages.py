"""Writing a synthetic graph as LL2 list pages, the JSON `ingest` reads.

Each listing is cut into pages of 100 (LL2's largest) with LL2's absolute `next`/`previous` links,
whose query strings are ordered as LL2 (Django REST framework) orders them and which drop
`offset` on the way back to the first page. Objects that many pages nest (agencies, images,
configurations) are rendered once and shared, which keeps writing 100,000 flights fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from db.graph import Graph
from db.render import DEFAULT_BASE_URL, Renderer

PAGE_SIZE = 100

# Objects of these kinds belong to one flight each, so caching their renderings would only
# cost memory.
_UNSHARED = frozenset(
    {"spacecraft_flight", "launch", "rocket", "mission", "landing", "docking_event"}
    | {"astronaut_flight"}
)


class SharingRenderer(Renderer):
    """A Renderer that renders each nested object once per shape and reuses the result.

    Only safe because synth never changes the graph once pages are being written, and the
    pages are serialised, never mutated.
    """

    def __init__(self, graph: Graph, *, base_url: str = DEFAULT_BASE_URL) -> None:
        super().__init__(graph, base_url=base_url)
        self._rendered: dict[tuple[str, Any, str | None], dict[str, Any]] = {}

    def _nested(self, entity_name: str, ident: Any, shape: str | None) -> dict[str, Any]:
        if entity_name in _UNSHARED:
            return super()._nested(entity_name, ident, shape)
        key = (entity_name, ident, shape)
        found = self._rendered.get(key)
        if found is None:
            found = self._rendered[key] = super()._nested(entity_name, ident, shape)
        return found


@dataclass(frozen=True)
class Listing:
    endpoint: str
    mode: str
    ids: list[Any]


@dataclass
class Written:
    """What a dump holds: files, objects per listing (`endpoint/mode`), and bytes."""

    files: list[Path] = field(default_factory=list)
    objects: dict[str, int] = field(default_factory=dict)
    size: int = 0

    def summary(self) -> str:
        listed = ", ".join(f"{n} {key}" for key, n in self.objects.items())
        return f"wrote {len(self.files)} files ({self.size / 1e6:.1f} MB): {listed}"


def page_url(base_url: str, endpoint: str, mode: str, offset: int) -> str:
    """LL2's link to the page at `offset`: query keys sorted, no `offset` for the first page."""
    query = f"limit={PAGE_SIZE}&mode={mode}" + (f"&offset={offset}" if offset > 0 else "")
    return f"{base_url}/{endpoint}/?{query}"


def write_listings(
    graph: Graph, listings: list[Listing], out: Path, *, base_url: str = DEFAULT_BASE_URL
) -> Written:
    renderer = SharingRenderer(graph, base_url=base_url)
    written = Written()
    for listing in listings:
        if not listing.ids:
            continue
        folder = out / listing.endpoint
        folder.mkdir(parents=True, exist_ok=True)
        count = len(listing.ids)
        for number, offset in enumerate(range(0, count, PAGE_SIZE)):
            page = renderer.page(
                listing.endpoint,
                listing.mode,
                listing.ids[offset : offset + PAGE_SIZE],
                count=count,
                next_url=page_url(base_url, listing.endpoint, listing.mode, offset + PAGE_SIZE)
                if offset + PAGE_SIZE < count
                else None,
                previous_url=page_url(base_url, listing.endpoint, listing.mode, offset - PAGE_SIZE)
                if offset > 0
                else None,
            )
            data = orjson.dumps(page)
            path = folder / f"{listing.mode}-{number:05d}.json"
            path.write_bytes(data)
            written.files.append(path)
            written.size += len(data)
        written.objects[f"{listing.endpoint}/{listing.mode}"] = count
    return written
