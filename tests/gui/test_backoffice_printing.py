"""Back office, printing: coupons, tags, receipts and statements through the preview, saved as a
PDF (the file dialog replaced) or handed to a stand-in CUPS; coupons become printed only when the
printout was handed over."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from tests.gui.helpers import query
from tests.printing.pdf_reading import LASER_DPI, THERMAL_DPI, decoded_codes, page_texts
from ui.gui.backoffice.campaigns_page import CampaignsPage
from ui.gui.backoffice.consignors_page import ConsignorsPage, last_month
from ui.gui.backoffice.items_page import ItemsPage
from ui.gui.backoffice.sales_page import SalesPage
from ui.gui.backoffice.widgets import select_row
from ui.gui.dialogs import Dialogs
from ui.gui.operations import Operations
from ui.gui.printing import PrintPreview
from ui.gui.printing import preview as preview_module

pytestmark = pytest.mark.gui

CAMPAIGN = 2  # the demo campaign with ten generated coupons

LPSTAT = """#!/bin/sh
case "$1" in
  -e) printf 'Front\\nBack\\n' ;;
  -d) echo "system default destination: Front" ;;
  -p) case "$2" in
        Front) echo "printer Front is idle.  enabled since Tue 01 Dec 2026 09:00:00" ;;
        Back) printf 'printer Back disabled since Tue 01 Dec 2026 09:00:00 -\\n\\tPaused\\n' ;;
        *) echo "lpstat: Invalid destination name in list \\"$2\\"." >&2; exit 1 ;;
      esac ;;
esac
"""
LP = """#!/bin/sh
for last; do :; done
cp "$last" "$SPOOL/job.pdf" && echo "request id is Front-1 (1 file(s))"
"""


@pytest.fixture
def stand_in_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CUPS is not installed here: a stand-in lpstat/lp pair on PATH spools the PDF."""
    bin_dir, spool = tmp_path / "bin", tmp_path / "spool"
    bin_dir.mkdir()
    spool.mkdir()
    for name, script in (("lpstat", LPSTAT), ("lp", LP)):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("SPOOL", str(spool))
    return spool


@pytest.fixture
def no_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[Path | None]]:
    """Replace the save dialog: it answers the path the test puts in the list (None: cancel)."""
    answers: list[Path | None] = [tmp_path / "out.pdf"]
    monkeypatch.setattr(Dialogs, "save_pdf_path", lambda parent, title, suggested: answers[0])
    yield answers


def idle(qtbot: QtBot, ops: Operations) -> None:
    qtbot.waitUntil(lambda: ops.pending == 0)


def shown(qtbot: QtBot, widget: CampaignsPage | ItemsPage | SalesPage | ConsignorsPage) -> None:
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)


def ready(qtbot: QtBot, owner: object) -> PrintPreview:
    qtbot.waitUntil(lambda: getattr(owner, "preview", None) is not None)
    preview: PrintPreview = owner.preview  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: preview.ready, timeout=20_000)
    return preview


def coupon_states(path: Path) -> dict[str, str]:
    rows = query(path, "SELECT code, state FROM coupons WHERE campaign_id = ?", CAMPAIGN)
    return {str(code): str(state) for code, state in rows}


def events(path: Path) -> int:
    return int(str(query(path, "SELECT count(*) FROM outbox_events")[0][0]))


@pytest.fixture
def campaigns(qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor) -> CampaignsPage:
    page = CampaignsPage(demo_db, ops, manager)
    shown(qtbot, page)
    idle(qtbot, ops)
    select_row(page.table, page.model.position_of(CAMPAIGN))
    idle(qtbot, ops)
    return page


def open_coupon_preview(qtbot: QtBot, page: CampaignsPage) -> PrintPreview:
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    return ready(qtbot, page.coupons)


def test_saved_coupon_sheet_scans_back_and_marks_the_coupons_printed(
    qtbot: QtBot, campaigns: CampaignsPage, demo_path: Path, ops: Operations, save_to: list
) -> None:
    new = sorted(code for code, state in coupon_states(demo_path).items() if state == "generated")
    assert len(new) == 10
    preview = open_coupon_preview(qtbot, campaigns)
    assert preview.layout_choice.currentData() == "a4-3x8"
    assert preview.pages_label.text() == "1 page"
    preview.layout_choice.setCurrentIndex(1)  # US Letter 3 x 10
    qtbot.waitUntil(lambda: preview.ready)
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: campaigns.coupons.message.tone == "info")
    idle(qtbot, ops)
    assert not preview.isVisible()
    assert sorted(decoded_codes(save_to[0], LASER_DPI)) == new
    assert page_size(save_to[0]) == (612, 792)  # US Letter
    states = coupon_states(demo_path)
    assert {states[code] for code in new} == {"printed"}
    assert "10 coupons are now printed." in campaigns.coupons.message.text()
    qtbot.waitUntil(lambda: "printed" in coupon_column(campaigns, 1))


def page_size(path: Path) -> tuple[int, int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        width, height = document[0].get_size()
        return round(width), round(height)
    finally:
        document.close()


def coupon_column(page: CampaignsPage, column: int) -> list[str]:
    model = page.coupons.model
    return [str(model.data(model.index(row, column))) for row in range(model.rowCount())]


def test_cancelling_the_save_dialog_marks_nothing(
    qtbot: QtBot, campaigns: CampaignsPage, demo_path: Path, ops: Operations, save_to: list
) -> None:
    before = coupon_states(demo_path), events(demo_path)
    preview = open_coupon_preview(qtbot, campaigns)
    save_to[0] = None
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, ops)
    assert preview.isVisible() and preview.message.text() == "Nothing was saved."
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_Escape)
    assert not preview.isVisible()
    assert (coupon_states(demo_path), events(demo_path)) == before


def test_a_file_that_cannot_be_written_marks_nothing(
    qtbot: QtBot, campaigns: CampaignsPage, demo_path: Path, ops: Operations, save_to: list
) -> None:
    before = coupon_states(demo_path), events(demo_path)
    preview = open_coupon_preview(qtbot, campaigns)
    save_to[0] = Path("/nonexistent-folder/coupons.pdf")
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.message.tone == "error")
    assert preview.message.text().startswith("Cannot write /nonexistent-folder/coupons.pdf")
    assert "Traceback" not in preview.message.text() and preview.isVisible()
    assert (coupon_states(demo_path), events(demo_path)) == before


def test_coupons_sent_to_a_printer_become_printed(
    qtbot: QtBot, campaigns: CampaignsPage, demo_path: Path, ops: Operations, stand_in_cups: Path
) -> None:
    preview = open_coupon_preview(qtbot, campaigns)
    qtbot.waitUntil(lambda: preview.printer_choice.count() == 2)
    assert preview.printer_choice.currentText() == "Front"  # the system's default
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: campaigns.coupons.message.tone == "info")
    idle(qtbot, ops)
    printed = sorted(c for c, s in coupon_states(demo_path).items() if s == "printed")
    assert len(printed) == 10
    assert sorted(decoded_codes(stand_in_cups / "job.pdf", LASER_DPI)) == printed
    assert campaigns.coupons.message.text().startswith("Sent to printer Front.")
    (payload,) = query(
        demo_path, "SELECT payload FROM outbox_events WHERE type = 'coupons.printed'"
    )
    assert '"printer:Front"' in str(payload[0])


@pytest.mark.parametrize(
    ("printer", "message"),
    [
        ("Nowhere", "There is no printer called Nowhere; nothing was printed."),
        ("Back", "The printer Back is stopped or offline"),
    ],
)
def test_an_unknown_or_paused_printer_is_told_and_marks_nothing(
    qtbot: QtBot,
    campaigns: CampaignsPage,
    demo_path: Path,
    ops: Operations,
    stand_in_cups: Path,
    printer: str,
    message: str,
) -> None:
    before = coupon_states(demo_path), events(demo_path)
    preview = open_coupon_preview(qtbot, campaigns)
    qtbot.waitUntil(lambda: preview.printer_choice.count() == 2)
    preview.printer_choice.setCurrentText(printer)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.message.tone == "error")
    assert preview.message.text().startswith(message)
    assert preview.isVisible() and preview.ready
    assert (coupon_states(demo_path), events(demo_path)) == before
    assert not (stand_in_cups / "job.pdf").exists()


def test_without_cups_qt_prints_the_rendered_pages(
    qtbot: QtBot,
    campaigns: CampaignsPage,
    demo_path: Path,
    ops: Operations,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where there is no CUPS (Windows), Qt's printer takes the pages; a PDF printer stands in."""
    out = tmp_path / "qt.pdf"

    def pdf_printer(parent: object) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(preview_module, "uses_cups", lambda: False)
    monkeypatch.setattr(Dialogs, "choose_printer", pdf_printer)
    preview = open_coupon_preview(qtbot, campaigns)
    assert preview.print_button.isEnabled() and not preview.printer_choice.isVisible()
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: campaigns.coupons.message.tone == "info", timeout=20_000)
    idle(qtbot, ops)
    printed = sorted(c for c, s in coupon_states(demo_path).items() if s == "printed")
    assert len(printed) == 10
    assert sorted(decoded_codes(out, LASER_DPI)) == printed


def test_no_print_system_is_told_in_plain_words(
    qtbot: QtBot, campaigns: CampaignsPage, demo_path: Path, ops: Operations, no_cups: None
) -> None:
    before = coupon_states(demo_path)
    preview = open_coupon_preview(qtbot, campaigns)
    idle(qtbot, ops)
    assert not preview.print_button.isEnabled()
    assert "No print system (CUPS)" in preview.printer_note.text()
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert preview.message.tone == "error" and "Save the PDF instead" in preview.message.text()
    assert coupon_states(demo_path) == before


def test_a_campaign_with_nothing_new_says_so(
    qtbot: QtBot, campaigns: CampaignsPage, ops: Operations, save_to: list
) -> None:
    preview = open_coupon_preview(qtbot, campaigns)
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: campaigns.coupons.message.tone == "info")
    idle(qtbot, ops)
    qtbot.mouseClick(campaigns.coupons.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: campaigns.coupons.message.tone == "error")
    assert "has no new coupons to print" in campaigns.coupons.message.text()


def test_tags_for_the_chosen_items(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor, save_to: list
) -> None:
    page = ItemsPage(demo_db, ops, manager)
    shown(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 3)
    idle(qtbot, ops)
    page.table.selectRow(0)
    page.table.selectionModel().select(
        page.model.index(2, 0),
        page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    chosen = page.chosen_barcodes()
    assert len(chosen) == 2
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = ready(qtbot, page)
    assert preview.windowTitle() == "2 tags"
    preview.layout_choice.setCurrentIndex(preview.layout_choice.findData("roll-58"))
    qtbot.waitUntil(lambda: preview.ready)
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.list_message.tone == "info")
    assert sorted(decoded_codes(save_to[0], THERMAL_DPI)) == sorted(chosen)


def test_tags_for_the_search_when_nothing_is_chosen(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor, save_to: list
) -> None:
    page = ItemsPage(demo_db, ops, manager)
    shown(qtbot, page)
    idle(qtbot, ops)
    barcode = str(query_items(demo_db)[0])
    page.search(barcode)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.clearSelection()
    qtbot.mouseClick(page.tags_button, Qt.MouseButton.LeftButton)
    preview = ready(qtbot, page)
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.list_message.tone == "info")
    assert decoded_codes(save_to[0], LASER_DPI) == [barcode]


def query_items(db: Database) -> list[str]:
    from posapp.services.catalog import list_items

    return [row.barcode for row in list_items(db, None, 5) if row.status.value == "available"]


def sell(db: Database, actor: Actor, code: str) -> str:
    cart = Cart(actor.currency)
    cart.apply(resolve_scan(db, code))
    return commit_sale(db, actor, cart, [Tender(PaymentMethod.CASH)]).number


def test_receipt_of_the_chosen_sale(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor, save_to: list
) -> None:
    number = sell(demo_db, manager, query_items(demo_db)[0])
    page = SalesPage(demo_db, ops, manager)
    shown(qtbot, page)
    idle(qtbot, ops)
    page.table.selectRow(0)
    idle(qtbot, ops)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    preview = ready(qtbot, page)
    assert preview.windowTitle() == f"Receipt {number}"
    assert preview.layout_choice.currentData() == "80"
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.tone == "info")
    assert decoded_codes(save_to[0], THERMAL_DPI) == [number]
    assert page_size(save_to[0])[0] == round(80 / 25.4 * 72)


def test_statement_for_last_month_and_for_a_chosen_period(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor, save_to: list
) -> None:
    sell(demo_db, manager, query_items(demo_db)[0])
    page = ConsignorsPage(demo_db, ops, manager)
    shown(qtbot, page)
    idle(qtbot, ops)
    start, end = last_month(date.today())
    assert page.statement.period() == (start, end)
    page.table.selectRow(0)
    number = page.model.row_at(0).number
    page.statement.start.setDate(QDate.currentDate().addDays(-1))  # sales are stamped in UTC
    page.statement.end.setDate(QDate.currentDate().addDays(1))
    qtbot.mouseClick(page.statement.button, Qt.MouseButton.LeftButton)
    preview = ready(qtbot, page)
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.list_message.tone == "info")
    text = "\n".join(page_texts(save_to[0]))
    assert f"Consignor {number}" in text


def test_a_period_that_ends_before_it_starts_is_refused(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor
) -> None:
    page = ConsignorsPage(demo_db, ops, manager)
    shown(qtbot, page)
    idle(qtbot, ops)
    page.table.selectRow(0)
    page.statement.end.setDate(page.statement.start.date().addDays(-1))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert page.list_message.text() == "The period ends before it starts."
    assert page.preview is None
