"""Shops' databases as an older posapp left them: built at head with the demo shop and a few sales,
then migrated down to the old revision (the downgrade keeps every row the old schema can hold).

The models always describe the newest schema, so an old database cannot be filled through them
directly; going down from head gives the same tables and rows an old posapp would have written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from posapp.db import Database
from posapp.db.migrate import _config, current_revision
from posapp.services.context import back_office_actor
from posapp.services.demo import seed_demo
from tests.core.helpers import Snapshot, available_barcodes, sell


def database_at(path: Path, revision: str) -> None:
    """A demo shop with two sales (one of two items, one with the demo coupon), at ``revision``."""
    db = Database(f"sqlite:///{path}")
    try:
        command.upgrade(_config(db), "head")
        demo = seed_demo(db)
        assert demo is not None
        actor = back_office_actor(db, "Cashier")
        first, second, third = available_barcodes(path, 3)
        sell(db, actor, first, second)
        sell(db, actor, third, demo.sample_coupon)
        command.downgrade(_config(db), revision)
        assert current_revision(db) == revision
    finally:
        db.dispose()


def columns(path: Path) -> dict[str, list[str]]:
    """Each table's column names, in order."""
    with sqlite3.connect(path) as connection:
        tables = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: [str(row[1]) for row in connection.execute(f'PRAGMA table_info("{table}")')]
            for table in tables
        }


def snapshot_of(path: Path, wanted: dict[str, list[str]]) -> Snapshot:
    """Every row of the ``wanted`` tables, only the ``wanted`` columns, sorted."""
    connection = sqlite3.connect(path)
    try:
        return {
            table: sorted(
                connection.execute(
                    "SELECT " + ", ".join(f'"{name}"' for name in names) + f' FROM "{table}"'
                ).fetchall(),
                key=repr,
            )
            for table, names in sorted(wanted.items())
        }
    finally:
        connection.close()


# What migration 0006 (sync) adds, for the tests of earlier migrations that upgrade to head.
SYNC_TABLES = {
    "sync_link", "sync_inbox", "offline_redemptions", "coupon_leases", "sync_conflicts",
    "hub_clients", "hub_origins", "hub_log", "hub_coupon_holds", "hub_item_reservations",
    "hub_item_origins", "hub_online_sales", "coupons_seen_online",
}  # fmt: skip
SYNC_COLUMNS = {"coupons": ["origin"]}
