"""The request's variables, coerced to the operation's types (the later limits need their
values); values that do not fit are refused as `BAD_USER_INPUT`, as execution would."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues, get_variable_values

from gateway.http.errors import MAX_ERRORS, Rejected, coded_error


def coerce_variables(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    *,
    suggestions: bool,
) -> VariableValues | Rejected:
    coerced = get_variable_values(
        schema,
        operation.variable_definitions or (),
        variables or {},
        max_errors=MAX_ERRORS,
        hide_suggestions=not suggestions,
    )
    if isinstance(coerced, list):
        return Rejected(errors=[coded_error(e, "BAD_USER_INPUT") for e in coerced], graphql=True)
    return coerced
