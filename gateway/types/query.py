"""The root of the graph: lookups by LL2 id, connections over each kind, and Relay's node."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry

from db.dataset_info import dataset_info_on
from db.spec import ENTITIES, Kind
from gateway.resolvers.errors import BadUserInput
from gateway.types import (  # noqa: F401  (each module registers its types)
    agency,
    astronaut,
    configuration,
    family,
    flight,
    images,
    launch,
    places,
    spacecraft,
)
from gateway.types.connection_fields import connection_field
from gateway.types.dataset import DatasetInfo, from_facts
from gateway.types.instances import instance
from gateway.types.node import Node, parse_global_id
from gateway.types.registry import lazy
from gateway.types.scalars import UUID

ENTITY_OF_TYPE = {e.type_name: e.name for e in ENTITIES.values()}


def lookup_field(entity: str) -> Any:
    spec = ENTITIES[entity]

    async def resolve(info: strawberry.Info, ll2_id: Any) -> Any:
        row = await info.context.loaders.row(entity).load(ll2_id)
        return None if row is None else instance(spec.type_name, row)

    id_type = UUID if spec.id_kind is Kind.UUID else int
    resolve.__annotations__ = {
        "info": strawberry.Info,
        "ll2_id": Annotated[id_type, strawberry.argument(description="LL2's id of the object.")],
        "return": lazy(spec.type_name) | None,
    }
    return strawberry.field(
        resolver=resolve,
        description=f"The {spec.type_name} with this LL2 id, or null.",
        metadata={"lookup": entity},
    )


def _ll2_id(entity: str, text: str, value: str) -> Any:
    try:
        if ENTITIES[entity].id_kind is Kind.UUID:
            return str(uuid.UUID(text))
        return int(text)
    except ValueError:
        raise BadUserInput(f"not a node id made by this API: {value!r}") from None


async def _node(info: strawberry.Info, value: str) -> Any:
    type_name, text = parse_global_id(value)
    entity = ENTITY_OF_TYPE.get(type_name)
    if entity is None:
        raise BadUserInput(f"not a node id made by this API: {value!r}")
    row = await info.context.loaders.row(entity).load(_ll2_id(entity, text, value))
    return None if row is None else instance(type_name, row)


async def resolve_node(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A global id (`id` field).")],
) -> Node | None:
    node: Node | None = await _node(info, id)
    return node


async def resolve_nodes(
    info: strawberry.Info,
    ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
) -> list[Node | None]:
    return [await _node(info, i) for i in ids]


async def resolve_dataset_info(info: strawberry.Info) -> DatasetInfo:
    async with info.context.db.connection() as conn:
        return from_facts(await dataset_info_on(conn))


def _all(entity: str, what: str) -> Any:
    return connection_field(entity, edge=None, description=f"{what}, a page at a time.")


@strawberry.type(
    description="LL2's spacecraft data as one graph. Data: The Space Devs' Launch Library 2."
)
class Query:
    spacecraft = lookup_field("spacecraft")
    spacecraft_configuration = lookup_field("spacecraft_configuration")
    spacecraft_family = lookup_field("spacecraft_family")
    agency = lookup_field("agency")
    spacecraft_flight = lookup_field("spacecraft_flight")
    astronaut = lookup_field("astronaut")
    launch = lookup_field("launch")

    all_spacecraft = _all("spacecraft", "All spacecraft")
    all_spacecraft_configurations = _all(
        "spacecraft_configuration", "All spacecraft configurations"
    )
    all_spacecraft_families = _all("spacecraft_family", "All spacecraft families")
    all_agencies = _all("agency", "All agencies")
    all_spacecraft_flights = _all("spacecraft_flight", "All spacecraft flights")
    all_astronauts = _all("astronaut", "All astronauts")
    all_launches = _all("launch", "All launches")

    node: Node | None = strawberry.field(
        resolver=resolve_node, description="The object with this global id, or null."
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=resolve_nodes,
        description="The objects with these global ids (null where none).",
        metadata={"fan_out": "ids"},  # one object per id, for the cost limit
    )

    dataset_info: DatasetInfo = strawberry.field(
        resolver=resolve_dataset_info,
        description="Where the data came from, when, its version, and how much there is.",
    )
