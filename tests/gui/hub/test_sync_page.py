"""A conflict sync found is visible to a manager: a badge in the status bar, and the back office's
Sync page with the link's state and the conflict in plain words. A cashier is told to ask one."""

from __future__ import annotations

import httpx
import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary
from tests.gui.helpers import press
from tests.gui.hub.linked import close, linked_window, sell_online
from ui.gui.hub.page import SyncPage
from ui.gui.main_window import MainWindow
from ui.gui.operations import Operations

pytestmark = pytest.mark.gui

WAIT_MS = 15_000


@pytest.fixture
def oversold(
    shop: Database, online: httpx.Client, manager: Actor, demo_summary: DemoSummary
) -> str:
    """An item the online store sold while the shop, not yet told, sold it too."""
    barcode = demo_summary.sample_item
    assert sell_online(online, barcode).status_code == 200
    cart = Cart(manager.currency)
    cart.apply(resolve_scan(shop, barcode))
    commit_sale(shop, manager, cart, [Tender(PaymentMethod.CASH)])
    return barcode


def sync_page(window: MainWindow) -> SyncPage:
    assert window.hub is not None and window.hub.page is not None
    return window.hub.page


def test_a_manager_sees_the_conflict_from_the_badge_to_the_sync_page(
    qtbot: QtBot, shop: Database, oversold: str, ops: Operations, manager: Actor
) -> None:
    window = linked_window(qtbot, shop, ops, manager)
    assert window.hub is not None
    press(qtbot, Qt.Key.Key_F12)
    badge = window.hub.badge
    qtbot.waitUntil(badge.isVisible, timeout=WAIT_MS)
    assert badge.text() == "⚠ 1 conflict"
    assert window.hub.indicator.full_text().startswith("Synced ")

    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    page = sync_page(window)
    assert window.back_office is not None
    assert window.back_office.pages.currentWidget() is page
    assert window.back_office.pages.tabText(7) == "Sync (Ctrl+8)"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    row = page.model.row_at(0)
    assert row.subject == oversold
    what = [page.model.data(page.model.index(0, c)) for c in range(page.model.columnCount())]
    assert what[1] == "sold online and in a shop"
    assert "online order" in what[3]
    whole = page.model.data(page.model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    assert whole == what[3]
    assert page.fields["conflicts"].text() == "1"
    assert page.fields["hub"].text().startswith("http://127.0.0.1:")
    close(window, ops)


def test_a_cashier_sees_the_link_but_not_the_conflicts(
    qtbot: QtBot, till: MainWindow, oversold: str
) -> None:
    assert till.hub is not None
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(till.hub.badge.isVisible, timeout=WAIT_MS)
    press(qtbot, Qt.Key.Key_F10)
    assert till.back_office is not None
    press(qtbot, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    page = sync_page(till)
    assert till.back_office.pages.currentWidget() is page
    assert not page.table.isVisible() and page.model.rowCount() == 0
    assert page.managers_only.text().startswith("Only a manager can see sync conflicts")
    assert page.state.text().startswith("Synced ")
    assert page.fields["waiting"].text() == "0"
