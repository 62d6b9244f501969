"""Paying at the checkout: cash with change, split tender, a failed commit that writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.i18n import money
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary, in_store_ean
from tests.gui.helpers import press, query, rows, scan, settle, type_keys
from ui.gui.checkout import CheckoutWidget

pytestmark = pytest.mark.gui


def sales(path: Path) -> list[tuple[object, ...]]:
    return query(path, "SELECT number, total FROM sales ORDER BY id")


def test_cash_with_change_commits_the_sale_and_shows_the_receipt(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary, demo_path: Path
) -> None:
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    total = checkout.sale.cart.quote().total
    press(qtbot, Qt.Key.Key_F5)
    assert checkout.payment.amount.hasFocus()
    type_keys(qtbot, str(total // 100 + 50))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checkout.sale.receipt is not None)

    change = (total // 100 + 50) * 100 - total
    assert checkout.payment.change.text() == f"Change {money(change, 'CNY')}"
    receipt = checkout.payment.receipt.toPlainText()
    assert receipt.startswith("Sale T1-000001")
    assert "Cashier: Cashier" in receipt
    assert sales(demo_path) == [("T1-000001", total)]
    status = query(
        demo_path, "SELECT status FROM items WHERE barcode = ?", demo_summary.sample_item
    )
    assert status == [("sold",)]
    assert checkout.scan_entry.hasFocus()

    scan(qtbot, checkout, in_store_ean(2))  # the next scan starts a new sale by itself
    settle(qtbot, checkout)
    assert [row[1] for row in rows(checkout)] == [in_store_ean(2)]
    assert not checkout.payment.receipt.isVisible()


def test_split_tender_pays_part_by_card_and_the_rest_in_cash(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary, demo_path: Path
) -> None:
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    total = checkout.sale.cart.quote().total
    press(qtbot, Qt.Key.Key_F7)
    type_keys(qtbot, "10")
    press(qtbot, Qt.Key.Key_F6)  # 10.00 by card
    assert "Paid so far: Card" in checkout.payment.paid.text()
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_Return)  # the rest in cash, exact
    qtbot.waitUntil(lambda: checkout.sale.receipt is not None)
    payments = query(demo_path, "SELECT method, amount FROM payments ORDER BY id")
    assert payments == [("card", 1000), ("cash", total - 1000)]
    assert checkout.payment.change.text() == "No change"


def test_escape_cancels_the_payment_and_a_bad_amount_is_explained(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary, demo_path: Path
) -> None:
    press(qtbot, Qt.Key.Key_F5)
    assert checkout.payment.error.text() == "The sale is empty: scan an item first."
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_F6)
    type_keys(qtbot, "12.3.4")
    press(qtbot, Qt.Key.Key_Return)
    assert checkout.payment.error.text() == "12.3.4 is not an amount of money."
    press(qtbot, Qt.Key.Key_Escape)
    assert not checkout.payment.active
    assert checkout.scan_entry.hasFocus()
    assert sales(demo_path) == []


def test_commit_that_fails_shows_why_keeps_the_cart_and_writes_nothing(
    qtbot: QtBot,
    checkout: CheckoutWidget,
    demo_db: Database,
    manager: Actor,
    demo_summary: DemoSummary,
    demo_path: Path,
) -> None:
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    other_till = Cart(manager.currency)
    other_till.apply(resolve_scan(demo_db, demo_summary.sample_item))
    commit_sale(demo_db, manager, other_till, [Tender(PaymentMethod.CARD)])
    before = sales(demo_path)

    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(checkout.payment.error.text()))
    assert "was sold or taken off sale meanwhile" in checkout.payment.error.text()
    assert sales(demo_path) == before
    assert [row[1] for row in rows(checkout)] == [demo_summary.sample_item]
    assert checkout.sale.receipt is None
    assert checkout.scan_entry.hasFocus()


def test_new_sale_key_empties_the_cart(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary
) -> None:
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_F8)
    assert checkout.model.rowCount() == 0
    assert checkout.totals.total.text() == money(0, "CNY")


def test_a_scan_into_the_amount_field_leaves_the_payment_and_adds_the_item(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary, demo_path: Path
) -> None:
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_F5)
    assert checkout.payment.amount.hasFocus()
    scan(qtbot, checkout, in_store_ean(5))  # the scanner types into the amount field
    settle(qtbot, checkout)
    assert not checkout.payment.active
    assert [row[1] for row in rows(checkout)] == [demo_summary.sample_item, in_store_ean(5)]
    assert checkout.scan_entry.hasFocus()
    assert sales(demo_path) == []


def test_a_sale_that_brings_an_item_to_its_alert_level_shows_the_low_stock_badge(
    qtbot: QtBot, checkout: CheckoutWidget, demo_db: Database, manager: Actor
) -> None:
    from posapp.services.catalog import list_items
    from posapp.services.stock_alerts import set_threshold

    window = checkout.window()
    bag = in_store_ean(900)
    [row] = list_items(demo_db, bag)
    set_threshold(demo_db, manager, row.quantity - 1, barcode=bag)
    assert window.stock_badge.isHidden()
    scan(qtbot, checkout, bag)
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checkout.sale.receipt is not None)
    qtbot.waitUntil(lambda: window.stock_badge.isVisible())
    assert window.stock_badge.text() == "⚠ 1 low stock"
