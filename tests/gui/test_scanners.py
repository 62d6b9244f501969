"""Scanners in the till: a serial scanner on a pseudo-terminal and a keyboard-wedge scanner both
put lines in the cart, whatever has the focus; typing stays typing; unplug and replug show in the
status bar and the scanner comes back by itself."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.scanning.config import ScannerConfig, SerialConfig, load_config
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary, in_store_ean
from tests.gui.helpers import CHARACTER_KEY_SETTLE_MS, HUMAN_KEY_GAP_MS, rows, settle
from tests.scanning.ptys import PtyScanner
from ui.gui.main_window import MainWindow
from ui.gui.operations import Operations


@pytest.fixture
def pty_scanner(tmp_path: Path) -> Iterator[PtyScanner]:
    scanner = PtyScanner(tmp_path / "scanner")
    yield scanner
    scanner.close()


@pytest.fixture
def serial_window(
    qtbot: QtBot, demo_db: Database, ops: Operations, cashier: Actor, pty_scanner: PtyScanner
) -> Iterator[MainWindow]:
    config = ScannerConfig(serial=SerialConfig(url=str(pty_scanner.path)))
    main = MainWindow(demo_db, ops, scanner_config=config)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    main.signed_in(cashier)
    yield main
    main.close()
    ops.wait_idle()
    QApplication.processEvents()


def cart_codes(window: MainWindow) -> list[str]:
    assert window.checkout is not None
    return [row[1] for row in rows(window.checkout)]


def test_serial_scan_reaches_the_cart_and_unplug_replug_shows_in_the_status_bar(
    qtbot: QtBot, serial_window: MainWindow, pty_scanner: PtyScanner, demo_summary: DemoSummary
) -> None:
    status = serial_window.status
    qtbot.waitUntil(lambda: status.scanner.full_text().startswith("Scanner: connected"))
    assert serial_window.checkout is not None
    with qtbot.waitSignal(serial_window.checkout.sale.cart_changed, timeout=5000):
        pty_scanner.send(f"]E0{demo_summary.sample_item}\r\n".encode())
    assert cart_codes(serial_window) == [demo_summary.sample_item]

    pty_scanner.unplug()
    qtbot.waitUntil(lambda: status.scanner.full_text().startswith("Scanner: NOT connected"))
    assert status.scanner.objectName() == "error"
    pty_scanner.plug()
    qtbot.waitUntil(
        lambda: status.scanner.full_text().startswith("Scanner: connected"), timeout=5000
    )
    bag = in_store_ean(900)
    pty_scanner.send(f"{bag}\r".encode())
    qtbot.waitUntil(lambda: cart_codes(serial_window) == [demo_summary.sample_item, bag])


def test_noise_on_the_line_is_a_hint_never_a_line(
    qtbot: QtBot, serial_window: MainWindow, pty_scanner: PtyScanner, demo_summary: DemoSummary
) -> None:
    status = serial_window.status
    qtbot.waitUntil(lambda: status.scanner.full_text().startswith("Scanner: connected"))
    pty_scanner.send(b"\xff\x81\x02garbage\r" + f"{demo_summary.sample_item}\r".encode())
    qtbot.waitUntil(lambda: cart_codes(serial_window) == [demo_summary.sample_item])
    assert status.hint.isVisible()
    assert "baud rate" in status.hint.full_text()


def test_a_serial_scan_while_locked_is_refused_out_loud(
    qtbot: QtBot, serial_window: MainWindow, pty_scanner: PtyScanner, demo_summary: DemoSummary
) -> None:
    status = serial_window.status
    qtbot.waitUntil(lambda: status.scanner.full_text().startswith("Scanner: connected"))
    serial_window.lock()
    pty_scanner.send(f"{demo_summary.sample_item}\r".encode())
    qtbot.waitUntil(lambda: "sign in first" in status.hint.full_text())
    serial_window.show_checkout()  # still locked: nothing reached the cart
    assert cart_codes(serial_window) == []


@pytest.fixture
def other_field(qtbot: QtBot, checkout: object) -> QLineEdit:
    """A text field elsewhere that has the keyboard focus while the checkout takes scans."""
    field = QLineEdit()
    field.setText("note: ")
    qtbot.addWidget(field)
    field.show()
    field.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.end(False)
    return field


def test_wedge_scan_goes_to_the_cart_not_into_the_focused_field(
    qtbot: QtBot, window: MainWindow, other_field: QLineEdit, demo_summary: DemoSummary
) -> None:
    assert window.checkout is not None
    qtbot.keyClicks(other_field, demo_summary.sample_item)  # a scanner: no gap between keys
    qtbot.keyClick(other_field, Qt.Key.Key_Return)
    settle(qtbot, window.checkout)
    qtbot.waitUntil(lambda: cart_codes(window) == [demo_summary.sample_item])
    assert other_field.text() == "note: "


def test_typing_stays_in_the_focused_field_and_adds_nothing(
    qtbot: QtBot, window: MainWindow, other_field: QLineEdit, demo_summary: DemoSummary
) -> None:
    qtbot.keyClicks(other_field, demo_summary.sample_item, delay=HUMAN_KEY_GAP_MS)
    qtbot.keyClick(other_field, Qt.Key.Key_Return)
    qtbot.wait(CHARACTER_KEY_SETTLE_MS)
    assert other_field.text() == "note: " + demo_summary.sample_item
    assert cart_codes(window) == []


def test_a_short_fast_burst_is_typing(
    qtbot: QtBot, window: MainWindow, other_field: QLineEdit
) -> None:
    qtbot.keyClicks(other_field, "ok")
    qtbot.waitUntil(lambda: other_field.text() == "note: ok")
    assert cart_codes(window) == []


def test_typing_then_a_scan_keeps_both_apart(
    qtbot: QtBot, window: MainWindow, other_field: QLineEdit, demo_summary: DemoSummary
) -> None:
    qtbot.keyClicks(other_field, "abc", delay=HUMAN_KEY_GAP_MS)
    qtbot.wait(CHARACTER_KEY_SETTLE_MS)
    qtbot.keyClicks(other_field, demo_summary.sample_item)
    qtbot.keyClick(other_field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: cart_codes(window) == [demo_summary.sample_item])
    assert other_field.text() == "note: abc"


def test_scans_on_the_sign_in_screen_are_typing(
    qtbot: QtBot, demo_db: Database, ops: Operations
) -> None:
    main = MainWindow(demo_db, ops)
    qtbot.addWidget(main)
    main.show()
    main.show_sign_in()
    qtbot.waitUntil(main.sign_in.pin.hasFocus)
    qtbot.keyClicks(main.sign_in.pin, "0000")  # a fast PIN is still a PIN
    assert main.sign_in.pin.text() == "0000"
    main.close()
    ops.wait_idle()


def test_exclusive_mode_without_evdev_says_how_to_get_it(
    qtbot: QtBot, demo_db: Database, ops: Operations, cashier: Actor
) -> None:
    if importlib.util.find_spec("evdev") is not None:
        pytest.skip("evdev is installed here")
    config = ScannerConfig(exclusive_device="05e0:1200")
    main = MainWindow(demo_db, ops, scanner_config=config)
    qtbot.addWidget(main)
    main.show()
    main.signed_in(cashier)
    status = main.status
    qtbot.waitUntil(lambda: "evdev" in status.hint.full_text())
    assert status.scanner.full_text() == "Scanner: NOT connected (05e0:1200)"
    main.close()
    ops.wait_idle()


def test_settings_saved_in_the_back_office_take_effect_at_once(
    qtbot: QtBot, window: MainWindow, checkout: object, pty_scanner: PtyScanner
) -> None:
    window.show_back_office()
    back_office = window.back_office
    assert back_office is not None
    back_office.show_page(back_office.pages.indexOf(back_office.scanner))
    page = back_office.scanner
    page.wedge_form.max_gap.setValue(22)
    page.serial_form.url.setCurrentText(str(pty_scanner.path))
    page.save_button.click()
    qtbot.waitUntil(lambda: window.status.scanner.full_text().startswith("Scanner: connected"))
    assert window.scanners.wedge.settings.max_gap_ms == 22
    assert load_config().wedge.max_gap_ms == 22


def test_on_the_count_page_the_serial_scanner_counts_and_the_checkout_gets_nothing(
    qtbot: QtBot,
    demo_db: Database,
    ops: Operations,
    manager: Actor,
    pty_scanner: PtyScanner,
    demo_summary: DemoSummary,
) -> None:
    config = ScannerConfig(serial=SerialConfig(url=str(pty_scanner.path)))
    main = MainWindow(demo_db, ops, scanner_config=config)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    main.signed_in(manager)
    qtbot.waitUntil(lambda: main.status.scanner.full_text().startswith("Scanner: connected"))
    main.show_back_office()
    back_office = main.back_office
    assert back_office is not None
    back_office.show_page(back_office.pages.indexOf(back_office.counts))
    counts = back_office.counts
    counts.panel.form.choose_scope("all")
    counts.focus_start()
    qtbot.keyClick(counts.panel.form.scope, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counts.count is not None)

    pty_scanner.send(f"{demo_summary.sample_item}\r".encode())
    qtbot.waitUntil(lambda: counts.tally.rowCount() == 1)
    assert demo_summary.sample_item in str(counts.tally.data(counts.tally.index(0, 1)))
    main.show_checkout()
    assert cart_codes(main) == []
    main.close()
    ops.wait_idle()


def test_on_the_items_page_a_scan_finds_the_item_or_fills_the_form_field(
    qtbot: QtBot, window: MainWindow, checkout: object, pty_scanner: PtyScanner
) -> None:
    window.scanners.apply(ScannerConfig(serial=SerialConfig(url=str(pty_scanner.path))))
    qtbot.waitUntil(lambda: window.status.scanner.full_text().startswith("Scanner: connected"))
    window.show_back_office()
    back_office = window.back_office
    assert back_office is not None
    items = back_office.items
    qtbot.waitUntil(lambda: items.model.rowCount() > 1)
    pty_scanner.send(b"2000000000015\r")
    qtbot.waitUntil(lambda: items.search_box.text() == "2000000000015")
    qtbot.waitUntil(lambda: items.model.rowCount() == 1)

    items.form.barcode.setFocus()
    qtbot.waitUntil(items.form.barcode.hasFocus)
    items.form.barcode.clear()
    pty_scanner.send(b"6901234567892\r")
    qtbot.waitUntil(lambda: items.form.barcode.text() == "6901234567892")
    assert items.search_box.text() == "2000000000015"
