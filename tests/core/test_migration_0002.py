"""A shop's database made before stock counts (schema 0001) upgrades to 0002 keeping every row,
and the new features work on it straight away."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from posapp.db import Database
from posapp.db.migrate import _config, current_revision
from posapp.services.context import back_office_actor
from posapp.services.count_report import count_report
from posapp.services.count_scan import scan_into_count
from posapp.services.counts import start_count
from tests.core.helpers import available_barcodes, snapshot
from tests.core.old_databases import database_at

NEW_TABLES = {
    "stock_locations",
    "item_locations",
    "stock_transfers",
    "stock_thresholds",
    "count_sessions",
    "count_scans",
    "count_corrections",
}


def test_a_0001_database_with_sales_upgrades_to_0002_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old-shop.db"
    database_at(path, "0001")
    before = snapshot(path)
    assert not NEW_TABLES & set(before)

    db = Database(f"sqlite:///{path}")
    try:
        command.upgrade(_config(db), "0002")
        assert current_revision(db) == "0002"
        after = snapshot(path)
        kept = {table: rows for table, rows in after.items() if table in before}
        assert kept.pop("alembic_version") == [("0002",)]
        assert kept == {table: rows for table, rows in before.items() if table != "alembic_version"}
        assert set(after) - set(before) == NEW_TABLES
        assert all(after[table] == [] for table in NEW_TABLES)

        manager = back_office_actor(db, "Manager")
        count_id = start_count(db, manager, "all")
        (barcode,) = available_barcodes(path, 1)
        assert scan_into_count(db, manager, count_id, barcode).counted == 1
        assert count_report(db, count_id).missing
    finally:
        db.dispose()
