"""The network runner: a hub call that hangs never holds up the database worker."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from pytestqt.qtbot import QtBot

from ui.gui.operations import NetworkOperations, Operations

pytestmark = pytest.mark.gui


def test_a_hanging_network_call_does_not_hold_up_the_database_worker(qtbot: QtBot) -> None:
    database, network = Operations(), NetworkOperations()
    gate = threading.Event()
    done: list[str] = []
    network.run(lambda: gate.wait(10) and "hub", done.append)
    network.run(lambda: "another hub call", done.append)  # a pool: not behind the first
    database.run(lambda: "scan", done.append)
    qtbot.waitUntil(lambda: sorted(done) == ["another hub call", "scan"])
    gate.set()
    qtbot.waitUntil(lambda: len(done) == 3)
    assert done[-1] == "hub"
    assert network.wait_idle() and database.wait_idle()
