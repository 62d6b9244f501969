"""Back office, sales history: the receipt of a sale, refund with an inline confirm, managers only;
and the back-office widget's page shortcuts."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import ItemStatus, PaymentMethod, SaleStatus
from posapp.services.cart import Cart, resolve_scan
from posapp.services.catalog import list_items
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary
from posapp.services.sales_history import list_sales
from ui.gui.backoffice import BackOfficeWidget
from ui.gui.backoffice.sales_page import SalesPage
from ui.gui.operations import Operations

pytestmark = pytest.mark.gui

STATUS = 8  # sales table column


def idle(qtbot: QtBot, ops: Operations) -> None:
    qtbot.waitUntil(lambda: ops.pending == 0)


def sell(db: Database, actor: Actor, *scans: str) -> str:
    """Commit a cash sale of ``scans`` through the services; returns its number."""
    cart = Cart(actor.currency)
    for code in scans:
        cart.apply(resolve_scan(db, code))
    return commit_sale(db, actor, cart, [Tender(PaymentMethod.CASH)]).number


def open_page(qtbot: QtBot, db: Database, ops: Operations, actor: Actor) -> SalesPage:
    page = SalesPage(db, ops, actor)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    idle(qtbot, ops)
    page.table.selectRow(0)
    idle(qtbot, ops)
    return page


def test_a_manager_refunds_a_sale_and_its_item_is_on_sale_again(
    qtbot: QtBot,
    demo_db: Database,
    ops: Operations,
    manager: Actor,
    cashier: Actor,
    demo_summary: DemoSummary,
) -> None:
    number = sell(demo_db, cashier, demo_summary.sample_item, demo_summary.sample_coupon)
    assert list_items(demo_db, demo_summary.sample_item)[0].status is ItemStatus.SOLD
    page = open_page(qtbot, demo_db, ops, manager)
    assert page.receipt.toPlainText().startswith(f"Sale {number}\n")
    assert page.refund_button.isEnabled()

    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    assert page.confirm.isVisible() and number in page.confirm.question.text()
    assert list_sales(demo_db)[0].status is SaleStatus.COMPLETED  # not before confirming

    assert page.confirm.confirm_button.hasFocus()
    qtbot.keyClick(page.confirm.confirm_button, Qt.Key.Key_Return)  # Enter confirms
    qtbot.waitUntil(lambda: page.message.tone == "info")
    idle(qtbot, ops)
    assert page.message.text().startswith(f"Refunded sale {number}: give back CN¥")
    assert page.model.data(page.model.index(0, STATUS)) == "refunded"
    assert "REFUNDED" in page.receipt.toPlainText()
    assert not page.refund_button.isEnabled()
    assert list_sales(demo_db)[0].status is SaleStatus.REFUNDED
    assert list_items(demo_db, demo_summary.sample_item)[0].status is ItemStatus.AVAILABLE


def test_cancelling_the_confirm_bar_refunds_nothing(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor, demo_summary: DemoSummary
) -> None:
    sell(demo_db, manager, demo_summary.sample_item)
    page = open_page(qtbot, demo_db, ops, manager)
    qtbot.keyClick(page.reason, Qt.Key.Key_Return)
    assert page.confirm.isVisible()
    qtbot.keyClick(page.confirm.confirm_button, Qt.Key.Key_Escape)
    assert not page.confirm.isVisible()
    idle(qtbot, ops)
    assert list_sales(demo_db)[0].status is SaleStatus.COMPLETED


def test_a_cashier_sees_why_they_cannot_refund(
    qtbot: QtBot, demo_db: Database, ops: Operations, cashier: Actor, demo_summary: DemoSummary
) -> None:
    number = sell(demo_db, cashier, demo_summary.sample_item)
    page = open_page(qtbot, demo_db, ops, cashier)
    assert page.receipt.toPlainText().startswith(f"Sale {number}\n")
    assert not page.refund_button.isEnabled()
    assert page.message.isVisible()
    assert page.message.text() == "Only a manager can refund a sale. Ask a manager to sign in."
    page.ask_refund()  # even if asked directly
    assert not page.confirm.isVisible()
    idle(qtbot, ops)
    assert list_sales(demo_db)[0].status is SaleStatus.COMPLETED
    assert list_items(demo_db, demo_summary.sample_item)[0].status is ItemStatus.SOLD


def test_when_a_manager_signs_in_the_refund_is_offered(
    qtbot: QtBot,
    demo_db: Database,
    ops: Operations,
    cashier: Actor,
    manager: Actor,
    demo_summary: DemoSummary,
) -> None:
    sell(demo_db, cashier, demo_summary.sample_item)
    widget = BackOfficeWidget(demo_db, ops, cashier)
    qtbot.addWidget(widget)
    widget.show_page(3)
    widget.show()
    idle(qtbot, ops)
    widget.sales.table.selectRow(0)
    idle(qtbot, ops)
    assert not widget.sales.refund_button.isEnabled()
    widget.set_actor(manager)
    assert widget.sales.refund_button.isEnabled()
    assert not widget.sales.message.isVisible()


def test_ctrl_digits_switch_the_back_office_pages(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor
) -> None:
    widget = BackOfficeWidget(demo_db, ops, manager)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.items.search_box.setFocus()
    qtbot.waitUntil(widget.items.search_box.hasFocus)
    for digit, page in ((Qt.Key.Key_4, widget.sales), (Qt.Key.Key_2, widget.consignors)):
        qtbot.keyClick(widget.focusWidget(), digit, Qt.KeyboardModifier.ControlModifier)
        assert widget.pages.currentWidget() is page
    assert widget.consignors.form.name.hasFocus()
    idle(qtbot, ops)
