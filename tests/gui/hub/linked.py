"""Opening and closing the main window of a till linked to a hub, in a test."""

from __future__ import annotations

import httpx
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import new_uuid
from posapp.services.context import Actor
from ui.gui.main_window import MainWindow
from ui.gui.operations import Operations


def linked_window(qtbot: QtBot, db: Database, ops: Operations, actor: Actor) -> MainWindow:
    """A main window on a linked database, signed in, with its hub link in place."""
    window = MainWindow(db, ops)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.hub is not None)
    window.signed_in(actor)
    assert window.checkout is not None
    qtbot.waitUntil(window.checkout.scan_entry.hasFocus)
    return window


def close(window: MainWindow, ops: Operations) -> None:
    window.close()  # stops the sync and waits for the network runner
    ops.wait_idle()
    QApplication.processEvents()


def sell_online(online: httpx.Client, barcode: str) -> httpx.Response:
    """The online store sells the item through the hub."""
    return online.post(f"/v1/items/{barcode}/sell", json={"order_ref": new_uuid()})
