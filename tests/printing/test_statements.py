"""Consignor statements: what was sold and refunded in the period, payouts, and balances that
agree with the consignor ledger."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from tests.cli.helpers import Cli
from tests.printing.conftest import query
from tests.printing.pdf_reading import page_texts

TODAY = date.today()  # sales are stamped in UTC; a period of +-1 day covers them anywhere


def _sell_and_refund(cli: Cli, db: Path) -> list[str]:
    rows = query(
        db,
        "SELECT i.barcode FROM items i JOIN consignors c ON c.id = i.consignor_id "
        "WHERE c.number = '100003' ORDER BY i.id LIMIT 3",
    )
    barcodes = [str(b) for (b,) in rows]
    assert cli("sale", "--scan", barcodes[0], "--scan", barcodes[1], "--pay", "cash").code == 0
    assert cli("sale", "--scan", barcodes[2], "--pay", "card").code == 0
    assert cli("refund", "--sale", "T1-000002").code == 0
    with sqlite3.connect(db) as connection:  # a payout: no command writes them yet
        consignor = connection.execute("SELECT id FROM consignors WHERE number = '100003'")
        connection.execute(
            "INSERT INTO consignor_ledger (consignor_id, kind, amount, created_at) "
            "VALUES (?, 'payout', -10000, CURRENT_TIMESTAMP)",
            (consignor.fetchone()[0],),
        )
    return barcodes


def _statement(cli: Cli, out: Path, start: date, end: date) -> str:
    result = cli("consignors", "statement", "--consignor", "100003", "--from", str(start),
                 "--to", str(end), "--out", str(out))  # fmt: skip
    assert result.code == 0, result.err
    assert "Statement for consignor 100003 written" in result.out
    return "\n".join(page_texts(out))


def _money(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}CN¥{abs(minor) / 100:,.2f}"


def test_statement_lists_sales_refunds_payouts_and_balances(
    cli: Cli, demo_path: Path, tmp_path: Path
) -> None:
    barcodes = _sell_and_refund(cli, demo_path)
    text = _statement(cli, tmp_path / "s.pdf", TODAY - timedelta(days=1), TODAY + timedelta(days=1))
    assert "Consignor 100003 陈静" in text
    names = query(demo_path, "SELECT name FROM items WHERE barcode IN (?, ?, ?)", *barcodes)
    for (name,) in names:
        assert str(name) in text
    shares = query(
        demo_path,
        "SELECT l.consignor_share FROM sale_lines l JOIN items i ON i.id = l.item_id "
        "WHERE i.barcode IN (?, ?, ?) ORDER BY l.id",
        *barcodes,
    )
    for (share,) in shares:
        assert _money(int(str(share))) in text
    refunded = int(str(shares[2][0]))
    assert "Refund: " in text and _money(-refunded) in text
    total = int(str(shares[0][0])) + int(str(shares[1][0]))
    assert f"Your share of sales, less refunds {_money(total)}" in text
    assert f"Paid to you {_money(-10000)}" in text
    ((ledger,),) = query(
        demo_path,
        "SELECT sum(amount) FROM consignor_ledger l JOIN consignors c ON c.id = l.consignor_id "
        "WHERE c.number = '100003'",
    )
    assert _money(int(str(ledger))) in text.splitlines()[-1]  # closing balance = the ledger


def test_balances_carry_across_periods(cli: Cli, demo_path: Path, tmp_path: Path) -> None:
    _sell_and_refund(cli, demo_path)
    before = _statement(
        cli, tmp_path / "a.pdf", TODAY - timedelta(days=30), TODAY - timedelta(days=2)
    )
    assert "Nothing of yours was sold in this period." in before
    after = _statement(
        cli, tmp_path / "b.pdf", TODAY + timedelta(days=2), TODAY + timedelta(days=9)
    )
    ((ledger,),) = query(
        demo_path,
        "SELECT sum(amount) FROM consignor_ledger l JOIN consignors c ON c.id = l.consignor_id "
        "WHERE c.number = '100003'",
    )
    lines = after.splitlines()
    assert _money(int(str(ledger))) in lines[-4]  # opening balance of the later period
    assert _money(int(str(ledger))) in lines[-1]


def test_statement_refusals(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    base = ["consignors", "statement", "--out", str(out)]
    unknown = cli(*base, "--consignor", "999999", "--from", "2026-01-01", "--to", "2026-01-31")
    assert unknown.code == 2 and "No consignor number 999999" in unknown.err
    backwards = cli(*base, "--consignor", "100003", "--from", "2026-02-01", "--to", "2026-01-01")
    assert backwards.code == 2 and "ends before it starts" in backwards.err
    bad_date = cli(*base, "--consignor", "100003", "--from", "soon", "--to", "2026-01-01")
    assert bad_date.code == 2 and "not a date like 2025-12-31" in bad_date.err
    nowhere = cli("consignors", "statement", "--consignor", "100003", "--from", "2026-01-01",
                  "--to", "2026-01-31", "--out", str(tmp_path / "no" / "s.pdf"))  # fmt: skip
    assert nowhere.code == 2 and nowhere.err.startswith("Cannot write")
    assert not out.exists()
