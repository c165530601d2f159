"""Refusing a request: the GraphQL errors it gets and the status code, per media type.

Errors are formatted as the GraphQL spec says, with a machine-readable `extensions.code`
(`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, `BAD_USER_INPUT`, `BAD_REQUEST`, ...) unless
they carry one already.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

from gateway.http.media import JSON

# No answer carries more errors than this, whatever the path (parse, validation, variables,
# fields): the last one says how many more there were.
MAX_ERRORS = 20


def bounded(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first errors, and one saying how many more were left out, `MAX_ERRORS` in all."""
    if len(errors) <= MAX_ERRORS:
        return errors
    left_out = len(errors) - MAX_ERRORS + 1
    summary = {
        "message": f"{left_out} more errors are not shown",
        "extensions": {"code": "TOO_MANY_ERRORS"},
    }
    return [*errors[: MAX_ERRORS - 1], summary]


class Rejected(Exception):
    """The request is answered with errors and no `data`, before or instead of execution.

    `status` is the answer under application/graphql-response+json. A `graphql` rejection is a
    GraphQL request error in a well-formed HTTP request (a parse, validation or variable error),
    which application/json answers with 200 as the specification asks. `extensions` go to the
    response's top-level `extensions` (a refused operation's cost).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int = 400,
        code: str = "BAD_REQUEST",
        graphql: bool = False,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.errors = bounded(errors or [{"message": message, "extensions": {"code": code}}])
        self.status = status
        self.graphql = graphql
        self.headers = dict(headers or {})
        self.extensions = extensions

    @property
    def code(self) -> str:
        """The first error's `extensions.code`: what the refusal is, in one word."""
        extensions = self.errors[0].get("extensions") if self.errors else None
        code = extensions.get("code") if isinstance(extensions, dict) else None
        return str(code) if code else "BAD_REQUEST"

    def status_for(self, media: str) -> int:
        return 200 if self.graphql and media == JSON else self.status


def format_error(error: GraphQLError) -> dict[str, Any]:
    return {**error.formatted}


def coded_error(error: GraphQLError, code: str) -> dict[str, Any]:
    """The error as the spec formats it, with a machine-readable code unless it has one."""
    formatted = format_error(error)
    formatted["extensions"] = {"code": code, **(formatted.get("extensions") or {})}
    return formatted
