"""The SQL statements a query runs, their query plans, and what is wrong with those plans.

    with captured(engine) as statements:
        await execute(engine, query)
    plans = [await explain(engine, s) for s in statements]
    assert problems(plans, big={"spacecraft"}) == []

A plan that scans a big table from end to end, or sorts an unbounded number of its rows, costs
what the table costs however small the page: unnoticeable on the bundled dataset, ruinous at a
million rows. Statements are explained on their own backend with the parameters they ran with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any


@dataclass
class Node:
    """One step of a plan: its text, its properties (PostgreSQL's `Index Cond: ...`), children."""

    text: str
    properties: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Plan:
    statement: Statement
    backend: str
    root: Node
    aliases: dict[str, str]

    def text(self) -> str:
        def lines(node: Node, depth: int) -> Iterator[str]:
            yield "  " * depth + node.text
            for p in node.properties:
                yield "  " * depth + "    " + p
            for child in node.children:
                yield from lines(child, depth + 1)

        return "\n".join(line for child in self.root.children for line in lines(child, 0))

    def table(self, node: Node) -> str | None:
        """The table a node reads, its alias resolved; None for nodes that read none."""
        if self.backend == "sqlite":
            found = re.match(r"(?:SCAN|SEARCH) (\w+)", node.text)
        else:
            found = re.search(r" on (\w+)", node.text)
        if found is None:
            return None
        return self.aliases.get(found.group(1), found.group(1))


@contextmanager
def captured(engine: AsyncEngine) -> Iterator[list[Statement]]:
    """The SELECT statements `engine` runs inside the block (not the dataset version's)."""
    statements: list[Statement] = []

    def before(
        _conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        text = sql.lstrip().upper()
        if text.startswith(("SELECT", "WITH")) and "DATASET_STATE" not in text:
            statements.append(Statement(sql, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before)


async def explain(engine: AsyncEngine, statement: Statement) -> Plan:
    backend = engine.dialect.name
    prefix = "EXPLAIN (COSTS OFF) " if backend == "postgresql" else "EXPLAIN QUERY PLAN "
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql(prefix + statement.sql, statement.parameters)
        rows: list[Any] = list(result.all())
    root = (
        _postgres_tree([str(r[0]) for r in rows]) if backend == "postgresql" else _sqlite_tree(rows)
    )
    aliases = dict(
        (alias, table) for table, alias in re.findall(r"\b(\w+) AS (\w+)\b", statement.sql)
    )
    return Plan(statement, backend, root, aliases)


def _sqlite_tree(rows: list[Any]) -> Node:
    nodes = {0: Node("")}
    for ident, parent, _, detail in rows:
        nodes[ident] = Node(str(detail))
        nodes[parent].children.append(nodes[ident])
    return nodes[0]


def _postgres_tree(lines: list[str]) -> Node:
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for line in lines:
        arrow = line.find("->")
        if arrow < 0 and stack[-1][1] is not root:
            stack[-1][1].properties.append(line.strip())
            continue
        depth = max(arrow, 0)
        node = Node(line[arrow + 2 :].strip() if arrow >= 0 else line.strip())
        while stack[-1][0] >= depth:
            stack.pop()
        stack[-1][1].children.append(node)
        stack.append((depth, node))
    return root


def _key_lookup(plan: Plan, node: Node) -> bool:
    """A read of rows by key values the statement names: a primary key, or a list of ids."""
    if plan.backend == "sqlite":
        return "(rowid=?)" in node.text
    return any("(id = " in p or "= ANY (" in p for p in node.properties)


def _reads(plan: Plan, node: Node, big: set[str]) -> list[str]:
    """The big tables a node reads other than by key lookups."""
    table = plan.table(node)
    return [table] if table in big and not _key_lookup(plan, node) else []


def problems(plans: Iterable[Plan], big: set[str]) -> list[str]:
    """What in these plans reads a whole big table: full scans, and sorts of unbounded reads.

    PostgreSQL says `Seq Scan on spacecraft` for a full scan, and `Sort` over its subtree, which
    is bounded when it holds a `Limit`. SQLite says `USE TEMP B-TREE FOR ORDER BY` for a sort of
    what the steps beside it read; its `SCAN t` alone reads in rowid (id) order, as `SCAN t
    USING INDEX i` reads in the index's, and a LIMIT stops either early.
    """
    found = []
    for number, plan in enumerate(plans, start=1):
        for node in plan.root.walk():
            table = plan.table(node)
            if node.text.startswith(("Seq Scan", "Parallel Seq Scan")) and table in big:
                found.append(f"statement {number}: full scan of {table}")
            sorted_reads: list[str] = []
            if plan.backend == "sqlite":
                for child in node.children:
                    if child.text.startswith("USE TEMP B-TREE FOR"):
                        for sibling in node.children:
                            sorted_reads += _reads(plan, sibling, big)
            elif re.match(r"(Incremental )?Sort\b", node.text):
                below = list(node.walk())[1:]
                if not any(n.text.startswith("Limit") for n in below):
                    for n in below:
                        sorted_reads += _reads(plan, n, big)
            for table in sorted(set(sorted_reads)):
                found.append(f"statement {number}: sort of {table} rows")
    return found


def seeks(plan: Plan, table: str) -> list[str]:
    """How the plan starts its read of `table` at a position: SQLite's `SEARCH t USING INDEX i
    (name>?)`, PostgreSQL's `Index Cond: (ROW(name, id) > ROW(...))`; empty when it walks from
    the start."""
    out = []
    for node in plan.root.walk():
        if plan.table(node) != table:
            continue
        if plan.backend == "sqlite":
            if re.match(r"SEARCH \w+ USING .*\((?:\w+=\? AND )*\w+[<>]\?\)", node.text):
                out.append(node.text)
        else:
            out += [
                p for p in node.properties if p.startswith("Index Cond:") and (">" in p or "<" in p)
            ]
    return out
