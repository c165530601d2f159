"""The size of each field's arguments, checked before anything runs.

A 1 MiB body can carry a filter of 20,000 `OR` branches or an `in` list of 150,000 ids. Each
becomes a condition of the statement, which is built and compiled on the worker's event loop:
seconds in which no other request of that worker is answered. So a field's arguments may hold
at most `MAX_INPUT_VALUES` values (each object, list item and scalar counts one), and no text
longer than `MAX_TEXT_LENGTH` characters (SQLite refuses a LIKE pattern over 50,000 bytes, and
no name LL2 holds comes near it); `search` has its own bounds (`db.read.search`).
The request's variables as a whole are measured before they are coerced, which alone takes a
second for 150,000 values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, GraphQLError, GraphQLField
from graphql.execution.values import VariableValues

from gateway.http.errors import Rejected
from gateway.limits.connections import arguments
from gateway.limits.refusal import refuse

MAX_INPUT_VALUES = 500
MAX_TEXT_LENGTH = 1_000


def _measure(value: Any, budget: int) -> tuple[int, int]:
    """How many values `value` holds (counting stops past `budget`), and its longest text."""
    count, longest = 0, 0
    stack = [value]
    while stack and count <= budget:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str):
            longest = max(longest, len(item))
    return count, longest


def input_errors(
    field: GraphQLField, node: FieldNode, variables: VariableValues, name: str
) -> Iterator[GraphQLError]:
    if not field.args:
        return
    values = arguments(field, node, variables)
    for argument, value in values.items():
        if value is None or isinstance(value, bool | int | float):
            continue
        count, longest = _measure(value, MAX_INPUT_VALUES)
        at = next((a for a in node.arguments or () if a.name.value == argument), node)
        if count > MAX_INPUT_VALUES:
            yield GraphQLError(
                f"`{argument}` of `{name}` holds more than {MAX_INPUT_VALUES} values, the most "
                "an argument takes; ask in several requests",
                nodes=[at],
                extensions={"code": "BAD_USER_INPUT"},
            )
        elif longest > MAX_TEXT_LENGTH and argument != "search":
            yield GraphQLError(
                f"`{argument}` of `{name}` holds a text of {longest} characters; an argument "
                f"takes texts of {MAX_TEXT_LENGTH} characters at most",
                nodes=[at],
                extensions={"code": "BAD_USER_INPUT"},
            )


MAX_VARIABLE_VALUES = 4 * MAX_INPUT_VALUES


def check_variables_size(variables: dict[str, Any] | None) -> Rejected | None:
    """Refuse variables too large before they are coerced (which takes a second for 150,000)."""
    count, _ = _measure(variables or {}, MAX_VARIABLE_VALUES)
    if count <= MAX_VARIABLE_VALUES:
        return None
    return refuse(
        "BAD_USER_INPUT",
        f"the variables hold more than {MAX_VARIABLE_VALUES} values, the most a request "
        "takes; ask in several requests",
    )
