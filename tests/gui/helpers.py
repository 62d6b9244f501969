"""Keyboard helpers for GUI tests: type like a cashier or a wedge scanner, then read the screen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.gui.checkout import CheckoutWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_keys(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)


def scan(qtbot: QtBot, checkout: CheckoutWidget, code: str) -> None:
    """Type a code into whatever has the focus and press Enter, like a wedge scanner."""
    type_keys(qtbot, code)
    press(qtbot, Qt.Key.Key_Return)


def settle(qtbot: QtBot, checkout: CheckoutWidget) -> None:
    """Wait until every scan made so far has been resolved and applied."""
    qtbot.waitUntil(lambda: checkout.sale.pending == 0)


def cell(checkout: CheckoutWidget, row: int, column: int) -> str:
    return str(checkout.model.data(checkout.model.index(row, column)))


def rows(checkout: CheckoutWidget) -> list[list[str]]:
    model = checkout.model
    return [
        [cell(checkout, r, c) for c in range(model.columnCount())] for r in range(model.rowCount())
    ]


def query(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, args).fetchall()
