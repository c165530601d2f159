"""From a checked request to an outcome: parse (cached, `gateway.caching.documents`), pick the
operation, execute.

Parse, validation and variable errors are GraphQL request errors (`Rejected(graphql=True)`), told
apart from field errors, which keep the data. Execution goes through strawberry's
`Schema.execute`, so the schema's extensions run as they would anywhere.

A field error raised on purpose (a `GraphQLError`, such as `BAD_USER_INPUT`) keeps its message;
any other exception in a resolver is a fault of ours: its error is masked
(`INTERNAL_SERVER_ERROR` with the request id) and it is logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType as StrawberryOperationType

from gateway.caching.documents import parse_document
from gateway.http.errors import Rejected, coded_error, format_error
from gateway.http.request import GraphQLRequest

log = logging.getLogger("gateway.http")


@dataclass(frozen=True)
class Operation:
    request: GraphQLRequest
    document: DocumentNode
    definition: OperationDefinitionNode

    @property
    def name(self) -> str | None:
        return self.definition.name.value if self.definition.name else None

    def root_fields(self) -> Iterator[str]:
        """The names of the fields the operation selects at its root, through fragments (each
        fragment once, so a cycle, which validation refuses later, ends)."""
        fragments = {
            d.name.value: d
            for d in self.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        seen: set[str] = set()

        def fields(selection_set: Any) -> Iterator[str]:
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    yield selection.name.value
                elif isinstance(selection, InlineFragmentNode):
                    yield from fields(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name not in seen and name in fragments:
                        seen.add(name)
                        yield from fields(fragments[name].selection_set)

        return fields(self.definition.selection_set)


@dataclass
class Outcome:
    """What an operation gave: `data` as Python, or (compiled path) already as JSON text."""

    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] | None = None
    data_json: str | None = None


def _operation_missing(name: str | None, document: DocumentNode) -> str:
    if name is not None:
        return f'Unknown operation named "{name}".'
    if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
        return "Must provide an operation."
    return "Must provide operation name if query contains multiple operations."


def prepare(request: GraphQLRequest) -> Operation:
    try:
        document = parse_document(request.query)
    except GraphQLError as e:
        raise Rejected(errors=[coded_error(e, "GRAPHQL_PARSE_FAILED")], graphql=True) from None
    definition = get_operation_ast(document, request.operation_name)
    if definition is None:
        message = _operation_missing(request.operation_name, document)
        raise Rejected(message, code="BAD_REQUEST", graphql=True)
    if request.method != "POST" and definition.operation is OperationType.MUTATION:
        raise Rejected(
            "mutations are not allowed over GET: send them with POST",
            status=405,
            code="METHOD_NOT_ALLOWED",
            headers={"Allow": "POST"},
        )
    return Operation(request, document, definition)


def _unexpected(errors: list[GraphQLError]) -> BaseException | None:
    """An exception that is a fault of ours rather than of the request, if any."""
    for error in errors:
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            return original
    return None


def internal_error(request_id: str, fault: BaseException | None, *, debug: bool) -> str:
    detail = f": {type(fault).__name__}: {fault}" if debug and fault is not None else ""
    return f"internal server error (request id {request_id}){detail}"


def field_error(error: GraphQLError, *, request_id: str, debug: bool = False) -> dict[str, Any]:
    """A field error as the response shows it: masked (and logged) when it is a fault of ours."""
    fault = error.original_error
    if fault is None or isinstance(fault, GraphQLError):
        return format_error(error)
    path = ".".join(str(p) for p in error.path or ())
    log.error(
        "request %s: field %s failed",
        request_id,
        path,
        exc_info=(type(fault), fault, fault.__traceback__),
        extra={"fields": {"request_id": request_id, "path": path}},
    )
    masked = format_error(error)
    masked["message"] = internal_error(request_id, fault, debug=debug)
    masked["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
    return masked


async def execute(
    operation: Operation,
    schema: strawberry.Schema,
    context: object,
    *,
    request_id: str = "-",
    debug: bool = False,
) -> Outcome:
    request = operation.request
    allowed = {StrawberryOperationType.QUERY}
    if request.method == "POST":
        allowed.add(StrawberryOperationType.MUTATION)
    try:
        result = await schema.execute(
            request.query,
            variable_values=request.variables,
            context_value=context,
            operation_name=request.operation_name,
            allowed_operation_types=allowed,
            operation_extensions=request.extensions,
        )
    except InvalidOperationTypeError as e:
        raise Rejected(e.as_http_error_reason(request.method), graphql=True) from None
    except CannotGetOperationTypeError as e:
        raise Rejected(e.as_http_error_reason(), graphql=True) from None
    errors = list(result.errors or [])
    if isinstance(result, PreExecutionError):
        unexpected = _unexpected(errors)
        if unexpected is not None:
            raise unexpected
        raise Rejected(
            errors=[coded_error(e, "GRAPHQL_VALIDATION_FAILED") for e in errors], graphql=True
        )
    if result.data is None and errors and all(e.path is None for e in errors):
        # graphql-core stops before executing anything only when variables fail to coerce.
        raise Rejected(errors=[coded_error(e, "BAD_USER_INPUT") for e in errors], graphql=True)
    return Outcome(
        result.data,
        [field_error(e, request_id=request_id, debug=debug) for e in errors],
        result.extensions or None,
    )
