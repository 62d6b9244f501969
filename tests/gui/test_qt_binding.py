"""The Qt binding itself: PySide6 6.12.0's Signal.emit() returned True without a reference, so
every emit from Python wore down True's reference count until the process aborted."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.gui


class _Sender(QObject):
    fired = Signal(int)


def test_emitting_a_signal_keeps_reference_counts() -> None:
    sender = _Sender()
    received: list[int] = []
    sender.fired.connect(received.append)
    before = sys.getrefcount(True)
    for number in range(100):
        sender.fired.emit(number)
    assert sys.getrefcount(True) >= before
    assert received == list(range(100))
