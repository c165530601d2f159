"""The GraphQL spec's validation, with graphql-core's introspection depth rule, without
introspection when it is turned off, and without "Did you mean" hints unless debugging.

Validation runs here, before either path executes, so both the compiled path and the resolvers
answer an invalid document the same way, and the limits that come later in the order of
precedence (`first`/`last`, cost) only ever see valid documents.

Checking that fields can merge is the one rule whose work can grow faster than the document:
a few thousand tokens of duplicated fields or fragments cost graphql-core's default budget
(500,000 units) seconds of CPU. Its budget is lowered to 20,000 units for the whole process
(strawberry's validation included): selecting every field of a detailed flight, 3,770 tokens,
uses under 2,000; a document over budget is refused in a fraction of a second.
"""

from __future__ import annotations

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    specified_rules,
    validate,
)
from graphql.validation import MaxIntrospectionDepthRule
from graphql.validation.rules import overlapping_fields_can_be_merged

from gateway.http.errors import MAX_ERRORS, Rejected, coded_error

overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = 20_000

ABORTED = "Validation aborted."
TOO_COMPLEX = (
    "the operation's fields overlap in too many ways to check that they merge (fields or "
    "fragments repeated many times); ask for each field once"
)


def validation_rules(*, introspection: bool) -> tuple[type[ASTValidationRule], ...]:
    rules: tuple[type[ASTValidationRule], ...] = tuple(specified_rules)
    if MaxIntrospectionDepthRule not in rules:  # graphql-core 3.3 has it among the spec's
        rules = (*rules, MaxIntrospectionDepthRule)
    if not introspection:
        rules = (*rules, NoSchemaIntrospectionCustomRule)
    return rules


def check_validation(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    *,
    suggestions: bool,
) -> Rejected | None:
    errors = validate(
        schema, document, rules, max_errors=MAX_ERRORS, hide_suggestions=not suggestions
    )
    if not errors:
        return None
    formatted = [coded_error(e, "GRAPHQL_VALIDATION_FAILED") for e in errors]
    for error in formatted:
        if error["message"] == ABORTED:
            error["message"] = TOO_COMPLEX
    return Rejected(errors=formatted, graphql=True)
