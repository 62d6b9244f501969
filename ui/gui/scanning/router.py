"""Where a scan goes: the active scan target (checkout, stock count, search), whatever has focus.

Each screen that takes scans registers a target when it is shown; the serial scanner and the
keyboard-wedge filter deliver to whichever target is active. With none (the till is locked) a scan
is not lost silently: ``unrouted`` says so, and the status bar shows it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

ScanTarget = Callable[[str], None]


class ScanRouter(QObject):
    unrouted = Signal(str)  # a scan came while no screen takes scans
    delivered = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target: ScanTarget | None = None

    @property
    def active(self) -> bool:
        return self._target is not None

    def set_target(self, target: ScanTarget | None) -> None:
        self._target = target

    def deliver(self, code: str) -> None:
        if self._target is None:
            self.unrouted.emit(code)
            return
        self._target(code)
        self.delivered.emit(code)
