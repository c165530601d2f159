"""Edges between objects, resolved through the request's loaders (rows in, rows out)."""

from __future__ import annotations

from typing import Any

from db.read.edges import Edge
from db.read.pages import PageQuery
from db.spec import Backref, Many, Ref
from gateway.loaders import ROOT, Loaders
from gateway.resolvers.connections import Page, assemble

Row = dict[str, Any]


async def ref_row(loaders: Loaders, spec: Ref, target_id: Any) -> Row | None:
    if target_id is None:
        return None
    row: Row | None = await loaders.row(spec.target).load(target_id)
    return row


async def many_rows(loaders: Loaders, entity: str, spec: Many, owner: Any) -> list[Row]:
    rows: list[Row] = await loaders.linked(entity, spec.key).load(owner)
    return rows


async def backref_rows(loaders: Loaders, entity: str, spec: Backref, owner: Any) -> list[Row]:
    rows: list[Row] = await loaders.backref(entity, spec.key).load(owner)
    return rows


async def page(loaders: Loaders, edge: Edge | None, query: PageQuery, parent: Any) -> Page:
    fetched: list[Row] = await loaders.page(edge, query).load(ROOT if edge is None else parent)
    return assemble(query, fetched)


async def count(loaders: Loaders, edge: Edge | None, query: PageQuery, parent: Any) -> int:
    total: int = await loaders.count(edge, query).load(ROOT if edge is None else parent)
    return total
