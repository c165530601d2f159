"""Reading: every SELECT the API runs, for both answering paths, built here from plain values.

What to read comes in as plain, frozen values (an entity, a filter as plain data, a search, an
ordering with the cursor's values, a page size: `pages.PageQuery`; for the compiled path a
selection plan, `selection`), and SQL goes out, every value a bind parameter:

    conditions.py   a filter -> its condition (operators, relations, AND/OR/NOT)
    search.py       LL2's search fields -> every word must match one
    ordering.py     orderings with their keyset segments; cursor values -> "rows after"
    pages.py        a connection's page -> its conditions, for the dialect
    segments.py     the first rows among keyset segments, each read from its own position
    rows.py         rows by id, LL2 lists, parent and child pages, counts (the resolvers' reads)
    answer.py       a selection plan -> one statement whose value is the whole answer as JSON
    dialects.py     what SQLite and PostgreSQL write differently in that JSON
    sites.py        where a request's values enter that statement, and what shapes it
    edges.py        reverse edges: how children hang off their parents

The dialect is named by the connection that runs a read (`rows`) or by the plan's backend
(`answer`), and chosen in `dialects.dialect_for` and `pages.conditions`; nothing here knows
GraphQL or imports the gateway.
"""
