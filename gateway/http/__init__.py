"""GraphQL over HTTP, as the GraphQL-over-HTTP specification words it.

One request goes through these steps, each a function:

    request.read_request(request)      -> GraphQLRequest   method, content type, parameters
                                                           (a persisted query's hash -> its text)
    limits.check_source(graphql_request)                   size, tokens (`gateway.limits`)
    operation.prepare(graphql_request) -> Operation        parse (cached), the operation, GET rule
    limits.check(operation)            -> Cost             depth ... cost, rate
    caching.lookup(operation, ...)     -> Lookup           304 or a kept answer, before executing
    compiled.run / operation.execute   -> Outcome          within `limits.deadline(cost)`
    response.encode(outcome, media)    -> Response         status and body for the media type
    caching.keep(lookup, outcome, ...) -> Response         kept if it succeeded; caching headers

(`caching` is `gateway.caching.steps.Caching`; the compiled path runs before `execute`.)

`view.GraphQLView` runs them for `/graphql`; `errors.Rejected` stops a request at any step.

A request that goes wrong anywhere is answered as a GraphQL error (`{"errors": [...]}`) with the
status the specification asks for: `application/graphql-response+json` gets 4xx and no `data`
key on parse, validation and variable errors; `application/json` gets 200 for those, as its
older clients expect, and 4xx only when the HTTP request itself is malformed. Nothing answers
with a traceback.
"""

from __future__ import annotations

from gateway.http.errors import Rejected
from gateway.http.media import GRAPHQL_RESPONSE_JSON, JSON
from gateway.http.operation import Operation, Outcome, execute, prepare
from gateway.http.request import GraphQLRequest, read_request
from gateway.http.response import encode, rejection
from gateway.http.view import ContextGetter, Explorer, GraphQLView

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "JSON",
    "ContextGetter",
    "Explorer",
    "GraphQLRequest",
    "GraphQLView",
    "Operation",
    "Outcome",
    "Rejected",
    "encode",
    "execute",
    "prepare",
    "read_request",
    "rejection",
]
