"""GraphQL types: facts about the dataset as a whole (`datasetInfo`)."""

from __future__ import annotations

import datetime as dt

import strawberry

from db.dataset_info import DatasetInfo as Facts
from db.replica import ReplicaState
from db.spec import ENTITIES
from gateway.types.scalars import DateTime, Duration


@strawberry.type(description="How many objects of one kind the dataset holds.")
class EntityCount:
    type_name: str = strawberry.field(description="The GraphQL type of the objects.")
    count: int = strawberry.field(description="How many there are.")


@strawberry.type(description="One run of `spacecraft-gateway sync` that has ended.")
class SyncRun:
    started_at: DateTime = strawberry.field(description="When the run started.")
    ended_at: DateTime = strawberry.field(description="When the run ended.")
    outcome: str = strawberry.field(
        description="How it ended: done, stopped (rate limit or request cap), interrupted, "
        "or failed."
    )
    detail: str | None = strawberry.field(description="What happened, in words.")


@strawberry.type(description="The last sync's failure.")
class SyncFailure:
    at: DateTime = strawberry.field(description="When the failing run ended.")
    error: str = strawberry.field(description="What went wrong.")


@strawberry.type(
    description="How far the database the API reads (a PostgreSQL streaming standby named by "
    "`DATABASE_READ_URL`) is behind its primary. Answers show an import once the standby has "
    "replayed it."
)
class ReplicaLag:
    seconds: float = strawberry.field(
        description="Time since the last transaction the standby replayed, while it has "
        "received more than it replayed; 0 when it has replayed everything it received."
    )
    replay_paused: bool = strawberry.field(description="Whether replay is paused on the standby.")
    last_replayed_at: DateTime | None = strawberry.field(
        description="When the last transaction the standby replayed was committed."
    )


@strawberry.type(
    description="Where the data came from, how fresh it is, and its version (which changes "
    "with every change to the data; caches key on it)."
)
class DatasetInfo:
    source: str | None = strawberry.field(
        description="`bundled`, `import`, or the LL2 base URL of the last sync."
    )
    completed_at: DateTime | None = strawberry.field(
        description="End of the last completed import or sync."
    )
    version: int = strawberry.field(description="Changes with every change to the data.")
    age: Duration | None = strawberry.field(description="Time since `completedAt`.")
    counts: list[EntityCount] = strawberry.field(description="Objects per kind.")
    last_sync: SyncRun | None = strawberry.field(description="The last sync run that ended.")
    last_sync_failure: SyncFailure | None = strawberry.field(
        description="The last sync's failure, when the last sync that ended failed."
    )
    replica_lag: ReplicaLag | None = strawberry.field(
        description="How far behind its primary the database read is, when it is a streaming "
        "standby; null otherwise."
    )


def _whole_seconds(value: dt.timedelta | None) -> Duration | None:
    if value is None:
        return None
    return Duration(value // dt.timedelta(seconds=1) * 1_000_000)


def from_facts(facts: Facts) -> DatasetInfo:
    run = facts.last_sync
    failure = facts.last_sync_failure
    return DatasetInfo(
        source=facts.source,
        completed_at=None if facts.completed_at is None else DateTime(facts.completed_at),
        version=facts.version,
        age=_whole_seconds(facts.age),
        counts=[
            EntityCount(type_name=ENTITIES[name].type_name, count=n)
            for name, n in sorted(facts.counts.items())
        ],
        last_sync=None
        if run is None
        else SyncRun(
            started_at=DateTime(run.started_at),
            ended_at=DateTime(run.ended_at),
            outcome=run.outcome,
            detail=run.detail,
        ),
        last_sync_failure=None
        if failure is None
        else SyncFailure(at=DateTime(failure.at), error=failure.error),
        replica_lag=None if facts.replica is None else _lag(facts.replica),
    )


def _lag(replica: ReplicaState) -> ReplicaLag:
    replayed = replica.last_replayed_at
    return ReplicaLag(
        seconds=replica.lag_seconds,
        replay_paused=replica.replay_paused,
        last_replayed_at=None if replayed is None else DateTime(replayed),
    )
