"""What a set of LL2 pages gives back of each stored row, and what it leaves out.

`Recorder` is a Renderer that notes every row it writes and the shapes it writes it in. From those
notes `find_gaps` works out which rows `ingest` could not rebuild from the pages alone:

- rows written nowhere: nothing the pages show refers to them any more (an image a spacecraft
  used before LL2 changed it);
- rows written only in shapes that lack one of their stored fields or lists (a celestial body whose
  detailed counters came with a pad that no launch uses any more, now shown only in an orbit);
- hidden edges (a variant's image, a docking event's chaser) that no written owner lists;
- positions in ordered lists that reading the list back would renumber (a docking event left over
  from an older copy of its flight shares its place with a newer one). Nothing in LL2 JSON can
  carry a position but the order of a list, so these are losses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from db.graph import Graph
from db.ll2.shapes import Shape
from db.render import DEFAULT_BASE_URL, Renderer
from db.spec import ENTITIES, Backref, Entity, Many, Ref, Scalar
from db.tables import POSITION


class Recorder(Renderer):
    """Renders like `Renderer`, and remembers which shapes each row was written in.

    A row is rendered once per shape and the result reused (the same pad, agency or image appears
    in thousands of flights), so the renderer's output must not be changed by its callers.
    """

    CACHE_SIZE = 200_000

    def __init__(self, graph: Graph, *, base_url: str = DEFAULT_BASE_URL) -> None:
        super().__init__(graph, base_url=base_url)
        self._bit = {name: 1 << i for i, name in enumerate(self.shapes.shapes)}
        self._written: dict[str, dict[Any, int]] = defaultdict(dict)
        self._keys: dict[tuple[str, int], frozenset[str]] = {}
        self._cache: dict[tuple[str, Any, str], dict[str, Any]] = {}

    def render(self, entity_name: str, ident: Any, shape: Shape | str) -> dict[str, Any]:
        name = shape if isinstance(shape, str) else shape.name
        key = (entity_name, ident, name)
        out = self._cache.get(key)
        if out is None:
            written = self._written[entity_name]
            written[ident] = written.get(ident, 0) | self._bit[name]
            out = super().render(entity_name, ident, shape)
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = out
        return out

    def keys_written(self, entity_name: str, ident: Any) -> frozenset[str] | None:
        """Every key some copy of the row carried; None when the row was written nowhere."""
        mask = self._written[entity_name].get(ident)
        if mask is None:
            return None
        cached = self._keys.get((entity_name, mask))
        if cached is None:
            cached = frozenset(
                f.key
                for name, bit in self._bit.items()
                if mask & bit
                for f in self.shapes.shapes[name].fields
            )
            self._keys[(entity_name, mask)] = cached
        return cached


@dataclass(frozen=True, order=True)
class Loss:
    """A stored fact that no LL2 JSON can give back; the export reports it."""

    entity: str
    ident: str
    what: str

    def __str__(self) -> str:
        return f"{self.entity} {self.ident}: {self.what}"


@dataclass
class Gaps:
    """Rows that need a complete copy beside the pages, and facts that cannot come back."""

    incomplete: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    losses: list[Loss] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(ids) for ids in self.incomplete.values())


def _fully_written(recorder: Recorder, entity: Entity, ident: Any, row: dict[str, Any]) -> bool:
    keys = recorder.keys_written(entity.name, ident)
    if keys is None:
        return False
    links = recorder.graph.links
    for f in entity.fields:
        if f.key in keys:
            continue
        if isinstance(f, Scalar) or (isinstance(f, Ref) and not f.hidden):
            if row.get(f.column) is not None:
                return False
        elif isinstance(f, Many) and links.get((entity.name, f.key), {}).get(ident):
            return False
    return True


def _owner_lists(recorder: Recorder, gaps: Gaps, owner: Entity, spec: Backref, ident: Any) -> bool:
    """Whether some copy of the owner lists its `spec` children: a page, or its complete copy."""
    keys = recorder.keys_written(owner.name, ident)
    return (keys is not None and spec.key in keys) or ident in gaps.incomplete[owner.name]


def _listing_backrefs() -> dict[tuple[str, str], list[tuple[Entity, Backref]]]:
    """For each hidden edge, the lists of its owners that set it when read."""
    found: dict[tuple[str, str], list[tuple[Entity, Backref]]] = defaultdict(list)
    for owner in ENTITIES.values():
        for spec in owner.backrefs:
            found[(spec.target, spec.via)].append((owner, spec))
    return found


def find_gaps(recorder: Recorder) -> Gaps:
    """Everything the rendered pages leave out; call after every page was rendered."""
    graph = recorder.graph
    gaps = Gaps()
    for entity in ENTITIES.values():
        for ident, row in graph.rows.get(entity.name, {}).items():
            if not _fully_written(recorder, entity, ident, row):
                gaps.incomplete[entity.name].add(ident)
    listing = _listing_backrefs()
    for entity in ENTITIES.values():
        for f in entity.refs:
            if not f.hidden:
                continue
            for ident, row in graph.rows.get(entity.name, {}).items():
                owner = row.get(f.column)
                if owner is not None and not any(
                    _owner_lists(recorder, gaps, o, spec, owner)
                    for o, spec in listing[(entity.name, f.key)]
                ):
                    gaps.incomplete[entity.name].add(ident)
    for owner in ENTITIES.values():
        for spec in owner.backrefs:
            if spec.ordered:
                gaps.losses.extend(_renumbered(recorder, gaps, owner, spec))
    gaps.losses.sort()
    return gaps


def _renumbered(recorder: Recorder, gaps: Gaps, owner: Entity, spec: Backref) -> list[Loss]:
    """Children whose stored position differs from the index that listing them gives."""
    graph = recorder.graph
    via = ENTITIES[spec.target].by_key[spec.via]
    given: dict[Any, int] = {}
    for ident in graph.rows.get(owner.name, {}):
        if _owner_lists(recorder, gaps, owner, spec, ident):
            for index, child in enumerate(recorder.children(owner.name, spec, ident)):
                given[child] = index
    losses = []
    for child, row in graph.rows.get(spec.target, {}).items():
        stored, back = row.get(POSITION), given.get(child)
        if stored != back:
            losses.append(
                Loss(
                    spec.target,
                    str(child),
                    f"position {stored} in the {spec.key} of {owner.name} "
                    f"{row.get(via.column) if isinstance(via, Ref) else '?'} comes back as {back}",
                )
            )
    return losses
