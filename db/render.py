"""Stored rows -> LL2 JSON, in any of LL2's shapes (`SpacecraftNormal`, `AgencyMini`, ...).

The shapes come from LL2's OpenAPI description (db/ll2/shapes.json), so what we write has LL2's
keys in LL2's order. Keys LL2 added that the spec does not know (kept in `extra`) are written
back too, so an export read back by `ingest` gives the same database.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from db.graph import Graph
from db.ll2 import values
from db.ll2.shapes import Shape, Shapes, load
from db.spec import ENTITIES, Backref, Many, Ref, Scalar
from db.tables import EXTRA, POSITION

DEFAULT_BASE_URL = "https://ll.thespacedevs.com/2.3.0"


def mode_of(shape: str) -> str:
    if shape.endswith(("Mini", "List")):
        return "list"
    if "Detailed" in shape:
        return "detailed"
    return "normal"


class Renderer:
    def __init__(self, graph: Graph, *, base_url: str = DEFAULT_BASE_URL) -> None:
        self.graph = graph
        self.base_url = base_url.rstrip("/")
        self.shapes: Shapes = load()
        self._backrefs: dict[tuple[str, str], dict[Any, list[Any]]] = {}

    def render(self, entity_name: str, ident: Any, shape: Shape | str) -> dict[str, Any]:
        if isinstance(shape, str):
            shape = self.shapes.shapes[shape]
        entity = ENTITIES[entity_name]
        row = self.graph.rows[entity_name].get(ident)
        if row is None:
            raise KeyError(f"{entity_name} {ident} is not in the graph")
        out: dict[str, Any] = {}
        for sf in shape.fields:
            spec = entity.by_key.get(sf.key)
            if spec is None:
                out[sf.key] = self._meta(sf.key, entity_name, ident, shape)
            elif isinstance(spec, Scalar):
                out[sf.key] = values.render(spec.kind, row.get(spec.column))
            elif isinstance(spec, Ref):
                target = row.get(spec.column)
                out[sf.key] = (
                    None if target is None else self._nested(spec.target, target, sf.target)
                )
            elif isinstance(spec, Many):
                targets = self.graph.links.get((entity_name, spec.key), {}).get(ident, [])
                out[sf.key] = [self._nested(spec.target, t, sf.target) for t in targets]
            else:
                out[sf.key] = [
                    self._nested(spec.target, t, sf.target)
                    for t in self.children(entity_name, spec, ident)
                ]
        out.update(row.get(EXTRA) or {})
        return out

    def _nested(self, entity_name: str, ident: Any, shape: str | None) -> dict[str, Any]:
        assert shape is not None
        return self.render(entity_name, ident, shape)

    def _meta(self, key: str, entity_name: str, ident: Any, shape: Shape) -> Any:
        if key == "id":
            return ident
        if key == "response_mode":
            return mode_of(shape.name)
        if key == "url":
            return self.url_of(entity_name, ident)
        raise KeyError(f"shape {shape.name} has {key!r}, which {entity_name} does not store")

    def url_of(self, entity_name: str, ident: Any) -> str | None:
        """LL2's own link to an object, for kinds LL2 serves at an endpoint of their own."""
        endpoint = ENTITIES[entity_name].endpoint
        return f"{self.base_url}/{endpoint}/{ident}/" if endpoint else None

    def children(self, entity_name: str, spec: Backref, ident: Any) -> list[Any]:
        """The ids in the `spec` list of one object, in the order LL2 writes them."""
        return self._backref(entity_name, spec).get(ident, [])

    def _backref(self, owner: str, spec: Backref) -> dict[Any, list[Any]]:
        cache_key = (owner, spec.key)
        if cache_key not in self._backrefs:
            via = ENTITIES[spec.target].by_key[spec.via]
            index: dict[Any, list[Any]] = defaultdict(list)
            if isinstance(via, Ref):
                rows = self.graph.rows.get(spec.target, {})
                for child, row in rows.items():
                    if row.get(via.column) is not None:
                        index[row[via.column]].append(child)
                order = (lambda c: (rows[c].get(POSITION) or 0, c)) if spec.ordered else None
                for children in index.values():
                    children.sort(key=order)
            else:
                for child, owners in self.graph.links.get((spec.target, spec.via), {}).items():
                    for o in owners:
                        index[o].append(child)
                for children in index.values():
                    children.sort()
            self._backrefs[cache_key] = index
        return self._backrefs[cache_key]

    def page(
        self,
        endpoint: str,
        mode: str,
        ids: list[Any],
        *,
        count: int | None = None,
        next_url: str | None = None,
        previous_url: str | None = None,
    ) -> dict[str, Any]:
        """One LL2 list page of `endpoint` objects in `mode`."""
        from db.spec import ENDPOINTS

        shape = self.shapes.for_endpoint(endpoint, mode)
        entity = ENDPOINTS[endpoint]
        return {
            "count": len(ids) if count is None else count,
            "next": next_url,
            "previous": previous_url,
            "results": [self.render(entity, i, shape) for i in ids],
        }
