"""Copies that carry what the LL2 pages leave out: complete copies of rows, inside endpoint objects.

A complete copy gives every stored fact of one row under LL2's keys: its values, `{"id": ...}` for
each edge (hidden ones too, which `ingest` reads like any other), its lists and its `extra` keys.
`ingest` reads objects of the five endpoints only, so each complete copy is nested in partial
copies along real edges from an endpoint object
(`{"id": 358, "launch": {"id": "...", "pad": {"id": 32, "location": {<complete copy>}}}}`).
Partial copies only repeat what is stored, so they change nothing.

A row that no path of edges reaches from an endpoint object (an image no object shows any more)
is nested instead under an edge of a row that holds that kind of object, as a stand-in for the
real value. That row's copy in the main pages, read after the supplement, puts the real value
back: `ingest` merges every file of a run before writing, later copies winning, so the stand-in
never reaches the database.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from db.export.coverage import Gaps, Loss, Recorder
from db.ll2 import values
from db.spec import ENDPOINTS, ENTITIES, Backref, Field, Many, Ref, Scalar
from db.tables import EXTRA

Node = tuple[str, Any]

_ENDPOINT_OF = {entity: endpoint for endpoint, entity in ENDPOINTS.items()}


def complete_copy(recorder: Recorder, entity_name: str, ident: Any) -> dict[str, Any]:
    """Every stored fact of one row as LL2 JSON, with edges as bare `{"id": ...}` objects."""
    row = recorder.graph.rows[entity_name][ident]
    out: dict[str, Any] = {"id": ident}
    for f in ENTITIES[entity_name].fields:
        if isinstance(f, Scalar):
            out[f.key] = values.render(f.kind, row.get(f.column))
        elif isinstance(f, Ref):
            target = row.get(f.column)
            out[f.key] = None if target is None else {"id": target}
        else:
            out[f.key] = [{"id": t} for t in _targets(recorder, entity_name, ident, f)]
    out.update(row.get(EXTRA) or {})
    return out


def _targets(recorder: Recorder, entity_name: str, ident: Any, f: Many | Backref) -> list[Any]:
    if isinstance(f, Many):
        return list(recorder.graph.links.get((entity_name, f.key), {}).get(ident, []))
    return recorder.children(entity_name, f, ident)


def _edges(recorder: Recorder, node: Node) -> list[tuple[Field, Node]]:
    entity_name, ident = node
    row = recorder.graph.rows[entity_name][ident]
    out: list[tuple[Field, Node]] = []
    for f in ENTITIES[entity_name].fields:
        if isinstance(f, Ref):
            if row.get(f.column) is not None:
                out.append((f, (f.target, row[f.column])))
        elif isinstance(f, (Many, Backref)):
            out.extend((f, (f.target, t)) for t in _targets(recorder, entity_name, ident, f))
    return out


@dataclass(frozen=True)
class _Step:
    """How a route reaches a row: an edge of `owner`, or a stand-in value under it."""

    owner: Node
    field: Field
    stand_in: bool = False


class Supplement:
    """Plans the complete copies that `Gaps` asks for, each inside an endpoint object."""

    def __init__(self, recorder: Recorder, gaps: Gaps) -> None:
        self.recorder = recorder
        self.gaps = gaps
        self.items: dict[str, list[dict[str, Any]]] = {endpoint: [] for endpoint in ENDPOINTS}
        self.losses: list[Loss] = []
        self._route: dict[Node, _Step | None] = {}
        self._holders: dict[tuple[str, str], Any] = {}

    def build(self) -> Supplement:
        if not self.gaps.rows:
            return self
        graph = self.recorder.graph
        roots = [(e, i) for e in ENDPOINTS.values() for i in sorted(graph.rows.get(e, {}))]
        self._reach(roots, None)
        needed = [(e, i) for e in ENTITIES for i in sorted(self.gaps.incomplete.get(e, ()))]
        unreached = [node for node in needed if node not in self._route]
        if unreached:
            self._stand_in(unreached)
        for node in needed:
            if node in self._route:
                self._emit(node, complete_copy(self.recorder, *node))
            else:
                self.losses.append(
                    Loss(node[0], str(node[1]), "nothing that LL2's pages show can hold it")
                )
        return self

    def _reach(self, roots: list[Node], first: _Step | None) -> None:
        """Route every row reachable from `roots` (breadth first, so routes are short)."""
        queue: deque[Node] = deque()
        for root in roots:
            if root not in self._route:
                self._route[root] = first
                queue.append(root)
        while queue:
            node = queue.popleft()
            for f, target in _edges(self.recorder, node):
                if target not in self._route:
                    self._route[target] = _Step(node, f)
                    queue.append(target)

    def _stand_in(self, unreached: list[Node]) -> None:
        """Give unreachable rows a stand-in route: first those no row refers to, then the rest."""
        graph = self.recorder.graph
        referred = {
            target
            for entity_name, rows in graph.rows.items()
            for ident in rows
            for _, target in _edges(self.recorder, (entity_name, ident))
        }
        for roots_only in (True, False):
            for node in unreached:
                if node in self._route or (roots_only and node in referred):
                    continue
                holder = self._holder(node[0])
                if holder is not None:
                    self._reach([node], _Step(holder[0], holder[1], stand_in=True))

    def _emit(self, node: Node, copy: dict[str, Any]) -> None:
        """Nest `copy` (of `node`) in partial copies along its route, up to an endpoint object."""
        while (step := self._route[node]) is not None:
            owner, f = step.owner, step.field
            value: Any = copy
            if step.stand_in and isinstance(f, Many):
                value = [copy]
            elif not step.stand_in and isinstance(f, (Many, Backref)):
                value = [
                    copy if t == node[1] else {"id": t}
                    for t in _targets(self.recorder, owner[0], owner[1], f)
                ]
            copy = {"id": owner[1], f.key: value}
            node = owner
        entity_name, ident = node
        top = {"id": ident, "url": self.recorder.url_of(entity_name, ident)}
        self.items[_ENDPOINT_OF[entity_name]].append(top | copy)

    def _holder(self, entity_name: str) -> tuple[Node, Ref | Many] | None:
        """A row with an edge to `entity_name` that its copy in the main pages writes (and so
        puts back after a stand-in), the first in spec order and then by id."""
        for owner in ENTITIES.values():
            for f in owner.fields:
                if not (isinstance(f, (Ref, Many)) and f.target == entity_name):
                    continue
                if isinstance(f, Ref) and f.hidden:
                    continue
                key = (owner.name, f.key)
                if key not in self._holders:
                    self._holders[key] = next(
                        (
                            ident
                            for ident in sorted(self.recorder.graph.rows.get(owner.name, {}))
                            if f.key in (self.recorder.keys_written(owner.name, ident) or ())
                        ),
                        None,
                    )
                if self._holders[key] is not None:
                    return (owner.name, self._holders[key]), f
        return None
