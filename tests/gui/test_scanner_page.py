"""The scanner settings page: edit and save scanner.json, errors inline, and the calibration
panel timing a scan typed into its field (QTest key clicks with small delays, like a scanner)."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from posapp.scanning import calibration, evdev_reader
from posapp.scanning.calibration import CALIBRATION_CODE
from posapp.scanning.config import ScannerConfig, SerialConfig, config_path, load_config
from posapp.scanning.ports import PortInfo
from posapp.scanning.wedge import WedgeSettings
from tests.scanning.fake_evdev import FakeEvdev
from ui.gui.backoffice import scanner_page
from ui.gui.backoffice.scanner_form_parts import shown_text, typed_text
from ui.gui.backoffice.scanner_page import ScannerPage

pytestmark = pytest.mark.gui

FRENCH_ARRIVAL = "CQL)à&é\"'(-è_ç)QAZWY?"
SCANNER_PORT = PortInfo("/dev/ttyACM0", "Barcode scanner", "05E0:1200", "SN9", "Zebra")


@pytest.fixture
def page(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> ScannerPage:
    monkeypatch.setattr(scanner_page, "serial_ports", lambda: [SCANNER_PORT])
    shown = ScannerPage(ScannerConfig())
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    return shown


def type_fast(widget: QWidget, text: str, gap_s: float = 0.002) -> None:
    """Key presses with any text (QTest.keyClicks takes ASCII only), ``gap_s`` apart."""
    for char in text:
        key = ord(char.upper()) if ord(char) < 256 else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
        time.sleep(gap_s)


def start_calibration(qtbot: QtBot, page: ScannerPage) -> None:
    field = page.calibration.field
    with qtbot.waitSignal(page.calibrating, check_params_cb=lambda on: on is True):
        field.setFocus()
    qtbot.waitUntil(field.hasFocus)


def test_editing_and_saving_writes_scanner_json_and_emits_applied(
    qtbot: QtBot, page: ScannerPage
) -> None:
    form = page.serial_form
    qtbot.keyClicks(form.url.lineEdit(), "/dev/ttyACM0")
    assert "Barcode scanner" in form.port_hint.text() and "05E0:1200" in form.port_hint.text()
    qtbot.mouseClick(form.use_id_button, Qt.MouseButton.LeftButton)
    assert form.device.text() == "05E0:1200:SN9"
    form.baud.setEditText("115200")
    form.parity.setCurrentIndex(form.parity.findData("E"))
    form.stop_bits.setCurrentIndex(form.stop_bits.findData(2.0))
    qtbot.keyClicks(form.suffix, "\\x03")
    page.wedge_form.max_gap.setValue(22)
    qtbot.keyClicks(page.wedge_form.prefix, "~")

    with qtbot.waitSignal(page.applied) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    expected = ScannerConfig(
        serial=SerialConfig(
            url="/dev/ttyACM0",
            baudrate=115200,
            parity="E",
            stopbits=2.0,
            suffix="\x03",
            device="05E0:1200:SN9",
        ),
        wedge=WedgeSettings(max_gap_ms=22.0, prefix="~"),
    )
    assert saved.args == [expected]
    assert load_config() == expected
    assert page.message.tone == "info" and str(config_path()) in page.message.text()


def test_saved_settings_are_shown_again(qtbot: QtBot) -> None:
    config = ScannerConfig(
        serial=SerialConfig(url="socket://till:4001", baudrate=19200, bytesize=7, prefix="\x02"),
        wedge_enabled=False,
    ).with_gap(18.0)
    shown = ScannerPage(config)
    qtbot.addWidget(shown)
    assert shown.serial_form.url.currentText() == "socket://till:4001"
    assert shown.serial_form.prefix.text() == "\\x02"
    assert not shown.wedge_form.enabled.isChecked() and not shown.wedge_form.max_gap.isEnabled()
    assert shown.read_config() == config


def test_an_invalid_usb_id_is_explained_inline_and_nothing_is_saved(
    qtbot: QtBot, page: ScannerPage
) -> None:
    qtbot.keyClicks(page.serial_form.device, "scanner")
    with qtbot.assertNotEmitted(page.applied):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.message.tone == "error" and page.message.isVisible()
    assert page.message.text() == "'scanner' is not VID:PID or VID:PID:SERIAL in hexadecimal"
    assert not config_path().exists()
    assert QApplication.activeModalWidget() is None


def test_a_bad_escape_and_a_bad_baud_rate_are_explained(qtbot: QtBot, page: ScannerPage) -> None:
    qtbot.keyClicks(page.serial_form.suffix, "\\q")
    assert not page.save()
    assert "is not understood" in page.message.text()
    page.serial_form.suffix.clear()
    page.serial_form.baud.setEditText("")
    assert not page.save()
    assert page.message.text() == "The baud rate must be a whole number, e.g. 9600."
    assert not config_path().exists()


def test_enter_in_a_field_saves_once(qtbot: QtBot, page: ScannerPage) -> None:
    saves: list[object] = []
    page.applied.connect(saves.append)
    page.serial_form.device.setFocus()
    qtbot.keyClicks(page.serial_form.device, "05e0:1200")
    qtbot.keyClick(page.serial_form.device, Qt.Key.Key_Return)
    page.serial_form.url.setFocus()
    qtbot.keyClick(page.serial_form.url.lineEdit(), Qt.Key.Key_Return)
    assert len(saves) == 2
    assert load_config().serial.device == "05e0:1200"


def test_calibration_measures_the_gaps_and_use_this_fills_the_setting(
    qtbot: QtBot, page: ScannerPage
) -> None:
    panel, field = page.calibration, page.calibration.field
    start_calibration(qtbot, page)
    assert "Waiting for the scan" in panel.hint.text()
    qtbot.keyClicks(field, CALIBRATION_CODE, delay=2)
    with qtbot.waitSignal(page.calibrating, check_params_cb=lambda on: on is False):
        qtbot.keyClick(field, Qt.Key.Key_Return)

    result = panel.result
    assert result is not None and result.gaps is not None
    assert result.text == CALIBRATION_CODE and result.mismatch is None
    assert result.gaps.count == len(CALIBRATION_CODE)  # the gap before Enter counts too
    assert panel.gaps.text() == calibration.gaps_text(result)
    assert panel.gaps.text().startswith("Keys arrived ")
    assert result.suggested_gap_ms is not None
    assert panel.suggestion.text() == f"Suggested maximum key gap: {result.suggested_gap_ms} ms."
    assert panel.layout_message.tone == "info"
    assert panel.use_button.isVisible() and panel.use_button.hasFocus()

    qtbot.keyClick(panel.use_button, Qt.Key.Key_Space)
    assert page.wedge_form.max_gap.value() == result.suggested_gap_ms
    assert "press Save" in page.message.text()
    assert not config_path().exists()  # not saved until Save
    with qtbot.waitSignal(page.applied):
        qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    assert load_config().wedge.max_gap_ms == result.suggested_gap_ms


def test_the_french_layout_typed_fast_is_named(qtbot: QtBot, page: ScannerPage) -> None:
    panel, field = page.calibration, page.calibration.field
    start_calibration(qtbot, page)
    type_fast(field, FRENCH_ARRIVAL)
    assert field.text() == FRENCH_ARRIVAL
    with qtbot.waitSignal(page.calibrating, check_params_cb=lambda on: on is False):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert panel.layout_message.tone == "error"
    assert "French (AZERTY)" in panel.layout_message.text()
    assert panel.result is not None and panel.result.suggested_gap_ms is not None


def test_escape_starts_over_and_scan_again_waits_again(qtbot: QtBot, page: ScannerPage) -> None:
    panel, field = page.calibration, page.calibration.field
    start_calibration(qtbot, page)
    qtbot.keyClicks(field, "XYZ")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "" and field.keys == []
    qtbot.keyClicks(field, CALIBRATION_CODE.lower(), delay=1)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert panel.result is not None and panel.result.mismatch is not None
    assert "Caps Lock is on" in panel.layout_message.text()

    with qtbot.waitSignal(page.calibrating, check_params_cb=lambda on: on is True):
        qtbot.mouseClick(panel.again_button, Qt.MouseButton.LeftButton)
    assert field.hasFocus() and field.text() == ""


def test_tab_after_a_scan_ends_it_like_enter(qtbot: QtBot, page: ScannerPage) -> None:
    field = page.calibration.field
    start_calibration(qtbot, page)
    qtbot.keyClicks(field, CALIBRATION_CODE, delay=1)
    with qtbot.waitSignal(field.scanned) as scanned:
        qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert scanned.args[0][-1][1] == "\t"
    assert page.calibration.result is not None
    assert page.calibration.result.text == CALIBRATION_CODE


def test_prefix_and_suffix_fields_show_control_characters_as_escapes() -> None:
    assert shown_text("\x02#\r\n\t\\") == "\\x02#\\r\\n\\t\\\\"
    assert typed_text("\\x02#\\r\\n\\t\\\\") == "\x02#\r\n\t\\"
    with pytest.raises(ValueError, match="not understood"):
        typed_text("\\x2")


def test_exclusive_mode_without_evdev_is_off_and_says_how_to_get_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evdev_reader, "load_evdev", lambda: None)
    page = ScannerPage(ScannerConfig())
    qtbot.addWidget(page)
    form = page.exclusive_form
    assert not form.device.isEnabled()
    assert "pip install 'posapp[evdev]'" in form.hint.text()
    assert page.read_config().exclusive_device == ""


def test_exclusive_mode_lists_devices_keeps_the_usb_id_and_warns_for_the_only_keyboard(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeEvdev()
    monkeypatch.setattr(evdev_reader, "load_evdev", lambda: fake)
    keys = sorted(evdev_reader.LETTER_KEYS | {evdev_reader.KEY_ENTER})
    fake.plug("/dev/input/event7", "Barcode Scanner", (0x0C2E, 0x0B61), keys)
    page = ScannerPage(ScannerConfig())
    qtbot.addWidget(page)
    form = page.exclusive_form
    labels = [form.device.itemText(i) for i in range(form.device.count())]
    assert labels[1] == "Barcode Scanner (0C2E:0B61) — /dev/input/event7"
    form.device.setCurrentIndex(1)
    assert "the only keyboard" in form.hint.text()  # nobody is locked out of the computer

    fake.plug("/dev/input/event3", "AT Keyboard", (1, 1), keys)
    form.find_devices()
    assert form.chosen() == "0C2E:0B61"
    assert "reach posapp only" in form.hint.text()
    assert page.save()
    assert load_config().exclusive_device == "0C2E:0B61"
    for device in fake.all:
        device.close()
