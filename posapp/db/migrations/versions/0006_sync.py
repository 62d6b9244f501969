"""sync: the terminal's hub link, inbox, conflicts, offline redemptions and leases; the hub's
clients, origins, log, coupon holds, item reservations and online sales; coupons.origin

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 17:21:08.873299

New tables, and one nullable column on coupons (the terminal whose sync event brought a coupon
here; None for coupons made here, which is every coupon of an older database). Nothing existing
changes meaning.

Downgrade: the sync tables go (an older posapp does not sync), and so does coupons.origin.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coupon_leases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("uses", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("spent", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupon_leases")),
    )
    with op.batch_alter_table("coupon_leases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coupon_leases_code"), ["code"], unique=False)

    op.create_table(
        "coupons_seen_online",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("log_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_coupons_seen_online")),
    )
    op.create_table(
        "hub_clients",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column(
            "confirmed_cursor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_clients")),
        sa.UniqueConstraint("name", name=op.f("uq_hub_clients_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hub_clients_token_hash")),
    )
    op.create_table(
        "hub_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_log")),
        sa.UniqueConstraint("event_id", name=op.f("uq_hub_log_event_id")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflicts_subject", ["subject"], unique=False)

    op.create_table(
        "sync_inbox",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_inbox")),
    )
    op.create_table(
        "sync_link",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hub_url", sa.String(length=300), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column(
            "pull_cursor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("snapshot_done", sa.Boolean(), nullable=False),
        sa.Column(
            "snapshot_cursor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "interval_seconds", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "offline_max_count",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "offline_max_value",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "offline_max_minutes",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("offline_since", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_link")),
    )
    op.create_table(
        "hub_coupon_holds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column(
            "client_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("uses", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("spent", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["hub_clients.id"],
            name=op.f("fk_hub_coupon_holds_client_id_hub_clients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_coupon_holds")),
    )
    with op.batch_alter_table("hub_coupon_holds", schema=None) as batch_op:
        batch_op.create_index("ix_hub_coupon_holds_code", ["code"], unique=False)

    op.create_table(
        "hub_item_origins",
        sa.Column("barcode", sa.String(length=64), nullable=False),
        sa.Column(
            "client_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["hub_clients.id"],
            name=op.f("fk_hub_item_origins_client_id_hub_clients"),
        ),
        sa.PrimaryKeyConstraint("barcode", name=op.f("pk_hub_item_origins")),
    )
    with op.batch_alter_table("hub_item_origins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hub_item_origins_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "hub_item_reservations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=False),
        sa.Column(
            "client_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["hub_clients.id"],
            name=op.f("fk_hub_item_reservations_client_id_hub_clients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_item_reservations")),
    )
    with op.batch_alter_table("hub_item_reservations", schema=None) as batch_op:
        batch_op.create_index("ix_hub_item_reservations_barcode", ["barcode"], unique=False)

    op.create_table(
        "hub_online_sales",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=False),
        sa.Column(
            "client_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("customer_email", sa.String(length=200), nullable=True),
        sa.Column("sold_at", sa.DateTime(), nullable=False),
        sa.Column("oversold_at", sa.DateTime(), nullable=True),
        sa.Column("apology_code", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["hub_clients.id"],
            name=op.f("fk_hub_online_sales_client_id_hub_clients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_online_sales")),
    )
    with op.batch_alter_table("hub_online_sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_online_sales_barcode"), ["barcode"], unique=False)

    op.create_table(
        "hub_origins",
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "applied_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["hub_clients.id"], name=op.f("fk_hub_origins_client_id_hub_clients")
        ),
        sa.PrimaryKeyConstraint("origin", name=op.f("pk_hub_origins")),
    )
    with op.batch_alter_table("hub_origins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_origins_client_id"), ["client_id"], unique=False)

    op.create_table(
        "offline_redemptions",
        sa.Column("redemption_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column(
            "approved_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("lease_id", sa.String(length=36), nullable=True),
        sa.Column("offline_since", sa.DateTime(), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_offline_redemptions_approved_by_users")
        ),
        sa.PrimaryKeyConstraint("redemption_id", name=op.f("pk_offline_redemptions")),
    )
    op.add_column("coupons", sa.Column("origin", sa.String(length=36), nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+): a batch copy of coupons would trip the foreign keys
    op.drop_column("coupons", "origin")

    op.drop_table("offline_redemptions")
    with op.batch_alter_table("hub_origins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_origins_client_id"))

    op.drop_table("hub_origins")
    with op.batch_alter_table("hub_online_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_online_sales_barcode"))

    op.drop_table("hub_online_sales")
    with op.batch_alter_table("hub_item_reservations", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_item_reservations_barcode")

    op.drop_table("hub_item_reservations")
    with op.batch_alter_table("hub_item_origins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_item_origins_client_id"))

    op.drop_table("hub_item_origins")
    with op.batch_alter_table("hub_coupon_holds", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_coupon_holds_code")

    op.drop_table("hub_coupon_holds")
    op.drop_table("sync_link")
    op.drop_table("sync_inbox")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflicts_subject")

    op.drop_table("sync_conflicts")
    op.drop_table("hub_log")
    op.drop_table("hub_clients")
    op.drop_table("coupons_seen_online")
    with op.batch_alter_table("coupon_leases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coupon_leases_code"))

    op.drop_table("coupon_leases")
