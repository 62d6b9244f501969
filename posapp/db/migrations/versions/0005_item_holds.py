"""holds: a one-of-a-kind item put aside for a customer (reserved) until a day

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00.000000

A new table only: the hold and release movements are two more words in
``stock_movements.reason`` (a plain VARCHAR with no CHECK constraint), and ``reserved`` was
already an item state.

Downgrade: the older schema has no holds and its app neither writes nor reads a hold or release
movement, so held items go back on sale (available), the hold and release movements (quantity 0:
on-hand is unchanged) and the holds table go.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_INTEGER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "item_holds",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("item_id", BIG_INTEGER, nullable=False),
        sa.Column("movement_id", BIG_INTEGER, nullable=False),
        sa.Column("customer_id", BIG_INTEGER, nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("released_movement_id", BIG_INTEGER, nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_item_holds_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_holds_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["stock_movements.id"],
            name=op.f("fk_item_holds_movement_id_stock_movements"),
        ),
        sa.ForeignKeyConstraint(
            ["released_movement_id"],
            ["stock_movements.id"],
            name=op.f("fk_item_holds_released_movement_id_stock_movements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_holds")),
        sa.UniqueConstraint("movement_id", name=op.f("uq_item_holds_movement_id")),
        sa.UniqueConstraint(
            "released_movement_id", name=op.f("uq_item_holds_released_movement_id")
        ),
    )
    op.create_index(op.f("ix_item_holds_item_id"), "item_holds", ["item_id"], unique=False)


def downgrade() -> None:
    op.execute("UPDATE items SET status = 'available' WHERE status = 'reserved'")
    op.drop_index(op.f("ix_item_holds_item_id"), table_name="item_holds")
    op.drop_table("item_holds")
    op.execute("DELETE FROM stock_movements WHERE reason IN ('hold', 'release')")
