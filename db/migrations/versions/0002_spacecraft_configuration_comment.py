"""spacecraft_configuration comment

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:15:02.162660
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD = "A model of spacecraft (Soyuz MS, Crew Dragon, ...) that individual spacecraft are built to."
NEW = "A model of spacecraft (Soyuz MS, Crew Dragon, ...) that spacecraft are built to."


def upgrade() -> None:
    # SQLite keeps no comments; rebuilding its table for one would change nothing it stores.
    if op.get_bind().dialect.name == "postgresql":
        op.create_table_comment("spacecraft_configuration", NEW, existing_comment=OLD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_table_comment("spacecraft_configuration", OLD, existing_comment=NEW)
