"""sync: how far this till's clock is from its hub's, as the last sync measured it

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 22:45:00.000000

One nullable column: a till that has not synced since (or a hub that sent no Date header) has
none. Downgrade drops it; nothing else reads it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_link") as table:
        table.add_column(sa.Column("clock_offset_seconds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_link") as table:
        table.drop_column("clock_offset_seconds")
