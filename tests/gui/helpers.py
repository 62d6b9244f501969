"""Keyboard helpers for GUI tests: type like a cashier or a wedge scanner, then read the screen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from posapp.scanning.wedge import WedgeSettings
from ui.gui.checkout import CheckoutWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


HUMAN_KEY_GAP_MS = 60  # people type slower than 50 ms a key; wedge scanners 7-16 ms
# a character key may start a scan, so the wedge filter holds it for one maximum gap
CHARACTER_KEY_SETTLE_MS = int(WedgeSettings().max_gap_ms) + 20


def type_keys(qtbot: QtBot, text: str) -> None:
    """Type like a person: the wedge filter hands the keys to the focused field."""
    qtbot.keyClicks(focused(), text, delay=HUMAN_KEY_GAP_MS)
    qtbot.wait(CHARACTER_KEY_SETTLE_MS)


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)
    if key < Qt.Key.Key_Escape and modifier == Qt.KeyboardModifier.NoModifier:
        qtbot.wait(CHARACTER_KEY_SETTLE_MS)


def scan(qtbot: QtBot, checkout: CheckoutWidget, code: str) -> None:
    """Type a code and Enter as fast as a wedge scanner, into whatever has the focus."""
    qtbot.keyClicks(focused(), code)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


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
