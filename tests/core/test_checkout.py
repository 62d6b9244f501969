"""Checkout: one transaction for everything a sale writes, and payments as a cashier takes them."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

import posapp.services.checkout as checkout
from posapp.db import Database
from posapp.i18n import money
from posapp.models import PaymentMethod
from posapp.services.cart import Cart
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary
from posapp.services.errors import Conflict, InvalidInput
from posapp.services.sales_history import sale_receipt
from tests.core.helpers import available_barcodes, count, one, price_of, scan_all, sell, snapshot

CASH, CARD = PaymentMethod.CASH, PaymentMethod.CARD


@pytest.fixture
def full_cart(
    demo_db: Database, demo_path: Path, cashier: Actor, demo_summary: DemoSummary
) -> Cart:
    """Two consigned items, a stock item, a coupon and a customer: every kind of row."""
    cart = Cart(cashier.currency)
    first, second = available_barcodes(demo_path, 2)
    (bag,) = available_barcodes(demo_path, 1, kind="stock")
    scan_all(
        demo_db, cart, demo_summary.sample_card, first, second, bag, demo_summary.sample_coupon
    )
    assert len(cart.lines) == 3 and len(cart.coupons) == 1 and cart.customer is not None
    return cart


def test_a_sale_writes_every_row_once(
    demo_db: Database, demo_path: Path, cashier: Actor, full_cart: Cart
) -> None:
    receipt = commit_sale(demo_db, cashier, full_cart, [Tender(CASH, None)])
    assert receipt == sale_receipt(demo_db, receipt.number)
    assert receipt.number == "T1-000001"
    assert count(demo_path, "SELECT count(*) FROM sale_lines") == 3
    assert count(demo_path, "SELECT count(*) FROM items WHERE status = 'sold'") == 2
    assert count(demo_path, "SELECT count(*) FROM stock_movements WHERE reason = 'sale'") == 3
    assert count(demo_path, "SELECT count(*) FROM consignor_ledger") == 2
    assert count(demo_path, "SELECT sum(amount) FROM consignor_ledger") == count(
        demo_path, "SELECT sum(consignor_share) FROM sale_lines"
    )
    assert count(demo_path, "SELECT count(*) FROM coupon_redemptions") == 1
    code = full_cart.coupons[0].code
    assert one(demo_path, "SELECT state FROM coupons WHERE code = ?", code) == ("redeemed",)
    assert full_cart.customer is not None
    redeemed_for = one(demo_path, "SELECT customer_id FROM coupon_redemptions")
    assert redeemed_for == (full_cart.customer.id,)
    assert receipt.customer_name == full_cart.customer.name
    assert count(demo_path, "SELECT sum(net) FROM sale_lines") == receipt.total
    assert count(demo_path, "SELECT sum(amount) FROM payments") == receipt.total


def _fail_on_last_event(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TRIGGER fail_sale_event BEFORE INSERT ON outbox_events"
        " WHEN NEW.type = 'sale.committed' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    connection.commit()
    connection.close()


def test_a_failing_last_statement_leaves_every_table_as_it_was(
    demo_db: Database, demo_path: Path, cashier: Actor, full_cart: Cart
) -> None:
    _fail_on_last_event(demo_path)
    before = snapshot(demo_path)
    with pytest.raises(IntegrityError, match="disk full"):
        commit_sale(demo_db, cashier, full_cart, [Tender(CASH, 1_000_000)])
    assert snapshot(demo_path) == before


def test_a_failure_after_all_writes_leaves_every_table_as_it_was(
    demo_db: Database,
    demo_path: Path,
    cashier: Actor,
    full_cart: Cart,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = checkout.record_events

    def record_then_fail(session: Any, terminal_id: int, events: Any) -> None:
        real(session, terminal_id, events)
        session.flush()
        if any(kind == "sale.committed" for kind, _ in events):
            raise OSError("power cut")

    monkeypatch.setattr(checkout, "record_events", record_then_fail)
    before = snapshot(demo_path)
    with pytest.raises(OSError, match="power cut"):
        commit_sale(demo_db, cashier, full_cart, [Tender(CARD, None)])
    after = snapshot(demo_path)
    assert after == before
    for table in ("sales", "sale_lines", "payments", "coupon_redemptions", "sale_coupons",
                  "stock_movements", "consignor_ledger", "outbox_events", "items", "coupons",
                  "terminals"):  # fmt: skip
        assert after[table] == before[table], table
    monkeypatch.undo()
    receipt = commit_sale(demo_db, cashier, full_cart, [Tender(CARD, None)])
    assert receipt.number == "T1-000001"


def test_cash_gives_change(demo_db: Database, demo_path: Path, cashier: Actor) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    price = price_of(demo_path, barcode)
    receipt = sell(demo_db, cashier, barcode, tenders=[Tender(CASH, price + 1_234)])
    assert receipt.total == price
    assert receipt.change == 1_234
    assert one(demo_path, "SELECT amount, tendered, change FROM payments") == (
        price,
        price + 1_234,
        1_234,
    )


def test_card_pays_exactly(demo_db: Database, demo_path: Path, cashier: Actor) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    receipt = sell(demo_db, cashier, barcode, tenders=[Tender(CARD, None)])
    assert [(p.method, p.amount, p.change) for p in receipt.payments] == [(CARD, receipt.total, 0)]


def test_split_tender_card_then_cash_with_change(
    demo_db: Database, demo_path: Path, cashier: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    price = price_of(demo_path, barcode)
    receipt = sell(demo_db, cashier, barcode, tenders=[Tender(CARD, 5_000), Tender(CASH, price)])
    assert [(p.method, p.amount, p.tendered, p.change) for p in receipt.payments] == [
        (CARD, 5_000, 5_000, 0),
        (CASH, price - 5_000, price, 5_000),
    ]
    assert count(demo_path, "SELECT sum(amount) FROM payments") == price


def test_underpayment_is_refused_with_what_is_still_due(
    demo_db: Database, demo_path: Path, cashier: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    price = price_of(demo_path, barcode)
    cart = Cart(cashier.currency)
    scan_all(demo_db, cart, barcode)
    before = snapshot(demo_path)
    with pytest.raises(InvalidInput) as refused:
        commit_sale(demo_db, cashier, cart, [Tender(CARD, 1_000), Tender(CASH, 2_000)])
    assert refused.value.message == f"{money(price - 3_000, 'CNY')} is still to pay."
    assert snapshot(demo_path) == before


def test_card_over_the_total_is_refused(demo_db: Database, demo_path: Path, cashier: Actor) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    price = price_of(demo_path, barcode)
    cart = Cart(cashier.currency)
    scan_all(demo_db, cart, barcode)
    before = snapshot(demo_path)
    with pytest.raises(InvalidInput) as refused:
        commit_sale(demo_db, cashier, cart, [Tender(CARD, price + 100)])
    assert (
        refused.value.message == f"Only cash can be more than what is due ({money(price, 'CNY')})."
    )
    assert snapshot(demo_path) == before


def test_an_empty_sale_is_refused(demo_db: Database, demo_path: Path, cashier: Actor) -> None:
    before = snapshot(demo_path)
    with pytest.raises(InvalidInput, match="The sale is empty"):
        commit_sale(demo_db, cashier, Cart(cashier.currency), [Tender(CASH, None)])
    assert snapshot(demo_path) == before


def test_an_item_sold_since_the_scan_is_a_plain_conflict(
    demo_db: Database, demo_path: Path, cashier: Actor
) -> None:
    first, second = available_barcodes(demo_path, 2)
    stale = Cart(cashier.currency)
    scan_all(demo_db, stale, second, first)
    sell(demo_db, cashier, first)
    before = snapshot(demo_path)
    with pytest.raises(Conflict) as refused:
        commit_sale(demo_db, cashier, stale, [Tender(CASH, None)])
    name = str(one(demo_path, "SELECT name FROM items WHERE barcode = ?", first)[0])
    assert refused.value.message == (
        f"{name} was sold or taken off sale meanwhile; remove it from the sale."
    )
    assert snapshot(demo_path) == before


def test_a_coupon_used_since_the_scan_is_a_plain_conflict(
    demo_db: Database, demo_path: Path, cashier: Actor, demo_summary: DemoSummary
) -> None:
    first, second = available_barcodes(demo_path, 2)
    stale = Cart(cashier.currency)
    scan_all(demo_db, stale, second, demo_summary.sample_coupon)
    sell(demo_db, cashier, first, demo_summary.sample_coupon)
    before = snapshot(demo_path)
    with pytest.raises(Conflict) as refused:
        commit_sale(demo_db, cashier, stale, [Tender(CASH, None)])
    assert refused.value.message.startswith(f"Coupon {demo_summary.sample_coupon}: Already used on")
    assert snapshot(demo_path) == before
