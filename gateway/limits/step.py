"""The limits as one step of the HTTP pipeline, around `operation.prepare`:

    limits.check_source(graphql_request)      size, tokens (and nesting the parser takes)
    operation = prepare(graphql_request)      parse (cached)
    cost = limits.check(operation, client=)   depth, aliases, directives (count, repeats),
                                              validation,
                                              variables (size, types), first/last,
                                              arguments' size, cost, rate
    async with limits.deadline(cost): ...     execution, cut after `execution_timeout`

When several limits apply, the first in that order gives the code. What depends on the document
alone (everything up to validation) is remembered per document, so a repeated query pays for
its checks once; variables, pages, cost and the rate are checked on every request.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import strawberry
from graphql import GraphQLError

from gateway.caching.documents import parse_document
from gateway.http.errors import Rejected
from gateway.http.operation import Operation
from gateway.http.request import GraphQLRequest
from gateway.limits.aliases import check_aliases
from gateway.limits.config import LimitConfig
from gateway.limits.cost import Cost, check_cost, cost
from gateway.limits.deadline import deadline
from gateway.limits.depth import check_depth, too_deep
from gateway.limits.directives import check_directives
from gateway.limits.inputs import check_variables_size
from gateway.limits.pages import check_pages
from gateway.limits.rate import RateLimiter
from gateway.limits.repeated import check_repeated_directives
from gateway.limits.size import check_size
from gateway.limits.tokens import check_tokens
from gateway.limits.validation import check_validation, validation_rules
from gateway.limits.variables import coerce_variables


class _Memo:
    """The last `size` answers of a check, by key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[object, Rejected | None] = OrderedDict()

    def get(self, key: object, check: Callable[[], Rejected | None]) -> Rejected | None:
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        found = self._entries[key] = check()
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return found


def _raise(refusal: Rejected | None) -> None:
    if refusal is not None:
        # A fresh exception each time: a remembered one would gather every raise's traceback.
        raise Rejected(
            errors=refusal.errors,
            status=refusal.status,
            graphql=refusal.graphql,
            headers=refusal.headers,
            extensions=refusal.extensions,
        )


def _key(*parts: str | None) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(b"\x00" if part is None else b"\x01" + part.encode("utf-8", "replace"))
        digest.update(b"\xff")
    return digest.digest()


class Limits:
    """The query limits for one schema; `Limits(schema)` holds the defaults."""

    def __init__(
        self,
        schema: strawberry.Schema,
        config: LimitConfig | None = None,
        *,
        memo_size: int = 1024,
    ) -> None:
        self.schema = schema
        self.config = config = config or LimitConfig()
        self.rules = validation_rules(introspection=config.introspection)
        self.rate = RateLimiter(config.rate_limit) if config.rate_limit else None
        self._sources = _Memo(memo_size)
        self._documents = _Memo(memo_size)

    # before parsing ------------------------------------------------------------------------

    def check_source(self, request: GraphQLRequest) -> None:
        """Refuse a document too large, of too many tokens, or nested past what parses."""
        _raise(self._sources.get(_key(request.query), lambda: self._source(request.query)))

    def _source(self, query: str) -> Rejected | None:
        config = self.config
        refusal = check_size(query, config.max_query_size) or check_tokens(query, config.max_tokens)
        if refusal is not None:
            return refusal
        try:
            parse_document(query)  # cached: `prepare` finds it parsed
        except GraphQLError as e:
            if "nested too deeply" in e.message:
                return too_deep(config.max_depth)
        return None

    # after parsing -------------------------------------------------------------------------

    def check(self, operation: Operation, *, client: str | None = None) -> Cost:
        """Refuse the operation if a limit says so; its cost otherwise.

        `client` (an address) is charged the cost when a rate limit is set.
        """
        request = operation.request
        key = _key(request.query, request.operation_name)
        _raise(self._documents.get(key, lambda: self._document(operation)))
        schema = self.schema._schema
        config = self.config
        _raise(check_variables_size(request.variables))
        variables = coerce_variables(
            schema, operation.definition, request.variables, suggestions=config.suggestions
        )
        if isinstance(variables, Rejected):
            raise variables
        document, definition = operation.document, operation.definition
        _raise(check_pages(schema, document, definition, variables, config.max_page_size))
        found = Cost(cost(schema, document, definition, variables), config.max_cost)
        _raise(check_cost(found))
        self.charge(found, client)
        return found

    def charge(self, cost: Cost, client: str | None) -> None:
        """Take `cost` from the client's budget when a rate limit is set; 429 when it is spent.

        `check` charges each request it passes; a request answered without it (a known one,
        from the caches) is charged the cost it was found to have.
        """
        if self.rate is not None and client is not None:
            _raise(self.rate.check(client, cost))

    def _document(self, operation: Operation) -> Rejected | None:
        config = self.config
        document, definition = operation.document, operation.definition
        return (
            check_depth(document, definition, config.max_depth)
            or check_aliases(document, definition, config.max_aliases)
            or check_directives(document, definition, config.max_directives)
            or check_repeated_directives(self.schema._schema, document)
            or check_validation(
                self.schema._schema, document, self.rules, suggestions=config.suggestions
            )
        )

    # execution -----------------------------------------------------------------------------

    def deadline(self, cost: Cost | None = None) -> AbstractAsyncContextManager[None]:
        """Cut what runs inside after `execution_timeout` seconds (504, `TIMEOUT`)."""
        return deadline(self.config.execution_timeout, cost)
