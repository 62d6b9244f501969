"""CSV item import (all rows or none, each bad row named by its line) and staff PINs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import Role
from posapp.services.catalog import list_items
from posapp.services.context import Actor, hash_pin, list_users, sign_in
from posapp.services.errors import InvalidInput
from posapp.services.item_import import ImportRejected, import_items_csv
from tests.core.helpers import available_barcodes, count, one, snapshot

HEADER = "barcode,name,price,kind,quantity,consignor,split,category,intake_date\n"


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "items.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_a_good_file_imports_every_row(
    demo_db: Database, demo_path: Path, manager: Actor, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "7000000000001,Red scarf,45.00,consigned,1,100001,,scarves,2026-01-15\n"
        '7000000000002,"Coat, wool",¥120,,,100002,55,coats,\n'
        "7000000000003,Gift bag,2.5,stock,40,,,,\n",
    )
    before = count(demo_path, "SELECT count(*) FROM items")
    assert import_items_csv(demo_db, manager, path) == 3
    assert count(demo_path, "SELECT count(*) FROM items") == before + 3
    rows = {row.barcode: row for row in list_items(demo_db, search="70000000000")}
    assert rows["7000000000001"].price == 4_500
    assert rows["7000000000001"].consignor_number == "100001"
    assert rows["7000000000002"].name == "Coat, wool"
    assert rows["7000000000002"].split_bp == 5_500
    assert rows["7000000000003"].quantity == 40
    assert rows["7000000000003"].consignor_number is None
    default_split = one(demo_path, "SELECT default_split_bp FROM consignors WHERE number='100001'")
    assert (rows["7000000000001"].split_bp,) == default_split


def test_a_file_with_bad_rows_names_each_line_and_imports_nothing(
    demo_db: Database, demo_path: Path, manager: Actor, tmp_path: Path
) -> None:
    (in_shop,) = available_barcodes(demo_path, 1)
    path = write(
        tmp_path,
        "7000000000001,Good one,10.00,consigned,1,100001,,,\n"  # line 2
        "7000000000002,Bad price,12.3.4,consigned,1,100001,,,\n"  # line 3
        "7000000000003,Nobody's,10.00,consigned,1,999999,,,\n"  # line 4
        "7000000000001,Twice,10.00,consigned,1,100001,,,\n"  # line 5
        "7000000000004,Fine too,10.00,stock,3,,,,\n"  # line 6
        f"{in_shop},Already here,10.00,consigned,1,100001,,,\n",  # line 7
    )
    before = snapshot(demo_path)
    with pytest.raises(ImportRejected) as rejected:
        import_items_csv(demo_db, manager, path)
    problems = [(p.line, p.message) for p in rejected.value.problems]
    assert problems == [
        (3, "price '12.3.4' is not an amount"),
        (4, "no consignor number 999999"),
        (5, "barcode 7000000000001 repeats line 2"),
        (7, f"barcode {in_shop} is already in the shop"),
    ]
    message = rejected.value.message
    assert message.startswith("Nothing was imported; fix these rows and try again:")
    assert "line 3: price '12.3.4' is not an amount" in message
    assert snapshot(demo_path) == before


def test_a_file_missing_a_column_is_refused(
    demo_db: Database, demo_path: Path, manager: Actor, tmp_path: Path
) -> None:
    path = write(tmp_path, "7000000000001,No price\n", header="barcode,name\n")
    before = snapshot(demo_path)
    with pytest.raises(ImportRejected) as rejected:
        import_items_csv(demo_db, manager, path)
    assert [(p.line, p.message) for p in rejected.value.problems] == [
        (1, "missing column(s): price")
    ]
    assert snapshot(demo_path) == before


def test_a_missing_file_is_a_plain_message(
    demo_db: Database, manager: Actor, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput) as refused:
        import_items_csv(demo_db, manager, tmp_path / "nope.csv")
    assert refused.value.message == f"No file {tmp_path / 'nope.csv'}."


def test_pins_are_stored_as_argon2_hashes(demo_db: Database, demo_path: Path) -> None:
    stored = _pin_hashes(demo_path)
    assert len(stored) == 3
    assert all(h.startswith("$argon2") for h in stored)
    assert not any(pin in h for h in stored for pin in ("1234", "0000", "1111"))
    assert hash_pin("4321") != hash_pin("4321")  # salted


def _pin_hashes(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [str(row[0]) for row in connection.execute("SELECT pin_hash FROM users")]
    finally:
        connection.close()


def test_right_pin_signs_in_and_wrong_pin_is_refused(demo_db: Database, demo_path: Path) -> None:
    users = {user.name: user for user in list_users(demo_db)}
    cashier = users["Cashier"]
    actor = sign_in(demo_db, cashier.id, "0000", terminal="T1")
    assert (actor.user_name, actor.role, actor.terminal_name) == ("Cashier", Role.CASHIER, "T1")
    before = snapshot(demo_path)
    for wrong in ("1234", "", "00000", "abcd"):
        with pytest.raises(InvalidInput) as refused:
            sign_in(demo_db, cashier.id, wrong, terminal="T9")
        assert refused.value.message == "Wrong PIN."
    assert snapshot(demo_path) == before


def test_a_pin_is_four_to_eight_digits() -> None:
    for bad in ("123", "123456789", "12a4", ""):
        with pytest.raises(InvalidInput, match="4 to 8 digits"):
            hash_pin(bad)
