"""Markdowns: an item's automatic price cut from a day on (percent off its price), set when the
item is added, edited or imported; the till charges it from that day, the consignor's share
follows the price charged, and every change writes its event."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import ItemKind
from posapp.services.cart import Cart, ItemScanned
from posapp.services.catalog import (
    Markdown,
    NewItem,
    add_item,
    edit_item,
    list_items,
    set_markdown,
)
from posapp.services.context import Actor
from posapp.services.errors import InvalidInput, NotFound
from posapp.services.item_import import ImportRejected, import_items_csv
from posapp.services.item_tags import tags_to_print
from posapp.services.pricing import marked_down
from tests.core.helpers import available_barcodes, one, price_of, scan_all, sell

DAY = date(2026, 12, 15)


def last_payload(path: Path, event_type: str) -> dict[str, object]:
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT payload FROM outbox_events WHERE type = ? ORDER BY seq DESC LIMIT 1",
            (event_type,),
        ).fetchone()
    return dict(json.loads(row[0]))


def test_marked_down_price_counts_from_the_day_and_rounds_half_up() -> None:
    assert marked_down(995, DAY, 3000, DAY - timedelta(days=1)) == 995
    assert marked_down(995, DAY, 3000, DAY) == 696  # 298.5 off rounds to 299
    assert marked_down(995, DAY, 3000, DAY + timedelta(days=400)) == 696
    assert marked_down(995, None, None, DAY) == 995


def test_the_till_charges_the_markdown_from_its_day(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    first, second = available_barcodes(demo_path, 2)
    price = price_of(demo_path, first)
    set_markdown(demo_db, manager, first, Markdown(DAY, 3000))
    assert last_payload(demo_path, "item.edited")["markdown_percent_bp"] == 3000

    before = scan_all(demo_db, Cart(cashier.currency), first, today=DAY - timedelta(days=1))
    assert isinstance(before, ItemScanned) and before.line.unit_price == price
    on_day = scan_all(demo_db, Cart(cashier.currency), first, today=DAY)
    cut = price - (price * 3000 * 2 + 10_000) // 20_000
    assert isinstance(on_day, ItemScanned) and on_day.line.unit_price == cut

    receipt = sell(demo_db, cashier, first, second, today=DAY)
    assert receipt.lines[0].unit_price == cut
    split, share = one(
        demo_path,
        "SELECT split_bp, consignor_share FROM sale_lines WHERE sale_id = ? ORDER BY id LIMIT 1",
        receipt.sale_id,
    )
    assert isinstance(split, int)
    assert share == (split * cut * 2 + 10_000) // 20_000  # the consignor shares the cut price


def test_markdown_set_on_add_edit_and_cleared(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    new = NewItem(
        "7100000000001",
        "Wool coat",
        12_000,
        ItemKind.CONSIGNED,
        consignor_number="100001",
        markdown=Markdown(DAY, 2500),
    )
    item_id = add_item(demo_db, manager, new)
    assert last_payload(demo_path, "item.added")["markdown_on"] == DAY.isoformat()
    (row,) = list_items(demo_db, search="7100000000001")
    assert row.markdown == Markdown(DAY, 2500)
    (tag,) = tags_to_print(demo_db, ["7100000000001"])
    assert tag.markdown == Markdown(DAY, 2500)

    edit_item(demo_db, manager, item_id, name="Wool coat, long")  # leaves the markdown alone
    assert list_items(demo_db, search="7100000000001")[0].markdown == Markdown(DAY, 2500)
    edit_item(demo_db, manager, item_id, markdown=Markdown(DAY, 5000))
    assert list_items(demo_db, search="7100000000001")[0].markdown == Markdown(DAY, 5000)
    edit_item(demo_db, manager, item_id, markdown=None)
    assert list_items(demo_db, search="7100000000001")[0].markdown is None
    assert last_payload(demo_path, "item.edited")["markdown_on"] is None

    for bad in (0, 10_000, -100):
        with pytest.raises(InvalidInput):
            edit_item(demo_db, manager, item_id, markdown=Markdown(DAY, bad))
    with pytest.raises(NotFound):
        set_markdown(demo_db, manager, "0000000000000", Markdown(DAY, 1000))


def test_csv_import_takes_optional_markdown_columns(
    demo_db: Database, manager: Actor, tmp_path: Path
) -> None:
    header = "barcode,name,price,consignor,markdown_date,markdown_percent\n"
    path = tmp_path / "items.csv"
    path.write_text(
        header
        + "7200000000001,Silk scarf,45.00,100001,2026-12-15,30\n"
        + "7200000000002,Plain scarf,20.00,100001,,\n",
        encoding="utf-8",
    )
    assert import_items_csv(demo_db, manager, path) == 2
    rows = {row.barcode: row for row in list_items(demo_db, search="72000000000")}
    assert rows["7200000000001"].markdown == Markdown(DAY, 3000)
    assert rows["7200000000002"].markdown is None

    path.write_text(
        header
        + "7200000000003,A,1.00,100001,2026-12-15,\n"
        + "7200000000004,B,1.00,100001,15/12/2026,30\n"
        + "7200000000005,C,1.00,100001,2026-12-15,lots\n"
        + "7200000000006,D,1.00,100001,2026-12-15,100\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_items_csv(demo_db, manager, path)
    assert [(p.line, p.message) for p in rejected.value.problems] == [
        (2, "a markdown needs both markdown_date and markdown_percent"),
        (3, "markdown_date '15/12/2026' is not YYYY-MM-DD"),
        (4, "markdown_percent 'lots' is not a percentage"),
        (5, "A markdown is more than 0% and less than 100%."),
    ]
