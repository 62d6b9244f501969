"""The application-wide keyboard-wedge filter: scans go to the scan target, typing stays typing.

Installed on the QApplication, it sees every key press before the focused widget does and feeds
it to posapp's WedgeTracker with the time the key was made (the window system's timestamp; the
arrival time for synthetic events, which carry none). A key that may start a scan is held back;
once the tracker decides, held keys are either handed back to the widget they were meant for, in
order (typing), or swallowed and the code delivered to the router (a scan). So a scan's characters
never land in the focused text field, and a person's typing arrives as typed, at most one maximum
gap late.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from posapp.scanning.wedge import Piece, Typing, WedgeScan, WedgeSettings, WedgeTracker

TERMINATOR_KEYS = {
    Qt.Key.Key_Return: "\r",
    Qt.Key.Key_Enter: "\r",
    Qt.Key.Key_Tab: "\t",
}
PLAIN_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


@dataclass
class HeldKey:
    receiver: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeFilter(QObject):
    scanned = Signal(str)  # a whole code from a keyboard scanner

    def __init__(self, settings: WedgeSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True
        self.paused = False  # e.g. while the calibration field measures a scan itself
        self._tracker = WedgeTracker(settings)
        self._held: list[HeldKey] = []
        self._replaying = False
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self.release)
        self.settings = settings

    @property
    def settings(self) -> WedgeSettings:
        return self._tracker.settings

    @settings.setter
    def settings(self, settings: WedgeSettings) -> None:
        self.release()
        self._tracker = WedgeTracker(settings)
        self._expiry.setInterval(math.ceil(settings.max_gap_ms) + 1)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QApplication) -> None:
        self.release()
        app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            # a shortcut (F6, Ctrl+L...) fires before its key press is delivered: typing held
            # back must reach its field first
            assert isinstance(event, QKeyEvent)
            if self._held and key_char(event) is None:
                self.release()
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or not self._is_key_receiver(watched):
            return False  # the same key on its way to the focus widget, or to a window
        assert isinstance(event, QKeyEvent)
        if not self.enabled or self.paused:
            self.release()
            return False
        char = key_char(event)
        if char is None:
            self.release()  # Ctrl+..., F-keys, arrows: whatever was held was typing
            return False
        return self._track(watched, event, char)

    def release(self) -> None:
        """Hand every held key back as typing (time ran out, or a non-character key came)."""
        self._expiry.stop()
        self._settle(self._tracker.release(), current=None)

    # -- deciding ------------------------------------------------------------------------------

    def _track(self, receiver: QWidget, event: QKeyEvent, char: str) -> bool:
        current = HeldKey(receiver, event.key(), event.modifiers(), event.text())
        pieces = self._tracker.key(key_time(event), char)
        if char not in self.settings.terminators:
            self._held.append(current)
        swallowed = self._settle(pieces, current)
        if self._tracker.holding:
            self._expiry.start()
        else:
            self._expiry.stop()
        return swallowed

    def _settle(self, pieces: list[Piece], current: HeldKey | None) -> bool:
        """Act on what the tracker decided; True when ``current`` must not reach its widget."""
        passed_current = False
        for piece in pieces:
            if isinstance(piece, WedgeScan):
                self._held = []  # every held key was part of the code
                self.scanned.emit(piece.code)
            elif isinstance(piece, Typing):
                passed_current |= self._hand_back(len(piece.text), current)
        return not passed_current

    def _hand_back(self, count: int, current: HeldKey | None) -> bool:
        """Give the first ``count`` held keys back, in order; True if ``current`` is one of them
        (it is then the last, and goes on by itself)."""
        if current is not None and not self._held:
            return True  # the terminator itself, typed as such
        keys, self._held = self._held[:count], self._held[count:]
        passed_current = False
        for held in keys:
            if held is current:
                passed_current = True
            else:
                self._replay(held)
        return passed_current

    def _replay(self, held: HeldKey) -> None:
        if not shiboken6.isValid(held.receiver):
            return
        event = QKeyEvent(QEvent.Type.KeyPress, held.key, held.modifiers, held.text)
        self._replaying = True
        try:
            QApplication.sendEvent(held.receiver, event)
        finally:
            self._replaying = False

    @staticmethod
    def _is_key_receiver(widget: QWidget) -> bool:
        focus = QApplication.focusWidget()
        return widget is focus if focus is not None else widget.isWindow()


def key_char(event: QKeyEvent) -> str | None:
    """The character a key press types, Enter/Tab as terminators; None for any other key."""
    if event.modifiers() & ~PLAIN_MODIFIERS:
        return None
    terminator = TERMINATOR_KEYS.get(Qt.Key(event.key()))
    if terminator is not None:
        return terminator
    text = event.text()
    return text if len(text) == 1 and text.isprintable() else None


def key_time(event: QKeyEvent) -> float:
    """When the key was made, in seconds: the window system's stamp, else now."""
    stamp = event.timestamp()
    return stamp / 1000.0 if stamp else time.monotonic()
