"""stock counts: locations, low-stock thresholds, count sessions, scans and corrections

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:16:40.736210
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_locations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_locations")),
        sa.UniqueConstraint("name", name=op.f("uq_stock_locations_name")),
    )
    op.create_table(
        "count_sessions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column(
            "scope",
            sa.Enum(
                "all",
                "location",
                "category",
                "consignor",
                name="countscope",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("scope_value", sa.String(length=80), nullable=True),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open", "committed", "cancelled", name="countstate", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column(
            "start_mark", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column(
            "started_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "terminal_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_count_sessions_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["users.id"], name=op.f("fk_count_sessions_started_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["terminal_id"], ["terminals.id"], name=op.f("fk_count_sessions_terminal_id_terminals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_sessions")),
        sa.UniqueConstraint("uuid", name=op.f("uq_count_sessions_uuid")),
    )
    op.create_table(
        "item_locations",
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_locations_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_item_locations_location_id_stock_locations"),
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_locations")),
    )
    with op.batch_alter_table("item_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_locations_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "stock_thresholds",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("category", sa.String(length=80), nullable=True),
        sa.Column("minimum", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_stock_thresholds_item_id_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_thresholds")),
        sa.UniqueConstraint("category", name=op.f("uq_stock_thresholds_category")),
        sa.UniqueConstraint("item_id", name=op.f("uq_stock_thresholds_item_id")),
    )
    op.create_table(
        "count_scans",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "session_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("coupon_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("repeated", sa.Boolean(), nullable=False),
        sa.Column(
            "movement_mark", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "terminal_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coupon_id"], ["coupons.id"], name=op.f("fk_count_scans_coupon_id_coupons")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_count_scans_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["count_sessions.id"],
            name=op.f("fk_count_scans_session_id_count_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["terminal_id"], ["terminals.id"], name=op.f("fk_count_scans_terminal_id_terminals")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_count_scans_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_scans")),
    )
    with op.batch_alter_table("count_scans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_count_scans_session_coupon", ["session_id", "coupon_id"], unique=False
        )
        batch_op.create_index(
            "ix_count_scans_session_item", ["session_id", "item_id"], unique=False
        )

    op.create_table(
        "count_corrections",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "session_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "movement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "expected_at_start",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "moved_since", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("counted", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_count_corrections_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["stock_movements.id"],
            name=op.f("fk_count_corrections_movement_id_stock_movements"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["count_sessions.id"],
            name=op.f("fk_count_corrections_session_id_count_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_corrections")),
        sa.UniqueConstraint("movement_id", name=op.f("uq_count_corrections_movement_id")),
    )
    with op.batch_alter_table("count_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_count_corrections_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "stock_transfers",
        sa.Column(
            "movement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "from_location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "to_location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["from_location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_transfers_from_location_id_stock_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["stock_movements.id"],
            name=op.f("fk_stock_transfers_movement_id_stock_movements"),
        ),
        sa.ForeignKeyConstraint(
            ["to_location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_transfers_to_location_id_stock_locations"),
        ),
        sa.PrimaryKeyConstraint("movement_id", name=op.f("pk_stock_transfers")),
    )


def downgrade() -> None:
    op.drop_table("stock_transfers")
    with op.batch_alter_table("count_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_count_corrections_session_id"))

    op.drop_table("count_corrections")
    with op.batch_alter_table("count_scans", schema=None) as batch_op:
        batch_op.drop_index("ix_count_scans_session_item")
        batch_op.drop_index("ix_count_scans_session_coupon")

    op.drop_table("count_scans")
    op.drop_table("stock_thresholds")
    with op.batch_alter_table("item_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_locations_location_id"))

    op.drop_table("item_locations")
    op.drop_table("count_sessions")
    op.drop_table("stock_locations")
