"""Reading LL2 responses from files: plain JSON, or the text of LL2's browsable API.

The browsable API's text (as saved from a browser) carries a few lines of help, the request line
(`GET /2.3.0/spacecraft/?...`), the status line and headers, then the JSON body. The request line
tells which endpoint answered; plain JSON says it through its links or, failing those, its keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from db.ingest.errors import IngestError
from db.spec import ENDPOINTS

_REQUEST_LINE = re.compile(r"^GET\s+(\S+)", re.MULTILINE)
_STATUS_LINE = re.compile(r"^HTTP (\d{3})\b.*$", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    """One LL2 response: where it came from, which endpoint answered, and its JSON."""

    name: str
    endpoint: str
    payload: Any


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and files under directories named, in sorted path order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            raise IngestError(str(path), "", "no such file or directory")
    return sorted(files, key=lambda p: str(p))


def endpoint_of_url(url: str) -> str | None:
    """`https://ll.thespacedevs.com/2.3.0/spacecraft/467/?x` -> `spacecraft`."""
    for segment in urlparse(url).path.split("/"):
        if segment in ENDPOINTS:
            return segment
    return None


def _endpoint_of_keys(obj: dict[str, Any]) -> str | None:
    keys = set(obj)
    if "spacecraft_config" in keys:
        return "spacecraft"
    if {"launch", "spacecraft"} <= keys:
        return "spacecraft_flights"
    if {"agency", "in_use"} <= keys or {"agency", "type"} <= keys:
        return "spacecraft_configurations"
    if "abbrev" in keys and "type" in keys:
        return "agencies"
    if "name" in keys and "url" not in keys:
        return "spacecraft_configuration_families"
    return None


def detect_endpoint(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    items = payload.get("results") if "results" in payload else [payload]
    for link in (payload.get("next"), payload.get("previous")):
        if isinstance(link, str) and (found := endpoint_of_url(link)):
            return found
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            if isinstance(item.get("url"), str) and (found := endpoint_of_url(item["url"])):
                return found
            if found := _endpoint_of_keys(item):
                return found
    return None


def _json_body(name: str, text: str) -> tuple[str, str | None]:
    """The JSON text of a file and the endpoint its request line names, if any."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return stripped, None
    status = _STATUS_LINE.search(text)
    if status is None:
        raise IngestError(
            name, "", "neither JSON nor LL2's browsable-API text (no HTTP status line)"
        )
    if status.group(1) != "200":
        raise IngestError(name, "", f"the saved response is an error: {status.group(0).strip()}")
    request = _REQUEST_LINE.search(text, 0, status.start())
    endpoint = endpoint_of_url(request.group(1)) if request else None
    body_start = text.find("\n{", status.end())
    if body_start < 0:
        raise IngestError(name, "", "no JSON object after the response headers")
    return text[body_start + 1 :], endpoint


def parse_text(name: str, text: str, endpoint: str | None = None) -> Document:
    body, named = _json_body(name, text)
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as e:
        raise IngestError(
            name, "", f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
        ) from None
    found = endpoint or named or detect_endpoint(payload)
    if found is None:
        raise IngestError(name, "", "cannot tell which LL2 endpoint this is; pass --endpoint")
    if found not in ENDPOINTS:
        raise IngestError(name, "", f"unknown endpoint {found!r}; known: {', '.join(ENDPOINTS)}")
    return Document(name=name, endpoint=found, payload=payload)


def read_documents(paths: Iterable[str | Path], endpoint: str | None = None) -> Iterator[Document]:
    for path in expand(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise IngestError(
                str(path), "", f"not UTF-8 text: {e.reason} at byte {e.start}"
            ) from None
        yield parse_text(str(path), text, endpoint)
