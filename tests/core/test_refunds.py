"""Refunds: items back on sale, consignors' shares taken back, coupon uses reversed (never
deleted), the coupon usable again only when its campaign says so and it is still valid."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import SaleStatus
from posapp.services.cart import Cart, CouponScanned, ScanRefused
from posapp.services.context import Actor
from posapp.services.coupon_rules import RefusalReason
from posapp.services.errors import Conflict
from posapp.services.refunds import refund_sale
from posapp.services.sales_history import sale_receipt
from tests.core.helpers import (
    available_barcodes,
    campaign,
    count,
    coupon,
    one,
    scan_all,
    sell,
    snapshot,
)

TODAY = date.today()


def rescan(db: Database, actor: Actor, path: Path, code: str, today: date | None = None) -> object:
    cart = Cart(actor.currency)
    (barcode,) = available_barcodes(path, 1)
    scan_all(db, cart, barcode, today=today)
    return scan_all(db, cart, code, today=today)


def test_refund_puts_everything_back(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    code = coupon(demo_db, manager, campaign(demo_db, manager, "Refundable"))
    first, second = available_barcodes(demo_path, 2)
    (bag,) = available_barcodes(demo_path, 1, kind="stock")
    bags_before = count(demo_path, "SELECT sum(quantity) FROM stock_movements WHERE item_id ="
                        " (SELECT id FROM items WHERE barcode = ?)", bag)  # fmt: skip
    sold = sell(demo_db, cashier, first, second, bag, code)
    assert count(demo_path, "SELECT sum(amount) FROM consignor_ledger") > 0

    refunded = refund_sale(demo_db, manager, sold.number, reason="changed mind")

    assert refunded.status is SaleStatus.REFUNDED and refunded.refunded_at is not None
    assert sale_receipt(demo_db, sold.number).status is SaleStatus.REFUNDED
    for barcode in (first, second):
        assert one(demo_path, "SELECT status FROM items WHERE barcode = ?", barcode) == (
            "available",
        )
    assert count(demo_path, "SELECT count(*) FROM stock_movements WHERE reason = 'refund'") == 3
    assert count(demo_path, "SELECT sum(quantity) FROM stock_movements WHERE item_id ="
                 " (SELECT id FROM items WHERE barcode = ?)", bag) == bags_before  # fmt: skip
    assert count(demo_path, "SELECT sum(amount) FROM consignor_ledger") == 0
    assert count(demo_path, "SELECT count(*) FROM consignor_ledger WHERE kind = 'refund'") == 2
    assert count(demo_path, "SELECT count(*) FROM coupon_redemptions") == 1  # kept, not deleted
    assert count(demo_path, "SELECT count(*) FROM coupon_reversals") == 1
    assert one(demo_path, "SELECT state FROM coupons WHERE code = ?", code) == ("issued",)
    assert isinstance(rescan(demo_db, cashier, demo_path, code), CouponScanned)
    again = sell(demo_db, cashier, first)
    assert again.total == sold.lines[0].gross


def test_coupon_stays_used_when_the_campaign_says_so(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    name = campaign(demo_db, manager, "No second chance", reusable_after_refund=False)
    code = coupon(demo_db, manager, name)
    (barcode,) = available_barcodes(demo_path, 1)
    refund_sale(demo_db, manager, sell(demo_db, cashier, barcode, code).number)
    assert count(demo_path, "SELECT count(*) FROM coupon_reversals") == 1
    assert one(demo_path, "SELECT state FROM coupons WHERE code = ?", code) == ("redeemed",)
    outcome = rescan(demo_db, cashier, demo_path, code)
    assert isinstance(outcome, ScanRefused)
    assert outcome.refusal.reason is RefusalReason.USED
    assert outcome.refusal.message.startswith("Already used on ")


def test_coupon_expired_by_the_refund_stays_unusable(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    code = coupon(demo_db, manager, campaign(demo_db, manager, "Short", valid_days=3))
    (barcode,) = available_barcodes(demo_path, 1)
    sold = sell(demo_db, cashier, barcode, code)
    later = TODAY + timedelta(days=10)
    refund_sale(demo_db, manager, sold.number, today=later)
    assert one(demo_path, "SELECT state FROM coupons WHERE code = ?", code) == ("redeemed",)
    outcome = rescan(demo_db, cashier, demo_path, code, today=later)
    assert isinstance(outcome, ScanRefused)
    assert outcome.refusal.reason is RefusalReason.EXPIRED


def test_a_second_refund_is_refused_and_changes_nothing(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    sold = sell(demo_db, cashier, barcode)
    refund_sale(demo_db, manager, sold.number)
    before = snapshot(demo_path)
    with pytest.raises(Conflict) as refused:
        refund_sale(demo_db, manager, str(sold.sale_id))
    assert refused.value.message == f"Sale {sold.number} has already been refunded."
    assert snapshot(demo_path) == before


def test_refund_writes_its_events(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    code = coupon(demo_db, manager, campaign(demo_db, manager, "Evented"))
    (barcode,) = available_barcodes(demo_path, 1)
    sold = sell(demo_db, cashier, barcode, code)
    last_seq = count(demo_path, "SELECT max(seq) FROM outbox_events")
    refund_sale(demo_db, manager, sold.number)
    kinds = [
        row
        for row in snapshot(demo_path)["outbox_events"]
        if isinstance(row[2], int) and row[2] > last_seq
    ]
    assert sorted(str(row[3]) for row in kinds) == [
        "coupon.reversed",
        "sale.refunded",
        "stock.moved",
    ]
