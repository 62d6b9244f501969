"""A shop's database from before holds (schema 0004) upgrades to 0005 keeping every row, with an
empty holds table, and holding works on it at once; going down puts held items back on sale."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from posapp.db import Database, open_database
from posapp.db.migrate import _config, current_revision, head_revision
from posapp.services.cart import ScanRefused, resolve_scan
from posapp.services.context import back_office_actor
from posapp.services.holds import hold_item, list_holds, release_hold
from tests.core.helpers import available_barcodes, count, one, snapshot
from tests.core.old_databases import columns, database_at


def test_a_0004_database_upgrades_to_0005_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old-shop.db"
    database_at(path, "0004")
    before_columns = columns(path)
    before = snapshot(path)

    db = Database(f"sqlite:///{path}")
    try:
        command.upgrade(_config(db), "0005")
        assert current_revision(db) == "0005"
        after_columns = columns(path)
        assert set(after_columns) == set(before_columns) | {"item_holds"}
        assert after_columns["item_holds"] == [
            "id", "item_id", "movement_id", "customer_id", "until", "released_movement_id"
        ]  # fmt: skip
        after = snapshot(path)
        assert after.pop("item_holds") == []
        assert after.pop("alembic_version") == [("0005",)]
        before.pop("alembic_version")
        assert after == before
        db.dispose()

        db = open_database(str(path))  # and on to the newest schema, for the services
        cashier = back_office_actor(db, "Cashier")
        (barcode,) = available_barcodes(path, 1)
        hold_item(db, cashier, barcode)
        assert isinstance(resolve_scan(db, barcode), ScanRefused)
        assert [h.barcode for h in list_holds(db)] == [barcode]
        release_hold(db, cashier, barcode)
        assert list_holds(db) == []
    finally:
        db.dispose()


def test_down_to_0004_puts_held_items_back_on_sale(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    database_at(path, "0004")
    db = open_database(str(path))
    try:
        cashier = back_office_actor(db, "Cashier")
        held, released = available_barcodes(path, 2)
        hold_item(db, cashier, held)
        hold_item(db, cashier, released)
        release_hold(db, cashier, released)
        on_hand = count(path, "SELECT sum(quantity) FROM stock_movements")

        command.downgrade(_config(db), "0004")

        assert current_revision(db) == "0004"
        assert "item_holds" not in columns(path)
        assert one(path, "SELECT status FROM items WHERE barcode = ?", held) == ("available",)
        assert count(path, "SELECT count(*) FROM items WHERE status = 'reserved'") == 0
        reasons = "SELECT count(*) FROM stock_movements WHERE reason IN ('hold', 'release')"
        assert count(path, reasons) == 0
        assert count(path, "SELECT sum(quantity) FROM stock_movements") == on_hand
        command.upgrade(_config(db), "head")
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()
