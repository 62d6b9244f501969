"""bounce-back campaigns (campaign -> the campaign whose redemption hands its coupons out, and the
minimum paid), the sale a bounce-back coupon came with, and an item's markdown (date + percent)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00.000000

SQLite cannot add a foreign key to an existing table except inline with a new column, and batch
mode would copy (and, with foreign keys on, fail to drop) tables that others reference: there the
new columns are added with an inline REFERENCES; other databases get a named constraint.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_INTEGER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (table, column, referred table, constraint name)
_REFERENCES = (
    ("campaigns", "bounce_back_of_id", "campaigns", "fk_campaigns_bounce_back_of_id_campaigns"),
    ("coupons", "issued_with_sale_id", "sales", "fk_coupons_issued_with_sale_id_sales"),
)


def _add_reference(table: str, column: str, referred: str, name: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES {referred} (id)"
        )
        return
    op.add_column(table, sa.Column(column, BIG_INTEGER, nullable=True))
    op.create_foreign_key(op.f(name), table, referred, [column], ["id"])


def upgrade() -> None:
    for table, column, referred, name in _REFERENCES:
        _add_reference(table, column, referred, name)
    op.add_column(
        "campaigns",
        sa.Column("bounce_back_min_spend", BIG_INTEGER, nullable=False, server_default="0"),
    )
    op.create_index(
        op.f("ix_coupons_issued_with_sale_id"), "coupons", ["issued_with_sale_id"], unique=False
    )
    op.add_column("items", sa.Column("markdown_on", sa.Date(), nullable=True))
    op.add_column("items", sa.Column("markdown_bp", BIG_INTEGER, nullable=True))


def downgrade() -> None:
    op.drop_column("items", "markdown_bp")
    op.drop_column("items", "markdown_on")
    op.drop_index(op.f("ix_coupons_issued_with_sale_id"), table_name="coupons")
    op.drop_column("campaigns", "bounce_back_min_spend")
    for table, column, _referred, name in reversed(_REFERENCES):
        if op.get_bind().dialect.name != "sqlite":
            op.drop_constraint(op.f(name), table, type_="foreignkey")
        op.drop_column(table, column)
