"""A limit's refusal: a GraphQL request error with a stable code, answered like a validation
error (200 under application/json; 400 and no `data` under application/graphql-response+json)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError, Node

from gateway.http.errors import Rejected


def refuse(
    code: str,
    message: str,
    *,
    nodes: Sequence[Node] = (),
    extensions: dict[str, Any] | None = None,
) -> Rejected:
    error = GraphQLError(message, nodes=list(nodes) or None, extensions={"code": code})
    return Rejected(errors=[dict(error.formatted)], graphql=True, extensions=extensions)
