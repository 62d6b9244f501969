"""This till's scanners as one object: the router, the keyboard-wedge filter and the serial scanner.

The main window owns one ``Scanners``. It routes every scan to the active scan target, tells the
status bar whether the scanner is connected (``state_changed``) and shows a hint for a dropped
frame or a scan that came while no screen takes scans (``hint``). ``apply`` takes new settings
from the settings page and restarts what changed, without restarting the app.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from posapp.i18n import tr
from posapp.scanning.config import ScannerConfig
from ui.gui.scanning.router import ScanRouter, ScanTarget
from ui.gui.scanning.serial_scanner import SerialScanner
from ui.gui.scanning.wedge_filter import WedgeFilter


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
        self.serial: SerialScanner | None = None
        self._port = ""  # where the serial scanner was found last (it may move after a replug)
        self._installed = False

    # -- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self._installed:
            self.wedge.install(app)
            self._installed = True
        self._start_serial()
        self._update_wedge()
        self._tell_state()

    def stop(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and self._installed:
            self.wedge.uninstall(app)
            self._installed = False
        self._stop_serial()

    def apply(self, config: ScannerConfig) -> None:
        """New settings: the wedge takes them at once; the serial port reopens if it changed."""
        serial_changed = config.serial != self.config.serial
        self.config = config
        self.wedge.settings = config.wedge
        if serial_changed:
            self._stop_serial()
            self._start_serial()
        self._update_wedge()
        self._tell_state()

    # -- routing -------------------------------------------------------------------------------

    def set_target(self, target: ScanTarget | None, name: str = "") -> None:
        self.router.set_target(target, name)
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

    # -- the serial scanner --------------------------------------------------------------------

    def _start_serial(self) -> None:
        if not self.config.serial.url:
            return
        self.serial = SerialScanner(self.config.serial.port_settings(), self)
        self.serial.scanned.connect(self._serial_scanned)
        self.serial.connected.connect(self._serial_connected)
        self.serial.disconnected.connect(self._serial_disconnected)
        self.serial.rejected.connect(self.hint)
        self.serial.start()

    def _stop_serial(self) -> None:
        if self.serial is not None:
            self.serial.stop()
            self.serial.deleteLater()
            self.serial = None

    def _serial_scanned(self, code: str, _symbology: str) -> None:
        self.router.deliver(code)

    def _serial_connected(self, port: str) -> None:
        self._port = port
        self._tell_state()

    def _serial_disconnected(self, _port: str, _why: str) -> None:
        self._tell_state()

    def _tell_state(self) -> None:
        if self.serial is None:
            if self.config.wedge_enabled:
                self.state_changed.emit(tr("Scanner: keyboard"), True)
            else:
                self.state_changed.emit(tr("Scanner: none set up"), False)
        elif self.serial.is_connected:
            self.state_changed.emit(
                tr("Scanner: connected ({port})", port=self._port or self.config.serial.url), True
            )
        else:
            self.state_changed.emit(
                tr("Scanner: NOT connected ({port})", port=self.config.serial.url), False
            )
