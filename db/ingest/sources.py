"""Reading LL2 responses from files: plain JSON, or the text of LL2's browsable API.

The browsable API's text (as saved from a browser) carries a few lines of help, the request line
(`GET /2.3.0/spacecraft/?...`), the status line and headers, then the JSON body. The request line
tells which endpoint answered; plain JSON says it through its links or, failing those, its keys.

A body is checked whole at once but decoded only at its top level (msgspec `Raw` values below),
so the importer decodes each nested object when it needs it, and never decodes again a copy it
has already read. JSON that msgspec does not take (`NaN`, lone surrogates) or that is invalid goes
the way of the standard library's `json`, whose results and error messages the importer keeps.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import msgspec

from db.ingest.errors import IngestError
from db.spec import ENDPOINTS

_REQUEST_LINE = re.compile(r"^GET\s+(\S+)", re.MULTILINE)
_STATUS_LINE = re.compile(r"^HTTP (\d{3})\b.*$", re.MULTILINE)

Tree = dict[str, Any]
_TREE = msgspec.json.Decoder(dict[str, msgspec.Raw])
_LIST = msgspec.json.Decoder(list[msgspec.Raw])
_UNSET: Any = object()


class _Page(msgspec.Struct, forbid_unknown_fields=True):
    """An LL2 list page with nothing else in it, read in one pass (anything else fails)."""

    results: list[msgspec.Raw]
    count: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    next: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    previous: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET


_PAGE = msgspec.json.Decoder(_Page)


def decode(node: Any) -> Any:
    """A `Raw` JSON value as Python objects, exactly as the standard library's json reads it."""
    if type(node) is not msgspec.Raw:
        return node
    try:
        return msgspec.json.decode(node)
    except msgspec.DecodeError:  # a number beyond float range: json makes it infinity
        return json.loads(bytes(node))


def tree_of(node: msgspec.Raw | bytes) -> Tree | None:
    """A `Raw` JSON object decoded one level deep; None when it is no object."""
    try:
        return _TREE.decode(node)
    except msgspec.DecodeError:
        return None


def list_of(node: msgspec.Raw) -> list[msgspec.Raw] | None:
    """A `Raw` JSON array decoded one level deep; None when it is no array."""
    try:
        return _LIST.decode(node)
    except msgspec.DecodeError:
        return None


class Document:
    """One LL2 response: where it came from, which endpoint answered, and its JSON.

    `payload` is the whole JSON as Python objects. Documents read from text also keep `tree`,
    the top level with its values still undecoded (`results` as a list of them), which the
    importer reads instead, and `body`, the JSON bytes that `payload` is decoded from if asked.
    """

    __slots__ = ("_payload", "body", "endpoint", "name", "tree")

    def __init__(
        self,
        name: str,
        endpoint: str,
        payload: Any = _UNSET,
        *,
        tree: Tree | None = None,
        body: bytes | None = None,
    ) -> None:
        if payload is _UNSET and (tree is None or body is None):
            raise TypeError("a Document needs its payload, or its tree and body")
        self.name = name
        self.endpoint = endpoint
        self.tree = tree
        self.body = body
        self._payload = payload

    @property
    def payload(self) -> Any:
        if self._payload is _UNSET:
            assert self.body is not None
            self._payload = json.loads(self.body)
        return self._payload

    def __repr__(self) -> str:
        return f"Document(name={self.name!r}, endpoint={self.endpoint!r})"


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
    return _detect(payload.get("next"), payload.get("previous"), items)


def _detect_tree(tree: Tree) -> str | None:
    if "results" not in tree:
        return _detect(decode(tree.get("next")), decode(tree.get("previous")), [tree])
    items = tree["results"]
    if type(items) is msgspec.Raw:
        items = list_of(items)
    return _detect(decode(tree.get("next")), decode(tree.get("previous")), items)


def _detect(next_link: Any, previous_link: Any, items: Any) -> str | None:
    for link in (next_link, previous_link):
        if isinstance(link, str) and (found := endpoint_of_url(link)):
            return found
    for node in items if isinstance(items, list) else []:
        item = node if isinstance(node, dict) else decode(node)
        if isinstance(item, dict):
            item = {key: decode(value) for key, value in item.items()}
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
        data = body.encode()
    except UnicodeEncodeError:  # lone surrogates: only json takes those
        data = b""
    tree = tree_of(data) if data else None
    if tree is not None:
        return _tree_document(name, tree, data, endpoint or named)
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as e:
        raise IngestError(
            name, "", f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
        ) from None
    return _checked(name, endpoint or named or detect_endpoint(payload), payload)


def _tree_document(name: str, tree: Tree, body: bytes, endpoint: str | None) -> Document:
    return _checked(name, endpoint or _detect_tree(tree), _UNSET, tree, body)


def _checked(
    name: str, found: str | None, payload: Any, tree: Tree | None = None, body: bytes | None = None
) -> Document:
    if found is None:
        raise IngestError(name, "", "cannot tell which LL2 endpoint this is; pass --endpoint")
    if found not in ENDPOINTS:
        raise IngestError(name, "", f"unknown endpoint {found!r}; known: {', '.join(ENDPOINTS)}")
    return Document(name, found, payload, tree=tree, body=body)


_JSON_START = re.compile(rb"[ \t\n\r]*\{")


def _read_json_bytes(path: Path, data: bytes, endpoint: str | None) -> Document | None:
    """A plain JSON object file from its bytes; None for anything else or anything invalid.

    Reading the text instead only adds work (decoding, newline translation, encoding again)
    that changes nothing in valid JSON; `read_documents` reads anything else as text.
    """
    if not _JSON_START.match(data):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        page = _PAGE.decode(data)
    except msgspec.DecodeError:
        tree = tree_of(data)
    else:
        tree = {key: getattr(page, key) for key in ("count", "next", "previous")}
        tree = {key: value for key, value in tree.items() if value is not msgspec.UNSET}
        tree["results"] = page.results
    return None if tree is None else _tree_document(str(path), tree, data, endpoint)


def _contents(files: list[Path]) -> Iterator[tuple[Path, bytes]]:
    """Each file and its bytes, in order; the next file is read in a thread meanwhile."""
    with ThreadPoolExecutor(max_workers=1) as reader:
        ahead = deque(reader.submit(f.read_bytes) for f in files[:2])
        for i, file in enumerate(files):
            data = ahead.popleft().result()
            if i + 2 < len(files):
                ahead.append(reader.submit(files[i + 2].read_bytes))
            yield file, data


def read_documents(paths: Iterable[str | Path], endpoint: str | None = None) -> Iterator[Document]:
    for path, data in _contents(expand(paths)):
        document = _read_json_bytes(path, data, endpoint)
        del data
        if document is not None:
            yield document
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise IngestError(
                str(path), "", f"not UTF-8 text: {e.reason} at byte {e.start}"
            ) from None
        yield parse_text(str(path), text, endpoint)
