"""The serial scanner in the GUI: SerialReader's thread, reported through Qt signals.

The reader calls back on its own thread; emitting a signal from there queues the call onto the
GUI thread (connect them to methods of objects that live there, never to a lambda), so no
widget is touched off it. Scans arrive in the order the scanner sent them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from posapp.scanning.frames import Rejected, Scan
from posapp.scanning.ports import PortSettings
from posapp.scanning.reader import Connected, Disconnected, ReaderEvent, SerialReader


class SerialScanner(QObject):
    scanned = Signal(str, str)  # code, AIM symbology ('' when the scanner sends none)
    connected = Signal(str)  # port
    disconnected = Signal(str, str)  # port, why
    rejected = Signal(str)  # what was wrong, in the cashier's words

    def __init__(self, settings: PortSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.is_connected = False
        self._reader = SerialReader(settings, self._on_event)

    def start(self) -> None:
        self._reader.start()

    def stop(self) -> None:
        self._reader.stop()

    @property
    def reader(self) -> SerialReader:
        return self._reader

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
