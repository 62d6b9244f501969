"""The shell: sign-in, the keyboard-only flow through the pages, and starting the app."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from posapp.db import open_database
from posapp.services.demo import DemoSummary, in_store_ean
from tests.gui.helpers import cell, press, query, scan, settle, type_keys
from ui.gui import app as gui_app
from ui.gui.checkout import CheckoutWidget
from ui.gui.dialogs import Dialogs
from ui.gui.main_window import MainWindow

pytestmark = pytest.mark.gui


def sign_in_ready(qtbot: QtBot, window: MainWindow) -> None:
    window.show_sign_in()
    qtbot.waitUntil(lambda: window.sign_in.users.count() > 0)
    assert window.sign_in.pin.hasFocus()


def test_wrong_pin_says_so_and_the_right_one_opens_the_checkout(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in_ready(qtbot, window)
    assert window.sign_in.users.currentItem().text() == "Cashier (cashier)"
    type_keys(qtbot, "9999")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sign_in.message.text() == "Wrong PIN.")
    assert window.pages.currentWidget() is window.sign_in
    type_keys(qtbot, "0000")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.checkout)
    assert window.status.cashier.text() == "Cashier: Cashier"
    assert window.status.till.text() == "Till: T1"


def test_keyboard_only_sale_pages_and_lock(
    qtbot: QtBot, window: MainWindow, demo_summary: DemoSummary, demo_path: Path
) -> None:
    sign_in_ready(qtbot, window)
    press(qtbot, Qt.Key.Key_Down)  # Manager
    type_keys(qtbot, "1234")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.checkout is not None and window.checkout.scan_entry.hasFocus())
    checkout = window.checkout
    assert checkout is not None
    bag = in_store_ean(900)
    scan(qtbot, checkout, demo_summary.sample_item)
    scan(qtbot, checkout, bag)
    scan(qtbot, checkout, demo_summary.sample_coupon)
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_Plus)
    assert cell(checkout, 1, 2) == "2"
    press(qtbot, Qt.Key.Key_F5)
    type_keys(qtbot, "5000")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checkout.sale.receipt is not None)
    [(user, total)] = query(
        demo_path, "SELECT users.name, total FROM sales JOIN users ON users.id = sales.user_id"
    )
    assert user == "Manager"
    assert total == checkout.sale.receipt.total
    assert query(demo_path, "SELECT SUM(quantity) FROM sale_lines") == [(3,)]

    press(qtbot, Qt.Key.Key_F10)
    assert window.pages.currentWidget() is window.back_office
    press(qtbot, Qt.Key.Key_F9)
    assert window.pages.currentWidget() is checkout
    assert checkout.scan_entry.hasFocus()
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.sign_in
    assert window.sign_in.message.text() == "Locked. Sign in to go on."
    press(qtbot, Qt.Key.Key_F9)  # locked: the checkout stays closed
    assert window.pages.currentWidget() is window.sign_in
    assert window.status.cashier.text() == ""
    qtbot.waitUntil(lambda: window.sign_in.users.currentItem().text() == "Manager (manager)")
    type_keys(qtbot, "1234")
    press(qtbot, Qt.Key.Key_Return)  # the same cart is back
    qtbot.waitUntil(lambda: window.pages.currentWidget() is checkout)
    assert checkout.scan_entry.hasFocus()


def test_run_gui_signs_in_directly_and_reports_ready(qtbot: QtBot, demo_path: Path) -> None:
    seen: list[QWidget | None] = []

    def ready(window: MainWindow) -> None:
        seen.append(QApplication.focusWidget())
        assert window.checkout is not None
        seen.append(window.checkout.scan_entry)
        QTimer.singleShot(0, window.close)

    code = gui_app.run_gui(str(demo_path), user="Cashier", pin="0000", on_ready=ready)
    assert code == 0
    assert seen[0] is seen[1]


def test_database_newer_than_the_app_is_refused_in_plain_words(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "newer.db"
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    shown: list[str] = []
    monkeypatch.setattr(Dialogs, "error", classmethod(lambda cls, parent, text: shown.append(text)))
    assert gui_app.run_gui(str(path)) == 1
    [message] = shown
    assert "newer version of posapp" in message


def test_status_bar_shows_busy_while_the_worker_is_slow(
    qtbot: QtBot, checkout: CheckoutWidget
) -> None:
    window = checkout.window()
    assert isinstance(window, MainWindow)
    release = threading.Event()
    window.ops.run(lambda: release.wait(10))
    qtbot.waitUntil(window.status.busy.isVisible)
    scan(qtbot, checkout, in_store_ean(3))  # scanning still works while busy
    release.set()
    qtbot.waitUntil(lambda: not window.status.busy.isVisible())
    assert cell(checkout, 0, 1) == in_store_ean(3)
