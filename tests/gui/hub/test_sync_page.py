"""A conflict sync found is visible to a manager: a badge in the status bar, and the back office's
Sync page with the link's state and the conflict in plain words. A cashier is told to ask one.
A manager acknowledges one there (Ctrl+K); the row then shows who, and the hub learns it."""

from __future__ import annotations

import httpx
import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from posapp.db import Database
from posapp.models import PaymentMethod, SyncConflict, new_uuid, utcnow
from posapp.services.cart import Cart, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary
from sync.conflicts import list_conflicts
from tests.gui.helpers import press
from tests.gui.hub.linked import close, linked_window, sell_online
from ui.gui.backoffice.models import MUTED
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


# -- acknowledging -------------------------------------------------------------------------------


def add_conflict(db: Database, subject: str, *, acknowledged_by: str | None = None) -> str:
    """A conflict written straight into the till's database, as a sync would copy it there."""
    conflict_id = new_uuid()
    with db.unit_of_work() as session:
        session.add(
            SyncConflict(
                id=conflict_id,
                kind="over_redemption",
                subject=subject,
                detail={"uses": 3, "max_uses": 1},
                found_at=utcnow(),
                acknowledged_at=utcnow() if acknowledged_by else None,
                acknowledged_by=acknowledged_by,
            )
        )
    return conflict_id


def open_sync_page(qtbot: QtBot, window: MainWindow, rows: int) -> SyncPage:
    """F10, Ctrl+8: the Sync page, once its list of conflicts has ``rows`` rows."""
    press(qtbot, Qt.Key.Key_F10)
    press(qtbot, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    page = sync_page(window)
    assert window.back_office is not None
    assert window.back_office.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() == rows)
    return page


def click_row(qtbot: QtBot, page: SyncPage, row: int) -> None:
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cells(page: SyncPage, row: int) -> list[str]:
    return [page.model.data(page.model.index(row, c)) for c in range(page.model.columnCount())]


def test_a_manager_acknowledges_a_conflict_with_ctrl_k_and_the_hub_learns_it(
    qtbot: QtBot,
    shop: Database,
    hub_db: Database,
    oversold: str,
    ops: Operations,
    manager: Actor,
) -> None:
    window = linked_window(qtbot, shop, ops, manager)
    assert window.hub is not None
    badge = window.hub.badge
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(badge.isVisible, timeout=WAIT_MS)
    page = open_sync_page(qtbot, window, rows=1)
    assert page.acknowledge_button.isVisible()
    assert page.acknowledge_button.text() == "Acknowledge (Ctrl+K)"
    assert not page.acknowledge_button.isEnabled()  # no conflict chosen yet
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert page.acknowledge_message.text() == "Choose a conflict in the list first."

    click_row(qtbot, page, 0)
    assert page.acknowledge_button.isEnabled()
    conflict_id = page.model.row_at(0).id
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: page.model.row_at(0).acknowledged)
    assert cells(page, 0)[4].endswith(" by Manager")
    assert page.table.columnWidth(4) >= page.table.sizeHintForColumn(4)  # not cut short
    grey = page.model.data(page.model.index(0, 1), Qt.ItemDataRole.ForegroundRole)
    assert grey is not None and grey.color() == MUTED
    assert page.acknowledge_message.tone == "info"
    assert page.acknowledge_message.text().startswith("Acknowledged by Manager at ")
    assert oversold in page.acknowledge_message.text()
    chosen = page.chosen()
    assert chosen is not None and chosen.id == conflict_id  # still chosen after the reload
    assert not page.acknowledge_button.isEnabled()
    (mine,) = list_conflicts(shop)
    assert mine.acknowledged_by == "Manager" and mine.acknowledged_at is not None

    # The page asked for a sync: the hub has it, and nothing is left open here.
    qtbot.waitUntil(lambda: list_conflicts(hub_db)[0].acknowledged, timeout=WAIT_MS)
    assert list_conflicts(hub_db)[0].acknowledged_by == "Manager"
    qtbot.waitUntil(lambda: not badge.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.fields["conflicts"].text() == "0", timeout=WAIT_MS)
    close(window, ops)


def test_an_acknowledged_conflict_looks_settled_and_a_refusal_is_told_in_words(
    qtbot: QtBot, shop: Database, ops: Operations, manager: Actor
) -> None:
    add_conflict(shop, "SPRING1", acknowledged_by="Manager")
    open_id = add_conflict(shop, "SUMMER2")
    window = linked_window(qtbot, shop, ops, manager)
    page = open_sync_page(qtbot, window, rows=2)
    settled, waiting = (0, 1) if page.model.row_at(0).acknowledged else (1, 0)
    assert page.model.row_at(waiting).id == open_id
    assert cells(page, settled)[4].endswith(" by Manager") and cells(page, waiting)[4] == ""
    assert page.model.data(page.model.index(waiting, 1), Qt.ItemDataRole.ForegroundRole) is None

    click_row(qtbot, page, settled)
    assert not page.acknowledge_button.isEnabled()
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert page.acknowledge_message.text().startswith("Acknowledged by Manager at ")
    assert "SPRING1" in page.acknowledge_message.text()

    click_row(qtbot, page, waiting)
    assert page.acknowledge_button.isEnabled()
    with shop.unit_of_work() as session:  # gone before the manager acknowledges it
        session.execute(delete(SyncConflict).where(SyncConflict.id == open_id))
    qtbot.mouseClick(page.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.acknowledge_message.tone == "error")
    assert page.acknowledge_message.text() == f"No sync conflict {open_id}."
    assert QApplication.activeModalWidget() is None
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    close(window, ops)


def test_a_cashier_cannot_acknowledge_a_conflict(
    qtbot: QtBot, till: MainWindow, shop: Database, ops: Operations
) -> None:
    add_conflict(shop, "SPRING1")
    page = open_sync_page(qtbot, till, rows=0)
    assert not page.table.isVisible() and not page.acknowledge_button.isVisible()
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    page.acknowledge_chosen()
    ops.wait_idle()
    QApplication.processEvents()
    (row,) = list_conflicts(shop)
    assert not row.acknowledged and row.acknowledged_by is None
    assert not page.acknowledge_message.isVisible()
