"""Back office, items and consignors pages: search as you type, add (bad and good input), edit."""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import ItemKind, ItemStatus
from posapp.services.catalog import count_items, list_consignors, list_items
from posapp.services.context import Actor
from ui.gui.backoffice.consignors_page import ConsignorsPage
from ui.gui.backoffice.items_page import ItemsPage
from ui.gui.operations import Operations

pytestmark = pytest.mark.gui

NAME, PRICE, CONSIGNOR = 1, 2, 6  # item table columns


def idle(qtbot: QtBot, ops: Operations) -> None:
    qtbot.waitUntil(lambda: ops.pending == 0)


def column(page: ItemsPage, index: int) -> list[str]:
    model = page.model
    return [str(model.data(model.index(row, index))) for row in range(model.rowCount())]


@pytest.fixture
def items_page(qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor) -> ItemsPage:
    page = ItemsPage(demo_db, ops, manager)
    qtbot.addWidget(page)
    page.show()
    idle(qtbot, ops)
    return page


def fill_new_item(qtbot: QtBot, page: ItemsPage, name: str, price: str, consignor: str) -> None:
    form = page.form
    qtbot.keyClicks(form.name, name)
    qtbot.keyClicks(form.price, price)
    qtbot.keyClicks(form.consignor, consignor)


def test_typing_a_search_filters_the_table(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database
) -> None:
    assert items_page.model.rowCount() == 200  # the first chunk of 203 demo items
    qtbot.keyClicks(items_page.search_box, "Alice")
    expected = list_items(demo_db, "Alice")
    qtbot.waitUntil(lambda: items_page.model.rowCount() == len(expected))
    assert set(column(items_page, CONSIGNOR)) == {"100001 Alice Chen"}
    qtbot.waitUntil(lambda: items_page.count_label.text() == f"{len(expected)} items")

    items_page.search_box.clear()
    qtbot.keyClicks(items_page.search_box, "no such thing")
    qtbot.waitUntil(lambda: items_page.model.rowCount() == 0)
    qtbot.waitUntil(lambda: "No items match" in items_page.count_label.text())


def test_scrolling_down_fetches_the_next_chunk(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database
) -> None:
    assert items_page.model.canFetchMore(items_page.model.index(-1, -1))
    items_page.table.scrollToBottom()
    total = count_items(demo_db)
    qtbot.waitUntil(lambda: items_page.model.rowCount() == total)
    assert items_page.model.complete


def test_a_bad_price_is_explained_and_adds_nothing(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database, ops: Operations
) -> None:
    before = count_items(demo_db)
    fill_new_item(qtbot, items_page, "Tweed jacket", "12.3.4", "100001")
    qtbot.keyClick(items_page.form.price, Qt.Key.Key_Return)
    message = items_page.form.message
    assert message.isVisible() and message.tone == "error"
    assert message.text() == "The price '12.3.4' is not an amount of money, e.g. 12.50."
    idle(qtbot, ops)
    assert count_items(demo_db) == before
    assert list_items(demo_db, "Tweed jacket") == []


def test_an_unknown_consignor_is_explained_and_adds_nothing(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database
) -> None:
    before = count_items(demo_db)
    fill_new_item(qtbot, items_page, "Tweed jacket", "80", "999999")
    assert items_page.form.consignor_hint.text() == "No consignor with this number yet."
    qtbot.keyClick(items_page.form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: items_page.form.message.tone == "error")
    assert items_page.form.message.text() == "No consignor number 999999."
    assert count_items(demo_db) == before


def test_a_good_consigned_item_is_added_with_the_consignors_split(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database, ops: Operations
) -> None:
    fill_new_item(qtbot, items_page, "Tweed jacket", "88.50", "100002")
    assert items_page.form.consignor_hint.text() == "Bob Li, split 50%"
    qtbot.keyClick(items_page.form.price, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: items_page.form.message.tone == "info")
    idle(qtbot, ops)
    [added] = list_items(demo_db, "Tweed jacket")
    assert (added.price, added.kind, added.consignor_number) == (8850, ItemKind.CONSIGNED, "100002")
    assert added.split_bp == 5000 and added.status is ItemStatus.AVAILABLE
    assert len(added.barcode) == 13  # a fresh in-store EAN-13 was given
    assert items_page.form.message.text() == f"Added Tweed jacket ({added.barcode})."
    assert column(items_page, NAME)[0] == "Tweed jacket"
    assert column(items_page, PRICE)[0] == "CN¥88.50"
    assert items_page.form.name.text() == ""  # ready for the next item


def test_a_stock_item_is_added_with_its_quantity(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database
) -> None:
    form = items_page.form
    form.kind.setCurrentIndex(form.kind.findData(ItemKind.STOCK))
    assert not form.consignor.isEnabled() and form.quantity.isEnabled()
    qtbot.keyClicks(form.barcode, "6901234567892")
    qtbot.keyClicks(form.name, "Gift box")
    qtbot.keyClicks(form.price, "5")
    form.quantity.setValue(40)
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.message.tone == "info")
    [added] = list_items(demo_db, "6901234567892")
    assert (added.name, added.quantity, added.kind) == ("Gift box", 40, ItemKind.STOCK)


def test_editing_an_item_changes_its_name_and_price(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database, ops: Operations
) -> None:
    items_page.table.selectRow(3)
    chosen = items_page.model.row_at(3)
    form = items_page.form
    assert form.editing == chosen and not form.barcode.isEnabled()
    form.name.setText("Cashmere sweater, navy")
    form.price.setText("399")
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.message.tone == "info")
    idle(qtbot, ops)
    [edited] = list_items(demo_db, chosen.barcode)
    assert (edited.name, edited.price) == ("Cashmere sweater, navy", 39900)
    assert column(items_page, NAME)[3] == "Cashmere sweater, navy"
    assert form.message.text() == "Saved Cashmere sweater, navy."

    form.price.setText("free")
    qtbot.keyClick(form.price, Qt.Key.Key_Return)
    assert form.message.text() == "The price 'free' is not an amount of money, e.g. 12.50."
    assert list_items(demo_db, chosen.barcode)[0].price == 39900


def test_adding_a_consignor_lists_them_with_the_next_number(
    qtbot: QtBot, demo_db: Database, ops: Operations, manager: Actor
) -> None:
    page = ConsignorsPage(demo_db, ops, manager)
    qtbot.addWidget(page)
    page.show()
    idle(qtbot, ops)
    assert page.model.rowCount() == 8
    page.form.split.setText("101")
    qtbot.keyClicks(page.form.name, "Grace Ma")
    qtbot.keyClick(page.form.name, Qt.Key.Key_Return)
    assert page.form.message.text() == "The split '101' is not a percentage between 0 and 100."
    assert len(list_consignors(demo_db)) == 8

    page.form.split.setText("55")
    qtbot.keyClick(page.form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.rowCount() == 9)
    newest = list_consignors(demo_db)[-1]
    assert (newest.number, newest.name, newest.default_split_bp) == ("100009", "Grace Ma", 5500)
    assert page.form.message.text() == "Added Grace Ma as consignor 100009."
    assert page.table.currentIndex().row() == 8


def test_editing_an_item_sets_and_takes_off_its_markdown(
    qtbot: QtBot, items_page: ItemsPage, demo_db: Database, ops: Operations
) -> None:
    items_page.table.selectRow(2)
    chosen = items_page.model.row_at(2)
    form = items_page.form
    form.markdown_percent.setText("30")
    form.markdown_from.setDate(QDate(2030, 1, 15))
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.message.tone == "info")
    idle(qtbot, ops)
    [edited] = list_items(demo_db, chosen.barcode)
    assert edited.markdown is not None
    assert (edited.markdown.on, edited.markdown.percent_bp) == (date(2030, 1, 15), 3000)

    items_page.table.selectRow(2)
    form.markdown_percent.setText("")
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.message.tone == "info")
    idle(qtbot, ops)
    assert list_items(demo_db, chosen.barcode)[0].markdown is None
