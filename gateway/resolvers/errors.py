"""Errors a client caused, with a stable code in the response's `extensions`."""

from __future__ import annotations

from graphql import GraphQLError


class BadUserInput(GraphQLError):
    """An argument that cannot be served as given; the message says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})
