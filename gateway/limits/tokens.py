"""The number of lexical tokens in the document, counted before it is parsed.

Parsing costs time and memory in proportion to the tokens, so a document over the limit is
refused after reading at most one token more than the limit, never parsed. Comments are not
tokens (the document's size bounds them).
"""

from __future__ import annotations

from graphql import GraphQLError, Lexer, Source, TokenKind

from gateway.http.errors import Rejected
from gateway.limits.refusal import refuse


def count_tokens(query: str, stop_after: int) -> int:
    """Tokens in `query`, counting no further than `stop_after + 1`.

    A lexical error ends the count: the parser reports it (with its location) later.
    """
    lexer = Lexer(Source(query))
    count = 0
    try:
        while count <= stop_after:
            if lexer.advance().kind is TokenKind.EOF:
                break
            count += 1
    except GraphQLError:
        pass
    return count


def check_tokens(query: str, limit: int) -> Rejected | None:
    if count_tokens(query, limit) <= limit:
        return None
    return refuse(
        "MAX_TOKENS_EXCEEDED",
        f"the GraphQL document has more than {limit} tokens; ask for fewer fields in one operation",
    )
