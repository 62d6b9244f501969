"""Scanners read on their own thread (serial port, grabbed input device), reported as Qt signals.

A reader calls back on its own thread; emitting a signal from there queues the call onto the
GUI thread (connect them to methods of objects that live there, never to a lambda), so no
widget is touched off it. Scans arrive in the order the scanner sent them.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal

from posapp.i18n import tr
from posapp.scanning.evdev_reader import ExclusiveReader, ExclusiveSettings
from posapp.scanning.frames import Rejected, Scan
from posapp.scanning.ports import PortSettings
from posapp.scanning.reader import (
    Connected,
    Disconnected,
    EventSink,
    ReaderEvent,
    SerialReader,
)


class Reader(Protocol):
    def start(self) -> None: ...

    def stop(self, timeout_s: float = ...) -> None: ...


class ReaderBridge(QObject):
    scanned = Signal(str, str)  # code, AIM symbology ('' when the scanner sends none)
    connected = Signal(str)  # port or device
    disconnected = Signal(str, str)  # port or device, why
    rejected = Signal(str)  # what was wrong, in the cashier's words

    def __init__(self, where: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.where = where  # the configured port or device, for the status bar
        self.is_connected = False
        self._reader = self._make_reader(self._on_event)

    def _make_reader(self, sink: EventSink) -> Reader:
        raise NotImplementedError

    def plain_reason(self, why: str) -> str:
        """Why the scanner is not connected, in the cashier's words."""
        return why

    def start(self) -> None:
        self._reader.start()

    def stop(self) -> None:
        self._reader.stop()

    def _on_event(self, event: ReaderEvent) -> None:  # on the reader's thread
        if isinstance(event, Scan):
            self.scanned.emit(event.code, event.symbology or "")
        elif isinstance(event, Rejected):
            self.rejected.emit(event.message)
        elif isinstance(event, Connected):
            self.is_connected = True
            self.connected.emit(event.port)
        elif isinstance(event, Disconnected):
            self.is_connected = False
            self.disconnected.emit(event.port, event.reason)


class SerialScanner(ReaderBridge):
    """A serial or USB-serial scanner (pyserial), reopened by itself after an unplug."""

    def __init__(self, settings: PortSettings, parent: QObject | None = None) -> None:
        self.settings = settings
        super().__init__(settings.url, parent)

    def _make_reader(self, sink: EventSink) -> Reader:
        return SerialReader(self.settings, sink)

    def plain_reason(self, why: str) -> str:
        # pyserial's words ("[Errno 2] could not open port...") go to the log, not the screen
        return tr(
            "The scanner on {port} is not there: check its cable. posapp connects to it by "
            "itself when it is back.",
            port=self.where,
        )


class InputDeviceScanner(ReaderBridge):
    """A keyboard-wedge scanner's input device, read exclusively (Linux, evdev)."""

    def __init__(self, settings: ExclusiveSettings, parent: QObject | None = None) -> None:
        self.settings = settings
        super().__init__(settings.device, parent)

    def _make_reader(self, sink: EventSink) -> Reader:
        return ExclusiveReader(self.settings, sink)
