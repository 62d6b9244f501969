"""Scanner settings for this till: the serial (or USB-serial) scanner, keyboard scanners, and the
calibration panel that measures a keyboard scanner. Save writes scanner.json; nothing is saved
before that, and a setting no scanner could have is explained beside the Save button."""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp.i18n import tr
from posapp.scanning.config import (
    BYTE_SIZES,
    STOP_BITS,
    ScannerConfig,
    SerialConfig,
    save_config,
)
from posapp.scanning.ports import PortInfo, serial_ports
from ui.gui.backoffice.calibration_panel import CalibrationPanel
from ui.gui.backoffice.exclusive_form import ExclusiveForm
from ui.gui.backoffice.scanner_form_parts import (
    BAUD_RATES,
    grid_row,
    hint_label,
    shown_text,
    stop_bits_text,
    typed_text,
)
from ui.gui.backoffice.widgets import FormBox, MessageLabel, push_button

log = logging.getLogger(__name__)


class SerialForm(FormBox):
    """Where the serial scanner is plugged in and how it speaks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Serial or USB-serial scanner"), parent)
        self.ports: list[PortInfo] = []
        self.url = QComboBox(self)
        self.url.setEditable(True)
        self.url.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        url_line = self.url.lineEdit()
        if url_line is not None:  # an editable combo box always has one
            url_line.setPlaceholderText(tr("none, e.g. COM3"))
        self.find_button = push_button(tr("Find ports"), self)
        self.port_hint = hint_label("", self)
        self.baud = QComboBox(self)
        self.baud.setEditable(True)
        self.baud.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.baud.setValidator(QIntValidator(1, 10_000_000, self))
        for rate in BAUD_RATES:
            self.baud.addItem(str(rate))
        self.data_bits = QComboBox(self)
        for size in sorted(BYTE_SIZES, reverse=True):
            self.data_bits.addItem(str(size), size)
        self.parity = QComboBox(self)
        for name, letter in (
            (tr("None (N)"), "N"),
            (tr("Even (E)"), "E"),
            (tr("Odd (O)"), "O"),
            (tr("Mark (M)"), "M"),
            (tr("Space (S)"), "S"),
        ):
            self.parity.addItem(name, letter)
        self.stop_bits = QComboBox(self)
        for bits in STOP_BITS:
            self.stop_bits.addItem(stop_bits_text(bits), bits)
        self.prefix = QLineEdit(self)
        self.prefix.setPlaceholderText(tr("e.g. \\x02"))
        self.suffix = QLineEdit(self)
        self.suffix.setPlaceholderText(tr("e.g. #"))
        self.device = QLineEdit(self)
        self.device.setPlaceholderText(tr("e.g. 05E0:1200"))
        self.use_id_button = push_button(tr("Use this port's USB id"), self)
        self.frame_hint = hint_label(
            tr(
                "A code ends at CR or LF, or at the suffix. Write control characters as \\x02, "
                "\\r or \\t. With a USB id the scanner is found again under another port."
            ),
            self,
        )
        self._lay_out()
        self.url.currentTextChanged.connect(lambda _text: self._show_port())
        self.find_button.clicked.connect(self.find_ports)
        self.use_id_button.clicked.connect(self._use_port_id)

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid_row(grid, 0, (tr("Port or URL"), 1), (self.url, 2), (self.find_button, 1))
        grid_row(grid, 1, ("", 1), (self.port_hint, 3))
        grid_row(grid, 2, (tr("Baud rate"), 1), (self.baud, 1), (tr("Data bits"), 1))
        grid.addWidget(self.data_bits, 2, 3)
        grid_row(grid, 3, (tr("Parity"), 1), (self.parity, 1), (tr("Stop bits"), 1))
        grid.addWidget(self.stop_bits, 3, 3)
        grid_row(grid, 4, (tr("Prefix"), 1), (self.prefix, 1), (tr("Suffix"), 1))
        grid.addWidget(self.suffix, 4, 3)
        grid_row(grid, 5, (tr("USB id (VID:PID)"), 1), (self.device, 2))
        grid.addWidget(self.use_id_button, 5, 3)
        grid_row(grid, 6, (self.frame_hint, 4))

    def find_ports(self) -> None:
        """List the serial ports now plugged in; what is typed in the port field stays."""
        typed = self.url.currentText()
        try:
            self.ports = serial_ports()
        except Exception:  # a broken driver must not take the settings page down
            log.warning("listing serial ports failed", exc_info=True)
            self.ports = []
        self.url.blockSignals(True)
        self.url.clear()
        for port in self.ports:
            self.url.addItem(port.device, port)
        self.url.setEditText(typed)
        self.url.blockSignals(False)
        self._show_port()

    def chosen_port(self) -> PortInfo | None:
        typed = self.url.currentText().strip()
        return next((port for port in self.ports if port.device == typed), None)

    def _show_port(self) -> None:
        port = self.chosen_port()
        if port is not None:
            words = [port.description or port.manufacturer]
            if port.vid_pid:
                words.append(tr("USB id {vid_pid}", vid_pid=port.vid_pid))
            if port.serial_number:
                words.append(tr("serial number {number}", number=port.serial_number))
            self.port_hint.setText(" · ".join(word for word in words if word))
        elif not self.ports:
            self.port_hint.setText(tr("No serial ports found on this computer."))
        else:
            found = ", ".join(port.device for port in self.ports)
            self.port_hint.setText(tr("Ports found: {ports}", ports=found))
        self.use_id_button.setEnabled(port is not None and bool(port.vid_pid))

    def _use_port_id(self) -> None:
        port = self.chosen_port()
        if port is not None and port.vid_pid:
            suffix = f":{port.serial_number}" if port.serial_number else ""
            self.device.setText(port.vid_pid + suffix)

    def set_settings(self, serial: SerialConfig) -> None:
        self.url.setEditText(serial.url)
        self.baud.setEditText(str(serial.baudrate))
        self.data_bits.setCurrentIndex(max(0, self.data_bits.findData(serial.bytesize)))
        self.parity.setCurrentIndex(max(0, self.parity.findData(serial.parity)))
        self.stop_bits.setCurrentIndex(max(0, self.stop_bits.findData(serial.stopbits)))
        self.prefix.setText(shown_text(serial.prefix))
        self.suffix.setText(shown_text(serial.suffix))
        self.device.setText(serial.device)
        self._show_port()

    def settings(self) -> SerialConfig:
        """What the form says; ValueError in plain words for what cannot be read."""
        baud = self.baud.currentText().strip()
        if not baud.isdigit():
            raise ValueError(tr("The baud rate must be a whole number, e.g. 9600."))
        prefix, suffix = typed_text(self.prefix.text()), typed_text(self.suffix.text())
        try:
            (prefix + suffix).encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError(
                tr("A serial prefix or suffix can only hold Latin letters, digits and symbols.")
            ) from None
        return SerialConfig(
            url=self.url.currentText().strip(),
            baudrate=int(baud),
            bytesize=int(self.data_bits.currentData()),
            parity=str(self.parity.currentData()),
            stopbits=float(self.stop_bits.currentData()),
            suffix=suffix,
            prefix=prefix,
            device=self.device.text().strip(),
        )


class WedgeForm(FormBox):
    """Keyboard ("wedge") scanners: how fast a scan types, and how short a code can be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Keyboard scanners"), parent)
        self.enabled = QCheckBox(tr("Tell keyboard scanners' codes from typing"), self)
        self.max_gap = QSpinBox(self)
        self.max_gap.setRange(1, 200)
        self.max_gap.setSuffix(tr(" ms"))
        self.min_length = QSpinBox(self)
        self.min_length.setRange(1, 128)
        self.prefix = QLineEdit(self)
        self.prefix.setPlaceholderText(tr("none, e.g. \\x02"))
        hint = hint_label(
            tr(
                "Scanners type a key every 7 to 16 ms, people slower than 50 ms. Calibrate to "
                "measure your scanner."
            ),
            self,
        )
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid_row(grid, 0, (self.enabled, 4))
        grid_row(
            grid,
            1,
            (tr("Longest gap between keys"), 1),
            (self.max_gap, 1),
            (tr("Shortest code"), 1),
            (self.min_length, 1),
        )
        grid_row(grid, 2, (tr("Prefix character"), 1), (self.prefix, 3))
        grid_row(grid, 3, (hint, 4))
        self.enabled.toggled.connect(self._enable)

    def _enable(self, enabled: bool) -> None:
        for widget in (self.max_gap, self.min_length, self.prefix):
            widget.setEnabled(enabled)

    def set_settings(self, config: ScannerConfig) -> None:
        self.enabled.setChecked(config.wedge_enabled)
        self._enable(config.wedge_enabled)
        self.max_gap.setValue(round(config.wedge.max_gap_ms))
        self.min_length.setValue(config.wedge.min_length)
        self.prefix.setText(shown_text(config.wedge.prefix))

    def settings(self, config: ScannerConfig) -> ScannerConfig:
        """``config`` with what the form says (terminators and the rest kept as they were)."""
        wedge = replace(
            config.wedge,
            max_gap_ms=float(self.max_gap.value()),
            min_length=self.min_length.value(),
            prefix=typed_text(self.prefix.text()),
        )
        return replace(config, wedge=wedge, wedge_enabled=self.enabled.isChecked())


class ScannerPage(QWidget):
    """This till's scanner settings and the keyboard-scanner calibration; Save writes them."""

    applied = Signal(object)  # the ScannerConfig just saved
    calibrating = Signal(bool)  # True while the calibration field waits for a scan

    def __init__(self, config: ScannerConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.serial_form = SerialForm(self)
        self.wedge_form = WedgeForm(self)
        self.exclusive_form = ExclusiveForm(self)
        self.calibration = CalibrationPanel(self)
        self.save_button = push_button(tr("Save"), self)
        self.message = MessageLabel(self)
        self._lay_out()
        for form in (self.serial_form, self.wedge_form, self.exclusive_form):
            form.submitted.connect(self.save)
        self.save_button.clicked.connect(self.save)
        self.calibration.use_gap.connect(self.use_gap)
        self.calibration.calibrating.connect(self.calibrating)
        self.serial_form.find_ports()
        self.set_config(config)

    def _lay_out(self) -> None:
        self.save_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.message, 1)
        left = QVBoxLayout()
        left.addWidget(self.serial_form)
        left.addWidget(self.wedge_form)
        left.addWidget(self.exclusive_form)
        left.addLayout(buttons)
        left.addStretch(1)
        content = QWidget()
        content.setAutoFillBackground(False)
        columns = QHBoxLayout(content)
        columns.setSpacing(16)
        columns.addLayout(left, 1)
        columns.addWidget(self.calibration, 1)
        scroll = QScrollArea(self)  # a small window scrolls instead of squeezing the forms
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.viewport().setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setFocusProxy(self.serial_form.url)
        self.setTabOrder(self.wedge_form.prefix, self.exclusive_form.device)
        self.setTabOrder(self.exclusive_form.device, self.save_button)
        self.setTabOrder(self.save_button, self.calibration.field)

    def set_config(self, config: ScannerConfig) -> None:
        """Show ``config`` in the forms (what is typed and not saved is dropped)."""
        self.config = config
        self.serial_form.set_settings(config.serial)
        self.wedge_form.set_settings(config)
        self.exclusive_form.set_device(config.exclusive_device)
        self.message.clear_message()

    def read_config(self) -> ScannerConfig:
        """The settings on the screen; ValueError in plain words for what cannot be read."""
        config = replace(
            self.config,
            serial=self.serial_form.settings(),
            exclusive_device=self.exclusive_form.chosen(),
        )
        return self.wedge_form.settings(config)

    def save(self) -> bool:
        """Check and save the settings; say what is wrong inline. True when saved."""
        try:
            config = self.read_config()
            path = save_config(config)
        except ValueError as error:  # ScannerConfigError (could not write) is a ValueError too
            self.message.show_error(str(error))
            return False
        self.config = config
        self.message.show_info(tr("Saved in {path}.", path=path))
        self.applied.emit(config)
        return True

    def use_gap(self, gap_ms: int) -> None:
        """Put a measured gap into the setting; it is saved with Save."""
        self.wedge_form.max_gap.setValue(gap_ms)
        self.message.show_note(
            tr("The longest gap is now {gap} ms; press Save to keep it.", gap=gap_ms)
        )
        self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)
