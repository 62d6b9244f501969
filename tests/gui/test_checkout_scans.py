"""Scanning at the checkout: lines, coupons, refusals and scans made while the worker is busy."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from pytestqt.qtbot import QtBot

from posapp import codes
from posapp.i18n import money
from posapp.services.demo import DemoSummary, in_store_ean
from tests.gui.helpers import cell, press, rows, scan, settle
from ui.gui.checkout import CheckoutWidget

pytestmark = pytest.mark.gui


def test_item_then_coupon_shows_line_discount_and_total(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary
) -> None:
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    assert cell(checkout, 0, 1) == demo_summary.sample_item
    price = checkout.sale.cart.lines[0].unit_price
    assert checkout.totals.total.text() == money(price, "CNY")

    scan(qtbot, checkout, demo_summary.sample_coupon.lower())
    settle(qtbot, checkout)
    assert cell(checkout, 0, 4) == "-" + money(2000, "CNY")
    assert cell(checkout, 0, 5) == money(price - 2000, "CNY")
    assert checkout.totals.discount.text() == "-" + money(2000, "CNY")
    assert checkout.totals.total.text() == money(price - 2000, "CNY")
    [coupon] = checkout.coupons.texts()
    assert codes.grouped(demo_summary.sample_coupon) in coupon
    assert "Welcome ¥20" in coupon
    assert checkout.refusals.texts() == []


def test_refused_coupon_shows_reason_and_next_scan_still_works(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary
) -> None:
    scan(qtbot, checkout, demo_summary.sample_coupon)  # empty cart: below the minimum spend
    unknown = codes.new_code()
    scan(qtbot, checkout, unknown)
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    newest, older = checkout.refusals.texts()
    assert f"Unknown coupon {codes.grouped(unknown)}" in newest
    assert older.startswith(codes.grouped(demo_summary.sample_coupon) + ": Needs a spend of")
    assert [row[1] for row in rows(checkout)] == [demo_summary.sample_item]
    assert checkout.scan_entry.hasFocus()


def test_scans_typed_while_the_worker_is_busy_all_land_in_order(
    qtbot: QtBot, checkout: CheckoutWidget
) -> None:
    release = threading.Event()
    checkout.sale._ops.run(lambda: release.wait(10))  # a slow operation ahead of the scans
    barcodes = [in_store_ean(n) for n in (7, 3, 12, 1, 9, 4)]
    for barcode in barcodes:
        scan(qtbot, checkout, barcode)
    assert checkout.model.rowCount() == 0
    assert checkout.sale.pending == len(barcodes)
    release.set()
    settle(qtbot, checkout)
    assert [row[1] for row in rows(checkout)] == barcodes


def test_loyalty_card_shows_the_customer(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary
) -> None:
    scan(qtbot, checkout, demo_summary.sample_card)
    settle(qtbot, checkout)
    assert checkout.customer.text() == "Customer: Grace Lin"


def test_delete_and_quantity_keys_edit_the_selected_line(
    qtbot: QtBot, checkout: CheckoutWidget, demo_summary: DemoSummary
) -> None:
    from PySide6.QtCore import Qt

    bag = in_store_ean(900)  # a stock item: its quantity can change
    scan(qtbot, checkout, demo_summary.sample_item)
    scan(qtbot, checkout, bag)
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_Plus)
    press(qtbot, Qt.Key.Key_Plus)
    assert cell(checkout, 1, 2) == "3"
    press(qtbot, Qt.Key.Key_Minus)
    assert cell(checkout, 1, 2) == "2"
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Plus)  # one of a kind: stays 1, says why
    assert cell(checkout, 0, 2) == "1"
    assert "one of a kind" in checkout.refusals.texts()[0]
    press(qtbot, Qt.Key.Key_Delete)
    assert [row[1] for row in rows(checkout)] == [bag]
