"""GUI fixtures: a main window on a private demo database, signed in as the cashier, and helpers
that act through the keyboard the way a cashier (or a wedge scanner) does."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

pytest.importorskip("PySide6")

# pytest-qt makes its QApplication once per session, before the per-test environment exists
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.services.context import Actor
from ui.gui.checkout import CheckoutWidget
from ui.gui.main_window import MainWindow
from ui.gui.operations import Operations


@pytest.fixture
def ops(qtbot: QtBot) -> Iterator[Operations]:
    operations = Operations()
    yield operations
    operations.wait_idle()
    QApplication.processEvents()


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, ops: Operations) -> Iterator[MainWindow]:
    """The main window before anyone signs in."""
    main = MainWindow(demo_db, ops)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    ops.wait_idle()
    QApplication.processEvents()  # deliver the last results while their widgets still exist


@pytest.fixture
def checkout(qtbot: QtBot, window: MainWindow, cashier: Actor) -> CheckoutWidget:
    """The checkout, signed in as the demo cashier, ready for a scan."""
    window.signed_in(cashier)
    assert window.checkout is not None
    qtbot.waitUntil(window.checkout.scan_entry.hasFocus)
    return window.checkout
