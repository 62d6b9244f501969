"""The count screen: start a count, count by scanning (the router's submit_scan and the entry),
a typed quantity, the running tally with its flags, the report, commit and cancel; the low-stock
list and badge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import CountState
from posapp.services.context import Actor
from posapp.services.count_report import count_report
from posapp.services.stock_alerts import set_threshold
from posapp.services.stock_ledger import list_movements
from tests.core.helpers import available_barcodes, one
from ui.gui.counts.alerts_page import AlertsPage
from ui.gui.counts.badge import StockBadge
from ui.gui.counts.page import CountPage
from ui.gui.counts.tally import TallyModel
from ui.gui.operations import Operations

pytestmark = pytest.mark.gui

HANGERS = "2000000009025"  # demo stock item in category 'supplies', 25 on hand
BAGS = ("2000000009001", "2000000009018")  # the other supplies: shopping bags, garment bags


def make_page(qtbot: QtBot, db: Database, ops: Operations, actor: Actor) -> CountPage:
    page = CountPage(db, ops, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, page, ops)
    return page


@pytest.fixture
def page(qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor) -> Iterator[CountPage]:
    yield make_page(qtbot, demo_db, ops, manager)
    ops.wait_idle()
    QApplication.processEvents()


def settle(qtbot: QtBot, page: CountPage, ops: Operations) -> None:
    """Wait until every scan and every database operation asked for so far has landed."""
    qtbot.waitUntil(lambda: page.scans.pending == 0 and ops.pending == 0)


def start(qtbot: QtBot, page: CountPage, ops: Operations, scope: str, value: str = "") -> int:
    form = page.panel.form
    form.choose_scope(scope)
    if value:
        form.value.setEditText(value)
    page.focus_start()
    qtbot.keyClick(form.scope, Qt.Key.Key_Return)  # Enter in the form starts the count
    qtbot.waitUntil(lambda: page.count is not None)
    settle(qtbot, page, ops)
    assert page.count is not None
    return page.count.id


def type_scan(qtbot: QtBot, page: CountPage, text: str) -> None:
    qtbot.keyClicks(page.scan_row.entry, text)
    qtbot.keyClick(page.scan_row.entry, Qt.Key.Key_Return)


def tally(model: TallyModel) -> list[tuple[str, int, int | None, str]]:
    """(code, counted, expected, check) per line, newest first."""
    rows = []
    for row in range(model.rowCount()):
        cells = [str(model.data(model.index(row, column)) or "") for column in range(5)]
        expected = int(cells[3]) if cells[3] else None
        rows.append((cells[1], int(cells[2]), expected, cells[4]))
    return rows


def consignor_of(path: Path, barcode: str) -> str:
    sql = (
        "SELECT c.number FROM items i JOIN consignors c ON c.id = i.consignor_id WHERE barcode = ?"
    )
    return str(one(path, sql, barcode)[0])


def test_scans_from_the_router_and_the_entry_make_the_tally(
    qtbot: QtBot, page: CountPage, ops: Operations, demo_path: Path
) -> None:
    first, second = available_barcodes(demo_path, 2)
    start(qtbot, page, ops, "all")
    assert page.scan_row.entry.hasFocus()

    page.submit_scan(first)  # as the scanner router delivers it
    type_scan(qtbot, page, second)  # typed, Enter submits
    settle(qtbot, page, ops)

    assert tally(page.tally) == [(second, 1, 1, ""), (first, 1, 1, "")]
    assert page.scan_row.last.text().endswith(": 1 counted, 1 expected.")
    assert page.scan_row.entry.text() == ""
    assert page.panel.model.rows[0].scans == 2


def test_a_typed_quantity_counts_a_stock_item_and_goes_back_to_one(
    qtbot: QtBot, page: CountPage, ops: Operations
) -> None:
    start(qtbot, page, ops, "category", "supplies")
    qtbot.keyClick(page.scan_row.entry, Qt.Key.Key_F5)  # to the quantity field
    assert page.scan_row.quantity.hasFocus()
    qtbot.keyClicks(page.scan_row.quantity, "7")
    qtbot.keyClick(page.scan_row.quantity, Qt.Key.Key_Return)  # back to the scan entry
    assert page.scan_row.entry.hasFocus()
    type_scan(qtbot, page, HANGERS)
    settle(qtbot, page, ops)
    assert tally(page.tally) == [(HANGERS, 7, 25, "")]
    assert page.scan_row.quantity.value() == 1

    type_scan(qtbot, page, f"3*{HANGERS}")  # quantity typed with the code
    page.submit_scan(HANGERS)
    settle(qtbot, page, ops)
    assert tally(page.tally) == [(HANGERS, 11, 25, "")]
    assert page.scan_row.last.text() == "Hanger set: 11 counted, 25 expected."


def test_unknown_codes_repeats_and_items_outside_the_scope_are_flagged(
    qtbot: QtBot, page: CountPage, ops: Operations, demo_path: Path
) -> None:
    (item,) = available_barcodes(demo_path, 1)
    start(qtbot, page, ops, "consignor", consignor_of(demo_path, item))
    for code in (item, "4006381333931", item, HANGERS):
        page.submit_scan(code)
    settle(qtbot, page, ops)

    assert tally(page.tally) == [
        (HANGERS, 1, 25, "Outside scope: not corrected"),
        (item, 1, 1, "Scanned again ×1: counted once"),
        ("4006381333931", 1, None, "Unknown: kept for review"),
    ]
    assert "outside this count's scope" in page.scan_row.last.text()


def test_scans_made_while_the_worker_is_busy_all_land_in_order(
    qtbot: QtBot, page: CountPage, ops: Operations, demo_path: Path
) -> None:
    start(qtbot, page, ops, "all")
    codes = available_barcodes(demo_path, 6)
    release = threading.Event()
    ops.run(lambda: release.wait(10))  # a slow operation ahead of the scans
    for code in codes:
        type_scan(qtbot, page, code)
    assert page.tally.rowCount() == 0 and page.scans.pending == len(codes)
    release.set()
    settle(qtbot, page, ops)
    assert [line[0] for line in tally(page.tally)] == codes[::-1]


def test_scans_before_a_count_is_open_are_refused_in_words_or_wait_for_it(
    qtbot: QtBot, page: CountPage, ops: Operations
) -> None:
    page.submit_scan(HANGERS)
    settle(qtbot, page, ops)
    assert page.scan_row.last.text().startswith(f"{HANGERS}: Not counted: start a count")
    assert page.refusals.count() == 1

    release = threading.Event()
    ops.run(lambda: release.wait(10))
    page.panel.form.choose_scope("category")
    page.panel.form.value.setEditText("supplies")
    page.panel.form.submit()
    page.submit_scan(HANGERS)  # made while the count is being opened: goes into it
    release.set()
    qtbot.waitUntil(lambda: page.count is not None)
    settle(qtbot, page, ops)
    assert tally(page.tally) == [(HANGERS, 1, 25, "")]


def test_report_then_commit_as_a_manager_writes_the_corrections(
    qtbot: QtBot, page: CountPage, ops: Operations, demo_db: Database
) -> None:
    committed: list[int] = []
    page.count_committed.connect(committed.append)
    count_id = start(qtbot, page, ops, "category", "supplies")
    page.scan_row.quantity.setValue(27)
    page.submit_scan(HANGERS)
    qtbot.keyClick(page.scan_row.entry, Qt.Key.Key_F4)  # the report
    settle(qtbot, page, ops)

    rows = [(r.section, r.code, r.variance) for r in page.report.model.rows]
    assert rows == [("Missing", BAGS[0], -500), ("Missing", BAGS[1], -40), ("Extra", HANGERS, 2)]
    assert page.report.summary.text().startswith("Missing 540 (")
    assert page.report.commit_button.isEnabled()

    qtbot.mouseClick(page.report.commit_button, Qt.MouseButton.LeftButton)
    assert page.report.confirm.isVisible()  # asked inline, no dialog
    qtbot.mouseClick(page.report.confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.count is None)
    settle(qtbot, page, ops)

    assert committed == [count_id]
    assert page.scan_row.last.text() == (
        f"Count {count_id} committed: 3 corrections (540 missing, 2 extra)."
    )
    assert count_report(demo_db, count_id).state is CountState.COMMITTED
    latest = list_movements(demo_db, HANGERS)[0]
    assert (latest.reason.value, latest.quantity, latest.count_id) == (
        "count_correction",
        2,
        count_id,
    )
    assert page.panel.model.rows == []  # no open count left


def test_a_cashier_counts_but_cannot_commit(
    qtbot: QtBot, demo_db: Database, ops: Operations, cashier: Actor
) -> None:
    page = make_page(qtbot, demo_db, ops, cashier)
    count_id = start(qtbot, page, ops, "category", "supplies")
    page.submit_scan(HANGERS)
    page.show_report()
    settle(qtbot, page, ops)
    assert not page.report.commit_button.isEnabled()
    page.report.ask_commit()
    assert not page.report.confirm.isVisible()
    assert page.report.message.text() == "Only a manager can commit a count."

    page.commit()  # even if asked directly, the service refuses
    settle(qtbot, page, ops)
    assert "Only a manager" in page.report.message.text()
    assert count_report(demo_db, count_id).state is CountState.OPEN
    assert list_movements(demo_db, HANGERS)[0].reason.value == "intake"


def test_cancel_closes_the_count_without_changing_stock(
    qtbot: QtBot, page: CountPage, ops: Operations, demo_db: Database
) -> None:
    count_id = start(qtbot, page, ops, "category", "supplies")
    page.submit_scan(HANGERS)
    page.show_report()
    settle(qtbot, page, ops)
    qtbot.mouseClick(page.report.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.report.confirm.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.count is None)
    assert count_report(demo_db, count_id).state is CountState.CANCELLED
    assert list_movements(demo_db, HANGERS)[0].reason.value == "intake"


def test_picking_an_open_count_shows_its_tally_so_far(
    qtbot: QtBot, page: CountPage, ops: Operations
) -> None:
    count_id = start(qtbot, page, ops, "category", "supplies")
    page.scan_row.quantity.setValue(5)
    page.submit_scan(HANGERS)
    settle(qtbot, page, ops)
    other = make_page(qtbot, page._db, ops, page.scans.actor)  # another screen
    other.panel.focus_list()
    qtbot.keyClick(other.panel.table, Qt.Key.Key_Return)
    settle(qtbot, other, ops)
    assert other.count is not None and other.count.id == count_id
    assert tally(other.tally) == [(HANGERS, 5, 25, "")]


def test_low_stock_list_and_badge(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor
) -> None:
    badge = StockBadge(demo_db, ops)
    qtbot.addWidget(badge)
    badge.refresh()
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert (badge.count, badge.isHidden()) == (0, True)

    set_threshold(demo_db, manager, 25, barcode=HANGERS)  # at the threshold: an alert
    alerts = AlertsPage(demo_db, ops)
    qtbot.addWidget(alerts)
    badge.refresh()
    qtbot.waitUntil(lambda: ops.pending == 0)

    assert [(a.barcode, a.on_hand, a.minimum, a.category) for a in alerts.alerts] == [
        (HANGERS, 25, 25, "supplies")
    ]
    assert alerts.model.data(alerts.model.index(0, 0)) == "Hanger set"
    assert (badge.text(), badge.isHidden()) == ("⚠ 1 low stock", False)


def test_a_blind_count_hides_what_is_expected_from_a_cashier(
    qtbot: QtBot, demo_db: Database, ops: Operations, cashier: Actor
) -> None:
    page = make_page(qtbot, demo_db, ops, cashier)
    page.panel.form.blind.setChecked(True)
    start(qtbot, page, ops, "category", "supplies")
    page.submit_scan(HANGERS)
    settle(qtbot, page, ops)
    assert tally(page.tally) == [(HANGERS, 1, None, "")]
    assert page.tally_table.isColumnHidden(3)
    assert page.scan_row.last.text() == "Hanger set: 1 counted."
    page.show_report()
    settle(qtbot, page, ops)
    assert page.report.model.rows == []
    assert "only a manager can see its report" in page.report.message.text()
