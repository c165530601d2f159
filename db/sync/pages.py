"""One LL2 list page, checked: its JSON, its records (by the importer's rules), its `next` link.

A page that fails any check raises `IngestError` naming the page's URL as the file, so the run
stops there with the reason, and a rerun starts at that same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from db.ingest import RecordSet
from db.ingest.errors import IngestError
from db.ingest.sources import endpoint_of_url, parse_text
from db.sync.options import PAGE_SIZE


@dataclass(frozen=True)
class Page:
    url: str
    endpoint: str
    records: RecordSet
    ids: list[int]
    next_url: str | None
    count: int | None


def first_url(base_url: str, endpoint: str) -> str:
    # Ordered by id: LL2 breaks ties in other orderings arbitrarily, so pages could overlap.
    query = urlencode({"mode": "detailed", "limit": PAGE_SIZE, "ordering": "id"})
    return f"{base_url}/{endpoint}/?{query}"


def _same_host(link: str, base_url: str) -> bool:
    """Same host and port, and the same scheme or an upgrade to https."""
    target, base = urlsplit(link), urlsplit(base_url)
    return target.netloc == base.netloc and target.scheme in {base.scheme, "https"}


def _next_url(url: str, endpoint: str, base_url: str, payload: dict[str, Any]) -> str | None:
    value = payload.get("next")
    if value is None:
        return None
    if not isinstance(value, str):
        raise IngestError(url, "next", f"expected a URL or null, got {value!r:.100}")
    if not _same_host(value, base_url) or endpoint_of_url(value) != endpoint:
        # The API key goes with every request: never follow a link off the host we were given.
        raise IngestError(
            url, "next", f"{value!r} is not a page of {base_url}/{endpoint}/; refusing to follow"
        )
    if value == url:
        raise IngestError(url, "next", "links back to this same page")
    return value


def parse_page(url: str, endpoint: str, base_url: str, text: str) -> Page:
    """Validate one page's body; CPU-bound, so the sync runs it in a worker thread."""
    doc = parse_text(url, text, endpoint)
    payload = doc.payload
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise IngestError(url, "", "expected an LL2 list page (count, next, previous, results)")
    next_url = _next_url(url, endpoint, base_url, payload)
    count = payload.get("count")
    records = RecordSet()
    records.add_document(doc)
    ids = [item["id"] for item in payload["results"]]
    return Page(
        url=url,
        endpoint=endpoint,
        records=records,
        ids=ids,
        next_url=next_url,
        count=count if isinstance(count, int) and not isinstance(count, bool) else None,
    )
