"""The sync's own tables: its progress, what it saw, and how each run ended.

They sit beside the entity tables and never inside them, so `ingest` stays idempotent and the
data's rows look the same whichever way they arrived.

- `sync_round`: one pass over a set of endpoints (all five, or those `--only` named); open until
  every endpoint in it has been paged to the end, so a resumed run knows what is left.
- `sync_endpoint`: per endpoint, the current pass: the first unfinished page (`next_url`, null
  once the pass is finished), pages and records done, and when the last full pass ended.
- `sync_seen`: per record an endpoint listed, the last pass that listed it and when; a record of
  that endpoint's entity that the last full pass did not list is stale.
- `sync_run`: one row per run of `sync`: when, how it ended, and why it stopped or failed.
"""

from __future__ import annotations

import sqlalchemy as sa

from db.spec import ENDPOINTS, ENTITIES, Kind
from db.tables import BIGINT, TEXT, metadata

# sync_seen keeps record ids as integers: true of every entity an endpoint lists.
for _endpoint, _entity in ENDPOINTS.items():
    if ENTITIES[_entity].id_kind is not Kind.INT:
        raise ValueError(f"sync_seen stores integer ids, but {_endpoint} lists {_entity} ids")

SYNC_ROUND = sa.Table(
    "sync_round",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("base_url", TEXT, nullable=False),
    sa.Column("endpoints", TEXT, nullable=False, comment="Space-separated, in sync order."),
    sa.Column("started_at", sa.DateTime(), nullable=False),
    sa.Column("finished_at", sa.DateTime(), nullable=True),
    comment="A pass of the sync over a set of endpoints; open until all are paged through.",
)

SYNC_ENDPOINT = sa.Table(
    "sync_endpoint",
    metadata,
    sa.Column("endpoint", TEXT, primary_key=True),
    sa.Column("base_url", TEXT, nullable=False),
    sa.Column("round_id", sa.Integer(), nullable=False, comment="The round that owns the pass."),
    sa.Column("pass_number", sa.Integer(), nullable=False),
    sa.Column("next_url", TEXT, nullable=True, comment="First unfinished page; null when done."),
    sa.Column("pages_done", sa.Integer(), nullable=False),
    sa.Column("records", sa.Integer(), nullable=False),
    sa.Column("total", sa.Integer(), nullable=True, comment="LL2's count on the last page."),
    sa.Column("started_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.Column("finished_at", sa.DateTime(), nullable=True),
    sa.Column("last_full_pass", sa.Integer(), nullable=False, comment="0: none finished yet."),
    sa.Column("last_full_pass_at", sa.DateTime(), nullable=True),
    comment="Where the sync of each endpoint stands.",
)

SYNC_SEEN = sa.Table(
    "sync_seen",
    metadata,
    sa.Column("endpoint", TEXT, primary_key=True),
    sa.Column("record_id", BIGINT, primary_key=True, autoincrement=False),
    sa.Column("pass_number", sa.Integer(), nullable=False),
    sa.Column("seen_at", sa.DateTime(), nullable=False),
    comment="When the sync last saw each record an endpoint lists.",
)

SYNC_RUN = sa.Table(
    "sync_run",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("base_url", TEXT, nullable=False),
    sa.Column("endpoints", TEXT, nullable=False),
    sa.Column("started_at", sa.DateTime(), nullable=False),
    sa.Column("ended_at", sa.DateTime(), nullable=True),
    sa.Column(
        "outcome",
        TEXT,
        nullable=False,
        comment="running, done, stopped (rate limit or --max-requests), failed, interrupted.",
    ),
    sa.Column("detail", TEXT, nullable=True, comment="Why it stopped or failed."),
    sa.Column("requests", sa.Integer(), nullable=False),
    sa.Column("pages", sa.Integer(), nullable=False),
    sa.Column(
        "allowance_left",
        sa.Integer(),
        nullable=True,
        comment="Requests LL2 still allowed when the run ended: its /api-throttle/ reading, "
        "less the requests made since.",
    ),
    sa.Column(
        "allowance_limit",
        sa.Integer(),
        nullable=True,
        comment="LL2's allowance per window (15 an hour without a key), as last read.",
    ),
    sa.Index(None, "ended_at"),
    comment="Every run of the sync and how it ended.",
)

SYNC_TABLES = (SYNC_ROUND, SYNC_ENDPOINT, SYNC_SEEN, SYNC_RUN)
