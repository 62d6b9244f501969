"""Stock counts: the variance against what was expected while the till keeps selling, flags for
repeated and unknown scans, and a commit that corrects the ledger once and all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import CountState, ItemKind
from posapp.services.context import Actor
from posapp.services.count_list import count_tally
from posapp.services.count_report import count_report
from posapp.services.count_scan import scan_codes, scan_into_count
from posapp.services.counts import cancel_count, commit_count, start_count
from posapp.services.errors import Conflict, InvalidInput, NotFound, PermissionRefused
from posapp.services.refunds import refund_sale
from posapp.services.stock import add_location, transfer
from tests.core.helpers import available_barcodes, count, one, sell, snapshot

HANGERS = "2000000009025"  # demo stock item in category 'supplies', 25 on hand, price 2500


def consignor_of(path: Path, barcode: str) -> str:
    return str(
        one(
            path,
            "SELECT c.number FROM items i JOIN consignors c ON c.id = i.consignor_id"
            " WHERE i.barcode = ?",
            barcode,
        )[0]
    )


def consignor_items(path: Path, number: str) -> list[str]:
    """Barcodes of one consignor's available items."""
    return [code for code in available_barcodes(path, 500) if consignor_of(path, code) == number]


def test_a_sale_during_the_count_is_neither_missing_nor_extra(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    number = consignor_of(demo_path, available_barcodes(demo_path, 1)[0])
    barcodes = consignor_items(demo_path, number)
    count_id = start_count(demo_db, manager, f"consignor:{number}")
    sold_before_scan, sold_after_scan, lost, *rest = barcodes

    sell(demo_db, manager, sold_before_scan)
    scan_codes(demo_db, manager, count_id, [sold_after_scan, *rest])
    sell(demo_db, manager, sold_after_scan)
    report = count_report(demo_db, count_id)

    assert [line.barcode for line in report.missing] == [lost]
    assert report.extra == []
    (line,) = report.missing
    assert (line.expected, line.counted, line.variance) == (1, 0, -1)
    assert line.value == -int(one(demo_path, "SELECT price FROM items WHERE barcode = ?", lost)[0])
    (owner,) = report.by_consignor()
    assert (owner.number, owner.missing, owner.missing_value) == (number, 1, -line.value)


def test_a_stock_item_is_counted_by_typed_quantity_and_committed_as_a_correction(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    count_id = start_count(demo_db, manager, "category:supplies")
    scanned = scan_into_count(demo_db, manager, count_id, HANGERS, quantity=20)
    scanned = scan_into_count(demo_db, manager, count_id, HANGERS, quantity=3)
    assert (scanned.kind, scanned.counted, scanned.expected) == ("item", 23, 25)

    report = count_report(demo_db, count_id)
    hangers = next(line for line in report.lines if line.barcode == HANGERS)
    assert (hangers.variance, hangers.value) == (-2, -5000)
    assert all(line.kind is ItemKind.STOCK for line in report.lines)

    moved = "SELECT count(*) FROM outbox_events WHERE type = 'stock.moved'"
    moved_before = count(demo_path, moved)
    done = commit_count(demo_db, manager, count_id)

    assert done.corrections == len(report.lines)
    assert count(demo_path, moved) == moved_before + done.corrections
    on_hand = "SELECT sum(m.quantity) FROM stock_movements m JOIN items i ON i.id = m.item_id"
    assert count(demo_path, on_hand + " WHERE i.barcode = ?", HANGERS) == 23
    assert one(demo_path, "SELECT type FROM outbox_events ORDER BY seq DESC LIMIT 1")[0] == (
        "count.committed"
    )
    after = count_report(demo_db, count_id)
    assert after.state is CountState.COMMITTED
    assert [(x.barcode, x.variance) for x in after.lines] == [
        (x.barcode, x.variance) for x in report.lines
    ]


def test_a_committed_count_cannot_be_committed_again_or_scanned_into(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    count_id = start_count(demo_db, manager, "category:supplies")
    before = snapshot(demo_path)
    with pytest.raises(Conflict, match="has no scans"):
        commit_count(demo_db, manager, count_id)
    assert snapshot(demo_path) == before
    scan_into_count(demo_db, manager, count_id, HANGERS, quantity=25)
    commit_count(demo_db, manager, count_id)
    before = snapshot(demo_path)
    with pytest.raises(Conflict, match="already committed"):
        commit_count(demo_db, manager, count_id)
    with pytest.raises(Conflict, match="already committed"):
        scan_into_count(demo_db, manager, count_id, HANGERS)
    with pytest.raises(Conflict, match="already committed"):
        cancel_count(demo_db, manager, count_id)
    assert snapshot(demo_path) == before


def test_cancelling_changes_no_stock(demo_db: Database, demo_path: Path, manager: Actor) -> None:
    count_id = start_count(demo_db, manager, "all")
    scan_into_count(demo_db, manager, count_id, HANGERS, quantity=2)
    stock = ("items", "stock_movements", "count_corrections")
    stock_before = {t: rows for t, rows in snapshot(demo_path).items() if t in stock}
    cancel_count(demo_db, manager, count_id)
    with pytest.raises(Conflict, match="cancelled"):
        commit_count(demo_db, manager, count_id)
    after = snapshot(demo_path)
    assert {t: after[t] for t in stock_before} == stock_before


def test_a_one_of_a_kind_item_scanned_twice_is_flagged_and_counted_once(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    count_id = start_count(demo_db, manager, "all", blind=True)
    first = scan_into_count(demo_db, manager, count_id, barcode)
    second = scan_into_count(demo_db, manager, count_id, f" {barcode}\n")
    assert (first.repeated, second.repeated, second.counted) == (False, True, 1)
    assert first.expected is None  # blind: the counter does not see what is expected
    with pytest.raises(InvalidInput, match="one of a kind"):
        scan_into_count(demo_db, manager, count_id, barcode, quantity=2)
    report = count_report(demo_db, count_id)
    assert [(r.code, r.extra_scans) for r in report.repeated] == [(barcode, 1)]
    assert barcode not in {line.barcode for line in report.lines}


def test_unknown_codes_are_kept_for_review(demo_db: Database, manager: Actor) -> None:
    count_id = start_count(demo_db, manager, "all")
    results = scan_codes(demo_db, manager, count_id, ["4006381333931", "4006381333931", "XYZ"])
    assert [r.kind for r in results] == ["unknown"] * 3
    assert results[1].counted == 2
    report = count_report(demo_db, count_id)
    assert [(u.code, u.quantity, u.scans) for u in report.unknown] == [
        ("4006381333931", 2, 2),
        ("XYZ", 1, 1),
    ]


def test_missing_items_become_missing_and_are_available_again_when_found(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    number = consignor_of(demo_path, available_barcodes(demo_path, 1)[0])
    barcodes = consignor_items(demo_path, number)
    first = start_count(demo_db, manager, f"consignor:{number}")
    scan_codes(demo_db, manager, first, barcodes[1:])
    assert commit_count(demo_db, manager, first).missing == 1
    status = "SELECT status FROM items WHERE barcode = ?"
    assert one(demo_path, status, barcodes[0])[0] == "missing"

    second = start_count(demo_db, manager, f"consignor:{number}")
    scan_codes(demo_db, manager, second, barcodes)
    done = commit_count(demo_db, manager, second)

    assert (done.corrections, done.extra) == (1, 1)
    assert one(demo_path, status, barcodes[0])[0] == "available"


def test_a_sold_item_found_on_the_shelf_is_left_for_review(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    sell(demo_db, manager, barcode)
    category = one(demo_path, "SELECT category FROM items WHERE barcode = ?", barcode)[0]
    count_id = start_count(demo_db, manager, f"category:{category}")
    scan_into_count(demo_db, manager, count_id, barcode)
    (line,) = [x for x in count_report(demo_db, count_id).extra if x.barcode == barcode]
    assert line.needs_review
    done = commit_count(demo_db, manager, count_id)
    assert done.left_for_review == 1
    assert one(demo_path, "SELECT status FROM items WHERE barcode = ?", barcode)[0] == "sold"


def test_bad_scopes_and_sessions_are_refused_in_plain_words(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    before = snapshot(demo_path)
    with pytest.raises(InvalidInput, match="scope is all"):
        start_count(demo_db, manager, "shelf:3")
    with pytest.raises(InvalidInput, match="Say which category"):
        start_count(demo_db, manager, "category:")
    with pytest.raises(NotFound, match="No items in category hats"):
        start_count(demo_db, manager, "category:hats")
    with pytest.raises(NotFound, match="No location called Attic"):
        start_count(demo_db, manager, "location:Attic")
    with pytest.raises(NotFound, match="No consignor number 999999"):
        start_count(demo_db, manager, "consignor:999999")
    with pytest.raises(NotFound, match="No count 42"):
        scan_into_count(demo_db, manager, 42, HANGERS)
    assert snapshot(demo_path) == before
    count_id = start_count(demo_db, cashier, "all")
    scan_into_count(demo_db, cashier, count_id, HANGERS, quantity=25)
    with pytest.raises(PermissionRefused):
        commit_count(demo_db, cashier, count_id)


def test_a_location_count_covers_the_items_kept_there(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    add_location(demo_db, manager, "Window")
    in_window, elsewhere = available_barcodes(demo_path, 2)
    transfer(demo_db, manager, in_window, "Window")
    count_id = start_count(demo_db, manager, "location:Window")

    report = count_report(demo_db, count_id)

    assert [line.barcode for line in report.missing] == [in_window]
    assert elsewhere not in {line.barcode for line in report.lines}
    scan_into_count(demo_db, manager, count_id, in_window)
    assert count_report(demo_db, count_id).lines == []


def test_a_refund_during_the_count_is_expected_back_on_the_shelf(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    receipt = sell(demo_db, manager, barcode)
    count_id = start_count(demo_db, manager, "all")
    refund_sale(demo_db, manager, receipt.number)
    (line,) = [x for x in count_report(demo_db, count_id).missing if x.barcode == barcode]
    assert (line.expected_at_start, line.moved_since, line.counted) == (0, 1, 0)
    scan_into_count(demo_db, manager, count_id, barcode)
    assert barcode not in {x.barcode for x in count_report(demo_db, count_id).lines}


def test_an_item_outside_a_scoped_count_is_reported_and_never_corrected(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    """A shop item scanned 4 times into one consignor's count: not -21 'corrected' away."""
    number = consignor_of(demo_path, available_barcodes(demo_path, 1)[0])
    owned = consignor_items(demo_path, number)
    count_id = start_count(demo_db, manager, f"consignor:{number}")
    assert not any(x.outside_scope for x in scan_codes(demo_db, manager, count_id, owned))
    seen = scan_into_count(demo_db, manager, count_id, HANGERS, quantity=4)
    assert (seen.counted, seen.outside_scope) == (4, True)

    report = count_report(demo_db, count_id)
    assert [(x.barcode, x.counted, x.expected) for x in report.outside_scope] == [(HANGERS, 4, 25)]
    assert HANGERS not in {x.barcode for x in report.missing + report.extra}
    assert all(owner.number == number for owner in report.by_consignor())

    on_hand = (
        "SELECT sum(m.quantity) FROM stock_movements m JOIN items i ON i.id = m.item_id"
        " WHERE i.barcode = ?"
    )
    done = commit_count(demo_db, manager, count_id)
    assert (done.corrections, done.outside_scope, done.left_for_review) == (0, 1, 0)
    assert count(demo_path, on_hand, HANGERS) == 25
    committed = count_report(demo_db, count_id)
    assert [(x.barcode, x.counted) for x in committed.outside_scope] == [(HANGERS, 4)]
    assert committed.lines == committed.outside_scope


def test_the_tally_is_the_running_total_of_every_terminal_newest_first(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    count_id = start_count(demo_db, manager, f"consignor:{consignor_of(demo_path, barcode)}")
    scan_codes(demo_db, manager, count_id, [HANGERS, barcode, "XYZ", barcode], quantity=1)
    scan_into_count(demo_db, manager, count_id, HANGERS, quantity=3)

    tally = count_tally(demo_db, count_id)

    assert [
        (x.code, x.kind, x.counted, x.expected, x.repeated, x.outside_scope) for x in tally
    ] == [
        (HANGERS, "item", 4, 25, 0, True),
        (barcode, "item", 1, 1, 1, False),
        ("XYZ", "unknown", 1, None, 0, False),
    ]
