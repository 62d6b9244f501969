"""Back office, Items page: Hold… opens the customer's card, last day and note in place (no
dialog), the hold runs on the worker and the list shows the item reserved; Release hold puts it
back on sale; a refused hold is explained and writes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import ItemKind, ItemStatus
from posapp.services import clock
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary
from posapp.services.holds import list_holds
from tests.core.helpers import snapshot
from ui.gui.backoffice.items_page import ItemsPage
from ui.gui.operations import Operations

pytestmark = pytest.mark.gui

STATUS = 4  # item table column
TODAY = date(2026, 12, 8)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def idle(qtbot: QtBot, ops: Operations) -> None:
    qtbot.waitUntil(lambda: ops.pending == 0)


@pytest.fixture
def items_page(qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor) -> ItemsPage:
    page = ItemsPage(demo_db, ops, manager)
    qtbot.addWidget(page)
    page.show()
    idle(qtbot, ops)
    return page


def first_row(page: ItemsPage, kind: ItemKind) -> int:
    model = page.model
    return next(r for r in range(model.rowCount()) if model.row_at(r).kind is kind)


def status_text(page: ItemsPage, row: int) -> str:
    return str(page.model.data(page.model.index(row, STATUS)))


def test_holding_and_releasing_the_chosen_item(
    qtbot: QtBot, items_page: ItemsPage, ops: Operations, demo_db: Database,
    demo_summary: DemoSummary,
) -> None:  # fmt: skip
    bar = items_page.holds
    assert not bar.hold_button.isEnabled() and not bar.release_button.isEnabled()
    row = first_row(items_page, ItemKind.CONSIGNED)
    items_page.table.selectRow(row)
    chosen = items_page.model.row_at(row)
    assert bar.hold_button.isEnabled() and not bar.release_button.isEnabled()

    qtbot.mouseClick(bar.hold_button, Qt.MouseButton.LeftButton)
    fields = bar.fields
    assert fields.isVisible() and fields.card.hasFocus()
    assert not any(
        isinstance(w, QDialog) and w.isVisible() for w in items_page.findChildren(QDialog)
    )
    assert fields.chosen_until() == date(2026, 12, 15)  # a week, unless changed
    qtbot.keyClicks(fields.card, demo_summary.sample_card)
    fields.until.setDate(QDate(2026, 12, 12))
    qtbot.keyClicks(fields.note, "till Saturday")
    qtbot.keyClick(fields.note, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: bar.message.tone == "info")
    assert bar.message.text() == f"{chosen.name} is held for Grace Lin until Dec 12, 2026."
    idle(qtbot, ops)
    assert not fields.isVisible()
    assert status_text(items_page, row) == "reserved"
    assert items_page.table.currentIndex().row() == row
    assert bar.release_button.isEnabled() and not bar.hold_button.isEnabled()
    (held,) = list_holds(demo_db)
    assert (held.barcode, held.customer, held.until, held.note) == (
        chosen.barcode,
        "Grace Lin",
        date(2026, 12, 12),
        "till Saturday",
    )

    qtbot.mouseClick(bar.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.message.text() == f"{chosen.name} is on sale again.")
    idle(qtbot, ops)
    assert status_text(items_page, row) == "available"
    assert items_page.model.row_at(row).status is ItemStatus.AVAILABLE
    assert bar.hold_button.isEnabled() and not bar.release_button.isEnabled()
    assert list_holds(demo_db) == []


def test_only_an_available_one_of_a_kind_item_can_be_held(
    qtbot: QtBot, items_page: ItemsPage, ops: Operations
) -> None:
    bar = items_page.holds
    items_page.table.selectRow(first_row(items_page, ItemKind.CONSIGNED))
    bar.open_fields()
    assert bar.fields.isVisible()
    items_page.table.selectRow(first_row(items_page, ItemKind.STOCK))
    assert not bar.fields.isVisible()
    assert not bar.hold_button.isEnabled() and not bar.release_button.isEnabled()
    bar.open_fields()
    assert not bar.fields.isVisible()


def test_a_refused_hold_is_explained_and_writes_nothing(
    qtbot: QtBot, items_page: ItemsPage, ops: Operations, demo_path: Path
) -> None:
    bar = items_page.holds
    items_page.table.selectRow(first_row(items_page, ItemKind.CONSIGNED))
    before = snapshot(demo_path)
    bar.open_fields()
    qtbot.keyClicks(bar.fields.card, "0000")
    qtbot.keyClick(bar.fields.card, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bar.message.tone == "error")
    assert bar.message.text() == "No customer with card 0000."
    assert bar.fields.isVisible() and bar.fields.confirm_button.isEnabled()
    idle(qtbot, ops)
    assert snapshot(demo_path) == before

    qtbot.keyClick(bar.fields.card, Qt.Key.Key_Escape)
    assert not bar.fields.isVisible()
