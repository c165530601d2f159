"""The caching package's parts on their own: the bounded store, keys, tags, documents."""

from __future__ import annotations

import hashlib
import sys
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.caching.conditional import matching_tag
from gateway.caching.documents import parse_document, validation_errors
from gateway.caching.keys import AnswerKey, document_hash, request_digest
from gateway.caching.results import ResultCache
from gateway.caching.store import ENTRY_OVERHEAD, BoundedStore
from gateway.schema import schema
from tests.support.graphql import execute


def cost(value: bytes) -> int:
    return sys.getsizeof(value) + ENTRY_OVERHEAD


def test_the_store_evicts_the_least_recently_used_beyond_its_entries() -> None:
    store: BoundedStore[bytes] = BoundedStore(max_entries=2, max_bytes=10_000)
    store.put("a", b"1")
    store.put("b", b"2")
    assert store.get("a") == b"1"  # now b is the oldest
    store.put("c", b"3")
    assert ("a" in store, "b" in store, "c" in store) == (True, False, True)
    assert store.bytes == cost(b"1") + cost(b"3")


def test_the_store_evicts_until_its_bytes_fit() -> None:
    value = b"x" * 100
    store: BoundedStore[bytes] = BoundedStore(max_entries=100, max_bytes=2 * cost(value))
    for key in "abc":
        store.put(key, value)
    assert (len(store), "a" in store, store.bytes) == (2, False, 2 * cost(value))
    assert store.put("huge", b"x" * 10_000) is False  # larger than the whole budget: not kept
    assert (len(store), "huge" in store) == (2, False)
    store.put("b", b"y")  # replacing counts the new size only
    assert store.bytes == cost(value) + cost(b"y")


def test_a_store_needs_room() -> None:
    with pytest.raises(ValueError, match="max_entries=0, max_bytes=5"):
        BoundedStore(max_entries=0, max_bytes=5)


def test_a_newer_version_drops_older_answers_and_older_ones_are_not_kept() -> None:
    cache = ResultCache(max_entries=10, max_bytes=100_000)
    digest = request_digest("{ a }", None, None)
    cache.put(AnswerKey(digest, 1), b"old")
    assert cache.get(AnswerKey(digest, 1)) == b"old"
    assert cache.get(AnswerKey(digest, 2)) is None  # an import happened
    assert len(cache.store) == 0
    cache.put(AnswerKey(digest, 1), b"from an older snapshot")  # a request in flight across it
    assert len(cache.store) == 0
    cache.put(AnswerKey(digest, 2), b"new")
    assert (cache.get(AnswerKey(digest, 2)), cache.hits, cache.misses) == (b"new", 2, 1)


def test_the_digest_covers_what_decides_the_answer() -> None:
    base = request_digest("query Q { a }", "Q", {"x": 1, "y": [1, {"b": 2, "a": 1}]})
    assert base == request_digest("query Q { a }", "Q", {"y": [1, {"a": 1, "b": 2}], "x": 1})
    assert request_digest("{ a }", None, None) == request_digest("{ a }", None, {})
    others = {
        request_digest("query Q { a } ", "Q", {"x": 1, "y": [1, {"b": 2, "a": 1}]}),
        request_digest("query Q { a }", None, {"x": 1, "y": [1, {"b": 2, "a": 1}]}),
        request_digest("query Q { a }", "Q", {"x": 2, "y": [1, {"b": 2, "a": 1}]}),
    }
    assert base not in others and len(others) == 3
    assert document_hash("{ a }") == hashlib.sha256(b"{ a }").hexdigest()


@pytest.mark.parametrize(
    ("header", "found"),
    [
        pytest.param('"7-abc"', '"7-abc"', id="strong"),
        pytest.param('W/"7-abc"', 'W/"7-abc"', id="weak"),
        pytest.param('"1-x", W/"7-abc"', 'W/"7-abc"', id="list"),
        pytest.param('"1-x" ,, "7-abc" ,', '"7-abc"', id="loose-commas"),
        pytest.param("*", None, id="star"),
        pytest.param('"7-ab"', None, id="other"),
        pytest.param("7-abc", None, id="unquoted"),
        pytest.param(None, None, id="absent"),
    ],
)
def test_if_none_match_compares_weakly(header: str | None, found: str | None) -> None:
    assert matching_tag(header, '"7-abc"') == found


async def test_both_paths_share_parsed_and_validated_documents(reader: AsyncEngine) -> None:
    query = "{ spacecraft(ll2Id: 467) { name } __typename }"
    document = parse_document(query)
    assert parse_document(query) is document
    assert validation_errors(schema, query) == []
    parsed, validated = parse_document.cache_info(), _validation_info()
    result = await execute(reader, query)  # strawberry's own path, through its extensions
    assert result.errors is None and result.data == {
        "spacecraft": {"name": "Shenzhou 13"},
        "__typename": "Query",
    }
    assert parse_document.cache_info().hits == parsed.hits + 1
    assert _validation_info().hits == validated.hits + 1


async def test_validation_errors_are_kept_and_reported_by_strawberry(reader: AsyncEngine) -> None:
    query = "{ spacecraft(ll2Id: 467) { nope } }"
    suggested = "Cannot query field 'nope' on type 'Spacecraft'. Did you mean 'name'?"
    (error,) = validation_errors(schema, query)
    assert error.message == suggested
    # The schema answers without suggestions (strawberry cuts them from the error in place) ...
    result = await execute(reader, query)
    assert [e.message for e in result.errors or []] == [suggested.split(" Did you mean")[0]]
    # ... from a copy: the kept validation is as graphql-core wrote it.
    (again,) = validation_errors(schema, query)
    assert again.message == suggested


async def test_a_syntax_error_is_reported_as_strawberry_reports_it(reader: AsyncEngine) -> None:
    result = await execute(reader, "{ spacecraft(")
    assert [e.message for e in result.errors or []] == ["Syntax Error: Expected Name, found <EOF>."]


def _validation_info() -> Any:
    from gateway.caching.documents import _validation

    return _validation.cache_info()
