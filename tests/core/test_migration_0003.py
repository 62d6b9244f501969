"""A shop's database from before bounce-back coupons and markdowns (schema 0002) upgrades to 0003
keeping every row, with the new settings empty, and the new features work on it straight away."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from posapp.db import open_database
from posapp.db.migrate import current_revision, head_revision
from posapp.models import CouponState
from posapp.services.cart import Cart, ItemScanned
from posapp.services.catalog import Markdown, set_markdown
from posapp.services.context import back_office_actor
from posapp.services.refunds import refund_sale
from tests.core.helpers import (
    available_barcodes,
    campaign,
    count,
    coupon,
    one,
    price_of,
    scan_all,
    sell,
    snapshot,
)
from tests.core.old_databases import SYNC_COLUMNS, SYNC_TABLES, columns, database_at, snapshot_of

LATER_TABLES = {"item_holds"} | SYNC_TABLES  # added by 0005 and 0006
NEW_COLUMNS = {
    "campaigns": ["bounce_back_of_id", "bounce_back_min_spend"],
    "coupons": ["issued_with_sale_id"],
    "items": ["markdown_on", "markdown_bp"],
}


def test_a_0002_database_with_sales_upgrades_to_0003_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old-shop.db"
    database_at(path, "0002")
    before_columns = columns(path)
    before = snapshot(path)
    assert count(path, "SELECT count(*) FROM sales") == 2
    assert count(path, "SELECT count(*) FROM campaigns") > 0

    db = open_database(str(path))
    try:
        assert current_revision(db) == head_revision()  # 0003, and any later step
        after_columns = columns(path)
        assert set(after_columns) == set(before_columns) | LATER_TABLES
        for table, names in after_columns.items():
            if table in LATER_TABLES:
                continue
            assert names == (
                before_columns[table] + NEW_COLUMNS.get(table, []) + SYNC_COLUMNS.get(table, [])
            ), table
        kept = snapshot_of(path, {t: c for t, c in before_columns.items()})
        assert kept.pop("alembic_version") == [(head_revision(),)]
        assert kept == {table: rows for table, rows in before.items() if table != "alembic_version"}
        new = snapshot_of(path, NEW_COLUMNS)
        assert set(new["campaigns"]) == {(None, 0)}  # every old campaign: no bounce-back
        assert set(new["coupons"]) == {(None,)}
        assert set(new["items"]) == {(None, None)}

        manager = back_office_actor(db, "Manager")
        cashier = back_office_actor(db, "Cashier")
        trigger = campaign(db, manager, "Old trigger")
        campaign(db, manager, "Come back", bounce_back_of=trigger)
        first, second = available_barcodes(path, 2)
        receipt = sell(db, cashier, first, coupon(db, manager, trigger))
        (bounce,) = receipt.bounce_backs
        assert bounce.campaign_name == "Come back"
        assert one(path, "SELECT issued_with_sale_id FROM coupons WHERE code = ?", bounce.code) == (
            receipt.sale_id,
        )
        refund_sale(db, manager, receipt.number)
        state = one(path, "SELECT state FROM coupons WHERE code = ?", bounce.code)
        assert state == (CouponState.VOIDED.value,)

        set_markdown(db, manager, second, Markdown(date(2026, 1, 1), 3000))
        cart = Cart(cashier.currency)
        scanned = scan_all(db, cart, second, today=date(2026, 1, 1))
        assert isinstance(scanned, ItemScanned)
        assert scanned.line.unit_price == price_of(path, second) * 7 // 10
    finally:
        db.dispose()
