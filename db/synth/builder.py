"""The workbench synth builds on: one seeded random source, id counters, rows into a `Graph`.

Rows use the columns `db/tables.py` names (scalars by LL2 key, `<key>_id` for to-one edges,
`position`, `extra`) and hold stored values (durations in microseconds, naive UTC date-times), so
`db.render.Renderer` writes them exactly as LL2 would. A column the tables do not have is a bug
in synth and fails at once.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from db.graph import Graph
from db.tables import ENTITY_TABLES

T = TypeVar("T")

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# The synthetic world's present: flights after it are planned, flights across it are under way.
NOW = dt.datetime(2025, 6, 1)
FIRST_FLIGHT = dt.datetime(1961, 4, 12, 6, 7)

MEDIA = "https://thespacedevs-prod.nyc3.digitaloceanspaces.com/media"


class Builder:
    """A graph under construction, and the one `random.Random` every choice comes from."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.graph = Graph()
        self._next: dict[str, int] = {}
        self._columns = {name: frozenset(t.columns.keys()) for name, t in ENTITY_TABLES.items()}

    def new_id(self, entity: str, start: int = 1) -> int:
        ident = self._next.get(entity, start)
        self._next[entity] = ident + 1
        return ident

    def add(self, entity: str, ident: Any, **columns: Any) -> Any:
        if not columns.keys() <= self._columns[entity]:
            unknown = sorted(columns.keys() - self._columns[entity])
            raise ValueError(f"synth writes unknown columns of {entity}: {unknown}")
        self.graph.rows[entity][ident] = {"id": ident, **columns}
        return ident

    def row(self, entity: str, ident: Any) -> dict[str, Any]:
        return self.graph.rows[entity][ident]

    def rows(self, entity: str) -> dict[Any, dict[str, Any]]:
        return self.graph.rows[entity]

    def link(self, entity: str, key: str, owner: Any, targets: Sequence[Any]) -> None:
        if targets:
            self.graph.links[(entity, key)][owner] = list(targets)

    def linked(self, entity: str, key: str, owner: Any) -> list[Any]:
        return self.graph.links.get((entity, key), {}).get(owner, [])

    # -- random values ---------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(items), min(k, len(items)))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A whole second between start and end."""
        seconds = int((end - start).total_seconds())
        return start + dt.timedelta(seconds=self.rng.randint(0, max(seconds, 0)))

    def day(self, start_year: int, end_year: int) -> dt.date:
        start = dt.date(start_year, 1, 1).toordinal()
        return dt.date.fromordinal(self.rng.randint(start, dt.date(end_year, 12, 31).toordinal()))

    def seconds(self, low: int, high: int) -> int:
        """A duration in microseconds, whole seconds between low and high seconds."""
        return self.rng.randint(low, high) * SECOND

    def image(
        self,
        name: str,
        *,
        kind: str = "image",
        credit: str | None = None,
        license_id: int | None = None,
        single_use: bool | None = None,
    ) -> int:
        """A new image (with license, sometimes variants) named as LL2 names its own."""
        ident = self.new_id("image")
        slug = slugify(name)[:15] or "image"
        stamp = self.moment(dt.datetime(2018, 1, 1), NOW).strftime("%Y%m%d%H%M%S")
        ext = self.pick(("jpeg", "jpg", "png", "webp"))
        auto = credit is None and self.chance(0.6)
        self.add(
            "image",
            ident,
            name=f"[AUTO] {name} - {kind}" if auto else name,
            image_url=f"{MEDIA}/images/{slug}_{kind}_{stamp}.{ext}",
            thumbnail_url=f"{MEDIA}/images/{slug}_{kind}_thumbnail_{stamp}.jpeg",
            credit=credit,
            license_id=license_id if license_id is not None else self.pick((1, 1, 1, 2, 3, 4, 5)),
            single_use=self.chance(0.8) if single_use is None else single_use,
        )
        if self.chance(0.12):
            for position, variant_type in enumerate(sorted(self.sample((1, 2, 3, 4), 3))):
                size = ("small", "medium", "large", "webp")[variant_type - 1]
                self.add(
                    "image_variant",
                    self.new_id("image_variant"),
                    type_id=variant_type,
                    image_url=f"{MEDIA}/images/{slug}_{kind}_{size}_{stamp}.{ext}",
                    image_id=ident,
                    position=position,
                )
        return ident


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def weighted_index(rng: random.Random, count: int, skew: float = 1.2) -> int:
    """An index in [0, count) that favours small indexes (a few items get most picks)."""
    return min(int(count * rng.random() ** (1 + skew)), count - 1)
