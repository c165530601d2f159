"""Alembic's entry point: migrations run on a connection that `db.migrate` hands in."""

from __future__ import annotations

from alembic import context

import db.state  # noqa: F401  (registers the dataset_state table)
from db.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
