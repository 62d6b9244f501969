"""Linux exclusive mode on the scanner page: pick the keyboard scanner's own input device, so its
codes reach posapp only. Needs the optional evdev package; without it the choice is off and says
how to get it. The device is kept by USB id when it has one (it survives a replug on another
path), else by name; the only keyboard of the computer is never offered for taking over."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QWidget

from posapp.i18n import tr
from posapp.scanning.evdev_reader import (
    InputDeviceInfo,
    evdev_available,
    grab_refusal,
    list_input_devices,
    pick_device,
)
from ui.gui.backoffice.scanner_form_parts import grid_row, hint_label
from ui.gui.backoffice.widgets import FormBox, push_button


def device_choice(device: InputDeviceInfo) -> str:
    """How the settings name a device: its USB id when it has one, else its name."""
    return device.vid_pid or device.name


def device_label(device: InputDeviceInfo) -> str:
    ids = f" ({device.vid_pid})" if device.vid_pid else ""
    return f"{device.name}{ids} — {device.path}"


class ExclusiveForm(FormBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Take a keyboard scanner over (Linux)"), parent)
        self.device = QComboBox(self)
        self.find_button = push_button(tr("Find devices"), self)
        self.hint = hint_label("", self)
        self._devices: list[InputDeviceInfo] = []
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 1)
        grid_row(grid, 0, (tr("Input device"), 1), (self.device, 1), (self.find_button, 1))
        grid_row(grid, 1, (self.hint, 3))
        self.find_button.clicked.connect(self.find_devices)
        self.device.currentIndexChanged.connect(lambda _index: self._explain())

    def find_devices(self) -> None:
        chosen = self.chosen()
        self._devices = list_input_devices()
        self.device.clear()
        self.device.addItem(tr("none"), "")
        for info in self._devices:
            self.device.addItem(device_label(info), device_choice(info))
        self._choose(chosen)

    def set_device(self, wanted: str) -> None:
        if self.device.count() == 0:
            self.find_devices()
        self._choose(wanted)

    def chosen(self) -> str:
        return str(self.device.currentData() or "")

    def _choose(self, wanted: str) -> None:
        index = self.device.findData(wanted) if wanted else 0
        if index < 0:  # saved, but not plugged in now: keep it, say so
            self.device.addItem(tr("{device} (not found now)", device=wanted), wanted)
            index = self.device.count() - 1
        self.device.setCurrentIndex(index)
        self._explain()

    def _explain(self) -> None:
        if not evdev_available():
            self.device.setEnabled(False)
            self.hint.setText(
                tr(
                    "Needs the evdev package: pip install 'posapp[evdev]'. Without it, keyboard "
                    "scanners type into whatever program has the focus."
                )
            )
            return
        target = pick_device(self.chosen(), self._devices) if self.chosen() else None
        refusal = grab_refusal(target, self._devices) if target else None
        self.hint.setText(
            refusal
            or tr("The chosen scanner's codes reach posapp only, whichever program has the focus.")
        )
