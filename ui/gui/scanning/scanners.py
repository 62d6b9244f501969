"""This till's scanners as one object: the router, the keyboard-wedge filter and
the scanners read on their own threads (a serial port, a grabbed input device).

The main window owns one ``Scanners``. It routes every scan to the active scan target, tells the
status bar whether the scanner is connected (``state_changed``) and shows a hint for a dropped
frame or a scan that came while no screen takes scans (``hint``). ``apply`` takes new settings
from the settings page and restarts what changed, without restarting the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from posapp.i18n import tr
from posapp.scanning.config import ScannerConfig
from ui.gui.scanning.router import ScanRouter, ScanTarget
from ui.gui.scanning.wedge_filter import WedgeFilter

if TYPE_CHECKING:  # loaded only on a till with such a scanner: see _start_readers
    from ui.gui.scanning.readers import ReaderBridge


class Scanners(QObject):
    state_changed = Signal(str, bool)  # what to show in the status bar, and whether it is good
    hint = Signal(str)  # a passing message: a dropped frame, a scan nobody took

    def __init__(self, config: ScannerConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.router = ScanRouter(self)
        self.router.unrouted.connect(self._unrouted)
        self.wedge = WedgeFilter(config.wedge, self)
        self.wedge.scanned.connect(self.router.deliver)
        self.readers: list[ReaderBridge] = []  # serial port, grabbed input device
        self._installed = False

    # -- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self._installed:
            self.wedge.install(app)
            self._installed = True
        self._start_readers()
        self._update_wedge()
        self._tell_state()

    def stop(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and self._installed:
            self.wedge.uninstall(app)
            self._installed = False
        self._stop_readers()

    def apply(self, config: ScannerConfig) -> None:
        """New settings: the wedge takes them at once; the readers reopen if theirs changed."""
        readers_changed = (config.serial, config.exclusive_device) != (
            self.config.serial,
            self.config.exclusive_device,
        )
        self.config = config
        self.wedge.settings = config.wedge
        if readers_changed:
            self._stop_readers()
            self._start_readers()
        self._update_wedge()
        self._tell_state()

    # -- routing -------------------------------------------------------------------------------

    def set_target(self, target: ScanTarget | None) -> None:
        self.router.set_target(target)
        self._update_wedge()

    def pause_wedge(self, paused: bool) -> None:
        """While a screen measures keys itself (calibration), the wedge filter lets them be."""
        self.wedge.paused = paused
        if paused:
            self.wedge.release()

    def _update_wedge(self) -> None:
        self.wedge.enabled = self.config.wedge_enabled and self.router.active
        if not self.wedge.enabled:
            self.wedge.release()

    def _unrouted(self, code: str) -> None:
        self.hint.emit(tr("Scan of {code} ignored: sign in first.", code=code))

    # -- scanners on their own threads ----------------------------------------------------------

    def _start_readers(self) -> None:
        serial, device = self.config.serial, self.config.exclusive_device
        if not (serial.url or device):
            return
        # pyserial and the evdev reader load only on a till that has such a scanner
        from posapp.scanning.evdev_reader import ExclusiveSettings
        from ui.gui.scanning.readers import InputDeviceScanner, SerialScanner

        if serial.url:
            self._add(SerialScanner(serial.port_settings(), self))
        if device:
            self._add(InputDeviceScanner(ExclusiveSettings(device), self))

    def _add(self, bridge: ReaderBridge) -> None:
        bridge.scanned.connect(self._read_scanned)
        bridge.connected.connect(self._reader_connected)
        bridge.disconnected.connect(self._reader_disconnected)
        bridge.rejected.connect(self.hint)
        self.readers.append(bridge)
        bridge.start()

    def _stop_readers(self) -> None:
        for bridge in self.readers:
            bridge.stop()
            bridge.deleteLater()
        self.readers = []

    def _read_scanned(self, code: str, _symbology: str) -> None:
        self.router.deliver(code)

    def _reader_connected(self, _where: str) -> None:
        self._tell_state()

    def _reader_disconnected(self, _where: str, why: str) -> None:
        bridge = self.sender()
        if why and bridge in self.readers:
            self.hint.emit(self.readers[self.readers.index(bridge)].plain_reason(why))
        self._tell_state()

    def _tell_state(self) -> None:
        if not self.readers:
            if self.config.wedge_enabled:
                self.state_changed.emit(tr("Scanner: keyboard"), True)
            else:
                self.state_changed.emit(tr("Scanner: none set up"), False)
            return
        missing = [bridge.where for bridge in self.readers if not bridge.is_connected]
        if missing:
            where = ", ".join(missing)
            self.state_changed.emit(tr("Scanner: NOT connected ({port})", port=where), False)
        else:
            where = ", ".join(bridge.where for bridge in self.readers)
            self.state_changed.emit(tr("Scanner: connected ({port})", port=where), True)
