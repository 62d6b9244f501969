"""`posapp count ...` and `posapp stock ...` as a shop uses them: plain messages, exit 2 and nothing
written on bad input, reports in table, CSV and JSON."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pypdfium2 as pdfium

from tests.cli.helpers import Cli, count_rows
from tests.core.helpers import available_barcodes, snapshot

HANGERS = "2000000009025"  # demo stock item in category 'supplies', 25 on hand, price 25.00


def start(cli: Cli, *options: str) -> str:
    result = cli("count", "start", *options)
    assert result.code == 0, result.err
    session = result.out.strip()
    assert session.isdigit()
    return session


def test_a_count_from_start_to_commit(cli: Cli, demo_path: Path) -> None:
    session = start(cli, "--scope", "category:supplies")

    scanned = cli("count", "scan", "--session", session, HANGERS, "--qty", "23")
    assert scanned.out == "Hanger set: 23 counted, 25 expected.\n"
    unknown = cli("count", "scan", "--session", session, "4006381333931")
    assert unknown.out == "4006381333931: unknown code, kept for review (1 so far).\n"

    table = cli("count", "report", "--session", session)
    assert table.code == 0
    assert "Hanger set" in table.out and "Unknown codes, kept for review" in table.out
    sheet = list(csv.DictReader(io.StringIO(cli("count", "report", "--session", session,
                                                "--format", "csv").out)))  # fmt: skip
    hangers = next(row for row in sheet if row["barcode"] == HANGERS)
    assert (hangers["section"], hangers["variance"], hangers["value"]) == (
        "missing",
        "-2",
        "-50.00",
    )
    assert {"section": "unknown", "barcode": "4006381333931", "counted": "1"}.items() <= next(
        row for row in sheet if row["section"] == "unknown"
    ).items()
    document = cli("count", "report", "--session", session, "--format", "json").json()
    assert document["state"] == "open"
    assert any(x["barcode"] == HANGERS and x["value_minor"] == -5000 for x in document["missing"])

    committed = cli("count", "commit", "--session", session)
    assert committed.code == 0
    assert committed.out.startswith(f"Count {session} committed:")
    again = cli("count", "commit", "--session", session)
    assert (again.code, again.err) == (2, f"Count {session} is already committed.\n")

    ledger = cli("stock", "movements", "--item", HANGERS, "--format", "json").json()
    assert (ledger[0]["reason"], ledger[0]["quantity"], ledger[0]["cause"]) == (
        "count_correction",
        -2,
        f"count {session}",
    )


def test_a_blind_count_does_not_show_the_expected_quantity(cli: Cli) -> None:
    session = start(cli, "--scope", "all", "--blind")
    result = cli("count", "scan", "--session", session, HANGERS, HANGERS)
    assert result.out == "Hanger set: 1 counted.\nHanger set: 2 counted.\n"
    refused = cli("--user", "Cashier", "count", "report", "--session", session)
    assert (refused.code, refused.err) == (
        2,
        "While a blind count is open, only a manager can see its report.\n",
    )
    assert cli("count", "report", "--session", session).code == 0


def test_an_item_scanned_twice_is_flagged(cli: Cli, demo_path: Path) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    session = start(cli, "--scope", "all")
    result = cli("count", "scan", "--session", session, barcode, barcode)
    assert result.out.splitlines()[1].endswith("already counted, not counted again.")


def test_cancel_changes_no_stock(cli: Cli, demo_path: Path) -> None:
    session = start(cli, "--scope", "all")
    cli("count", "scan", "--session", session, HANGERS)
    movements = count_rows(demo_path, "stock_movements")
    result = cli("count", "cancel", "--session", session)
    assert result.out == f"Count {session} cancelled; no stock was changed.\n"
    assert count_rows(demo_path, "stock_movements") == movements


def test_bad_input_gets_a_plain_message_exit_2_and_writes_nothing(
    cli: Cli, demo_path: Path
) -> None:
    before = snapshot(demo_path)
    cases = [
        (("count", "start", "--scope", "shelf:3"), "A count's scope is all, location:NAME"),
        (("count", "start", "--scope", "location:Attic"), "No location called Attic."),
        (("count", "scan", "--session", "42", HANGERS), "No count 42."),
        (("count", "scan", "--session", "x", HANGERS), "'x' is not a whole number"),
        (("count", "report", "--session", "42"), "No count 42."),
        (("stock", "movements", "--item", "123"), "No item with barcode 123."),
        (("stock", "adjust", HANGERS, "--by", "-30", "--reason", "x"), "cannot go below 0"),
        (("stock", "threshold", "--category", "hats", "--min", "2"), "No items in category"),
        (("--user", "Cashier", "stock", "loss", HANGERS), "Only a manager"),
    ]
    for argv, message in cases:
        result = cli(*argv)
        assert result.code == 2, argv
        assert message in result.err, (argv, result.err)
        assert "Traceback" not in result.err
    after = snapshot(demo_path)
    assert {t: r for t, r in after.items() if t != "terminals"} == {
        t: r for t, r in before.items() if t != "terminals"
    }


def test_stock_movements_and_alerts(cli: Cli) -> None:
    assert cli("stock", "alerts").out == "No low stock.\n"
    assert cli("stock", "threshold", "--item", HANGERS, "--min", "25").code == 0
    alerts = cli("stock", "alerts", "--format", "json").json()
    assert alerts == [
        {"barcode": HANGERS, "name": "Hanger set", "category": "supplies", "on_hand": 25,
         "minimum": 25}
    ]  # fmt: skip
    assert cli("stock", "donate", HANGERS, "--qty", "5").out == "Hanger set: -5, 20 on hand.\n"
    assert cli("stock", "locations", "--add", "Back room").code == 0
    moved = cli("stock", "transfer", HANGERS, "--to", "Back room")
    assert moved.out == "Hanger set moved to Back room.\n"
    reasons = [m["reason"] for m in cli("stock", "movements", "--format", "json").json()[:2]]
    assert reasons == ["transfer", "donation"]


def test_the_report_as_a_pdf(cli: Cli, tmp_path: Path) -> None:
    session = start(cli, "--scope", "category:supplies")
    cli("count", "scan", "--session", session, HANGERS, "--qty", "23")
    target = tmp_path / "count.pdf"

    assert cli("count", "report", "--session", session, "--format", "pdf").err == (
        "A PDF report needs --output FILE.\n"
    )
    result = cli("count", "report", "--session", session, "--format", "pdf", "--output",
                 str(target))  # fmt: skip

    assert result.out == f"Count report written to {target}.\n"
    document = pdfium.PdfDocument(target)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert f"Count {session}: category supplies, open" in text
    assert "Hanger set" in text and "-CN¥50.00" in text


def test_count_list_shows_open_and_closed_counts(cli: Cli) -> None:
    first = start(cli, "--scope", "category:supplies")
    cli("count", "scan", "--session", first, HANGERS, HANGERS)
    cli("count", "cancel", "--session", first)
    second = start(cli, "--scope", "all", "--blind")

    listed = cli("count", "list", "--format", "json").json()
    assert [(c["id"], c["state"], c["scans"]) for c in listed] == [
        (int(second), "open", 0),
        (int(first), "cancelled", 2),
    ]
    assert [c["id"] for c in cli("count", "list", "--open", "--format", "json").json()] == [
        int(second)
    ]
    assert "the whole shop" in cli("count", "list").out


def test_pre_printed_coupons_not_found_are_listed_by_code(cli: Cli, demo_path: Path) -> None:
    new = "SELECT code FROM coupons WHERE state = 'generated' ORDER BY code LIMIT 2"
    printed = "UPDATE coupons SET state = 'printed' WHERE code = ?"
    with sqlite3.connect(demo_path) as connection:
        codes = [row[0] for row in connection.execute(new)]
        connection.executemany(printed, [(c,) for c in codes])
    session = start(cli, "--scope", "all")
    cli("count", "scan", "--session", session, codes[0])

    sheet = list(csv.DictReader(io.StringIO(
        cli("count", "report", "--session", session, "--format", "csv").out)))  # fmt: skip
    assert [r["barcode"] for r in sheet if r["section"] == "coupon_missing"] == [codes[1]]
    table = cli("count", "report", "--session", session).out
    assert "Pre-printed coupons not found" in table


def test_returning_losing_and_clearing_thresholds(cli: Cli, demo_path: Path) -> None:
    consigned, lost = available_barcodes(demo_path, 2)
    assert cli("stock", "return", consigned).out.endswith(": -1, 0 on hand.\n")
    assert cli("stock", "loss", lost, "--note", "stolen").code == 0
    statuses = cli("items", "list", "--format", "json").json()
    assert {i["barcode"]: i["status"] for i in statuses if i["barcode"] in (consigned, lost)} == {
        consigned: "returned",
        lost: "missing",
    }
    assert cli("stock", "locations").out == "No locations yet: add one with --add NAME.\n"
    cli("stock", "threshold", "--category", "supplies", "--min", "10000")
    assert [a["name"] for a in cli("stock", "alerts", "--format", "json").json()] == ["supplies"]
    cleared = cli("stock", "threshold", "--category", "supplies", "--clear")
    assert cleared.out == "No more low-stock alert for supplies.\n"
    assert cli("stock", "alerts").out == "No low stock.\n"


def test_stock_intake_adds_to_a_stock_item(cli: Cli, demo_path: Path) -> None:
    result = cli("stock", "intake", HANGERS, "--qty", "12", "--note", "delivery 7")
    assert (result.code, result.out) == (0, "Hanger set: +12, 37 on hand.\n")
    (latest, *_) = cli("stock", "movements", "--item", HANGERS, "--format", "json").json()
    assert (latest["reason"], latest["quantity"], latest["cause"]) == ("intake", 12, "delivery 7")
    (consigned,) = available_barcodes(demo_path, 1)
    before = snapshot(demo_path)
    refused = cli("stock", "intake", consigned, "--qty", "1")
    assert refused.code == 2 and "one of a kind" in refused.err
    assert cli("stock", "intake", HANGERS, "--qty", "0").code == 2
    assert snapshot(demo_path) == before


def _consignor_and_items(path: Path) -> tuple[str, list[str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT c.number, i.barcode FROM items i JOIN consignors c ON c.id = i.consignor_id"
            " WHERE i.status = 'available' ORDER BY c.number, i.id"
        ).fetchall()
    number = str(rows[0][0])
    return number, [str(code) for owner, code in rows if owner == number]


def test_outside_the_scope_by_consignor_and_repeats_in_every_format(
    cli: Cli, demo_path: Path, tmp_path: Path
) -> None:
    number, owned = _consignor_and_items(demo_path)
    session = start(cli, "--scope", f"consignor:{number}")
    cli("count", "scan", "--session", session, *owned[1:], owned[1])
    outside = cli("count", "scan", "--session", session, HANGERS, "--qty", "4")
    assert outside.out == "Hanger set: outside this count's scope, kept for review (4 so far).\n"

    table = cli("count", "report", "--session", session).out
    assert "Outside this count's scope, not corrected" in table
    sheet = list(csv.DictReader(io.StringIO(cli("count", "report", "--session", session,
                                                "--format", "csv").out)))  # fmt: skip
    sections = {row["section"] for row in sheet}
    assert {"missing", "outside_scope", "scanned_twice", "by_consignor"} <= sections
    (owner,) = [row for row in sheet if row["section"] == "by_consignor"]
    assert (owner["consignor"], owner["missing"]) == (number, "1")
    assert owner["missing_value"] != ""
    (hangers,) = [row for row in sheet if row["barcode"] == HANGERS]
    assert (hangers["section"], hangers["counted"], hangers["expected"]) == (
        "outside_scope",
        "4",
        "25",
    )
    document = cli("count", "report", "--session", session, "--format", "json").json()
    assert [x["barcode"] for x in document["outside_scope"]] == [HANGERS]
    assert HANGERS not in {x["barcode"] for x in document["missing"] + document["extra"]}

    target = tmp_path / "count.pdf"
    cli("count", "report", "--session", session, "--format", "pdf", "--output", str(target))
    document_pdf = pdfium.PdfDocument(target)
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document_pdf)
    finally:
        document_pdf.close()
    assert "Scanned more than once" in text and "Outside this count's scope" in text

    committed = cli("count", "commit", "--session", session)
    assert "1 items scanned outside this count's scope were left unchanged" in committed.out
    assert cli("stock", "movements", "--item", HANGERS, "--format", "json").json()[0]["reason"] == (
        "intake"
    )
