"""`posapp stock hold|release|holds`: a customer's item put aside and back, in plain words; the
list in table, CSV and JSON; refusals exit 2 and write nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from posapp.services import clock
from tests.cli.helpers import Cli
from tests.core.helpers import available_barcodes, one, snapshot

TODAY = date(2026, 12, 8)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def card_of(path: Path, name: str) -> str:
    return str(one(path, "SELECT card_code FROM customers WHERE name = ?", name)[0])


def name_of(path: Path, barcode: str) -> str:
    return str(one(path, "SELECT name FROM items WHERE barcode = ?", barcode)[0])


def test_hold_list_and_release(cli: Cli, demo_path: Path) -> None:
    soon, later = available_barcodes(demo_path, 2)
    card = card_of(demo_path, "Grace Lin")
    held = cli("stock", "hold", soon, "--customer", card, "--until", "2026-12-12",
               "--note", "till Saturday")  # fmt: skip
    assert (held.code, held.err) == (0, "")
    assert held.out == f"{name_of(demo_path, soon)} is held for Grace Lin until Dec 12, 2026.\n"
    assert cli("stock", "hold", later).out == f"{name_of(demo_path, later)} is held.\n"

    table = cli("stock", "holds")
    assert table.code == 0
    lines = table.out.splitlines()
    assert "Customer" in lines[0] and "Held by" in lines[0]
    assert soon in lines[2] and "Grace Lin" in lines[2] and "till Saturday" in lines[2]
    assert later in lines[3]
    rows = list(csv.DictReader(io.StringIO(cli("stock", "holds", "--format", "csv").out)))
    assert [r["barcode"] for r in rows] == [soon, later]
    assert {k: rows[0][k] for k in ("customer", "customer_card", "until", "expired", "user")} == {
        "customer": "Grace Lin",
        "customer_card": card,
        "until": "2026-12-12",
        "expired": "False",
        "user": "Manager",
    }
    document = cli("stock", "holds", "--format", "json").json()
    assert (document[0]["barcode"], document[0]["price_minor"] > 0) == (soon, True)
    assert document[1]["customer"] is None and document[1]["until"] is None

    ledger = cli("stock", "movements", "--item", soon, "--format", "json").json()
    assert (ledger[0]["reason"], ledger[0]["quantity"], ledger[0]["cause"]) == (
        "hold",
        0,
        "held for Grace Lin until Dec 12, 2026: till Saturday",
    )
    released = cli("stock", "release", soon)
    assert released.out == f"{name_of(demo_path, soon)} is on sale again.\n"
    assert [r["barcode"] for r in cli("stock", "holds", "--format", "json").json()] == [later]


def test_expired_holds(cli: Cli, demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    cli("stock", "hold", barcode, "--until", "2026-12-12")
    assert cli("stock", "holds", "--expired").out == "No expired holds.\n"
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 13))
    expired = cli("stock", "holds", "--expired", "--format", "json").json()
    assert [(r["barcode"], r["expired"]) for r in expired] == [(barcode, True)]
    assert "expired" in cli("stock", "holds").out
    cli("stock", "release", barcode)
    assert cli("stock", "holds").out == "No items are held.\n"


def test_refusals_exit_2_and_write_nothing(cli: Cli, demo_path: Path) -> None:
    free, held = available_barcodes(demo_path, 2)
    cli("stock", "hold", held)
    before = snapshot(demo_path)
    cases = [
        (("stock", "hold", "2000000009025"),
         "Hanger set is a stock item: only a one-of-a-kind item can be held.\n"),
        (("stock", "hold", held), f"{name_of(demo_path, held)} is already held.\n"),
        (("stock", "hold", free, "--customer", "0000"), "No customer with card 0000.\n"),
        (("stock", "hold", free, "--until", "2026-12-07"),
         "The hold's last day, Dec 7, 2026, has already passed.\n"),
        (("stock", "release", free), f"{name_of(demo_path, free)} is not held.\n"),
    ]  # fmt: skip
    for args, message in cases:
        result = cli(*args)
        assert (result.code, result.err) == (2, message), args
    bad_date = cli("stock", "hold", free, "--until", "Saturday")
    assert bad_date.code == 2 and "'Saturday' is not a date like 2025-12-31" in bad_date.err
    assert snapshot(demo_path) == before
