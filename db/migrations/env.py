"""Alembic's entry point: migrations run on a connection that `db.migrate` hands in."""

from __future__ import annotations

from alembic import context

# Imported for their tables, registered on the metadata as they load.
import db.state
import db.sync.tables  # noqa: F401
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
