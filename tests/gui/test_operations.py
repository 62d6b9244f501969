"""Database operations deliver their results on the GUI thread, and never to a deleted widget."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.gui.operations import Operations

pytestmark = pytest.mark.gui


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    ops = Operations()
    label = QLabel()
    qtbot.addWidget(label)
    seen: list[str] = []

    ops.run(threading.current_thread, lambda worker: seen.append(worker.name))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] != threading.current_thread().name
    assert ops.pending == 0


def test_result_for_a_deleted_widget_is_dropped(qtbot: QtBot) -> None:
    ops = Operations()
    label = QLabel("waiting")
    ops.run(lambda: time.sleep(0.2) or "done", label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=5_000)  # no "already deleted" error raised


def test_failure_reaches_its_handler(qtbot: QtBot) -> None:
    ops = Operations()
    errors: list[Exception] = []

    def broken() -> None:
        raise ValueError("disk full")

    ops.run(broken, failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert str(errors[0]) == "disk full"
