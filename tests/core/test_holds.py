"""Holds: a one-of-a-kind item put aside for a customer is reserved by a zero-quantity movement
with its event, refused at the till until released, still expected by a count; refused holds
write nothing, and a hold racing a sale ends with one winner."""

from __future__ import annotations

import json
import multiprocessing
import queue
from datetime import date, timedelta
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.i18n import day
from posapp.models import ItemStatus, MovementReason, PaymentMethod
from posapp.services import clock
from posapp.services.cart import Cart, ItemScanned, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.count_report import count_report
from posapp.services.count_scan import scan_codes
from posapp.services.counts import commit_count, start_count
from posapp.services.coupon_rules import RefusalReason
from posapp.services.demo import DemoSummary
from posapp.services.errors import Conflict, InvalidInput, NotFound
from posapp.services.holds import hold_item, list_holds, release_hold
from posapp.services.stock import adjust, take_out
from posapp.services.stock_ledger import list_movements
from tests.core.helpers import available_barcodes, count, one, sell, snapshot
from tests.core.hold_race_worker import run
from tests.core.test_counts import consignor_items, consignor_of

HANGERS = "2000000009025"  # demo stock item
SATURDAY = date(2026, 12, 12)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 8))


def name_of(path: Path, barcode: str) -> str:
    return str(one(path, "SELECT name FROM items WHERE barcode = ?", barcode)[0])


def status_of(path: Path, barcode: str) -> str:
    return str(one(path, "SELECT status FROM items WHERE barcode = ?", barcode)[0])


def last_event(path: Path) -> tuple[str, dict[str, object]]:
    kind, payload = one(path, "SELECT type, payload FROM outbox_events ORDER BY seq DESC LIMIT 1")
    return str(kind), json.loads(str(payload))


def test_holding_reserves_the_item_with_a_movement_and_an_event(
    demo_db: Database, demo_path: Path, cashier: Actor, demo_summary: DemoSummary
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    events = count(demo_path, "SELECT count(*) FROM outbox_events")

    done = hold_item(demo_db, cashier, barcode, demo_summary.sample_card, SATURDAY, " till 5pm ")

    assert (done.quantity, done.on_hand, done.status) == (0, 1, ItemStatus.RESERVED)
    assert status_of(demo_path, barcode) == "reserved"
    latest = list_movements(demo_db, barcode)[0]
    assert (latest.reason, latest.quantity, latest.note) == (MovementReason.HOLD, 0, "till 5pm")
    assert (latest.user, latest.terminal) == ("Cashier", "T1")
    assert (latest.held_for, latest.held_until) == ("Grace Lin", SATURDAY)
    assert count(demo_path, "SELECT count(*) FROM outbox_events") == events + 1
    assert last_event(demo_path) == (
        "stock.moved",
        {"barcode": barcode, "reason": "hold", "quantity": 0, "note": "till 5pm",
         "user": "Cashier", "customer": demo_summary.sample_card, "until": "2026-12-12"},
    )  # fmt: skip
    (row,) = list_holds(demo_db)
    assert (row.barcode, row.customer, row.customer_card, row.until, row.note) == (
        barcode,
        "Grace Lin",
        demo_summary.sample_card,
        SATURDAY,
        "till 5pm",
    )
    assert (row.user, row.terminal, row.expired(date(2026, 12, 8))) == ("Cashier", "T1", False)


def test_releasing_puts_it_back_on_sale(demo_db: Database, demo_path: Path, cashier: Actor) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    hold_item(demo_db, cashier, barcode)
    events = count(demo_path, "SELECT count(*) FROM outbox_events")

    done = release_hold(demo_db, cashier, barcode)

    assert (done.quantity, done.on_hand, done.status) == (0, 1, ItemStatus.AVAILABLE)
    assert status_of(demo_path, barcode) == "available"
    assert [m.reason for m in list_movements(demo_db, barcode)[:2]] == [
        MovementReason.RELEASE,
        MovementReason.HOLD,
    ]
    assert count(demo_path, "SELECT count(*) FROM outbox_events") == events + 1
    kind, payload = last_event(demo_path)
    assert (kind, payload["reason"], payload["barcode"]) == ("stock.moved", "release", barcode)
    assert (
        count(demo_path, "SELECT count(*) FROM item_holds WHERE released_movement_id IS NULL") == 0
    )
    assert list_holds(demo_db) == []
    assert sell(demo_db, cashier, barcode).total > 0


def test_refused_holds_write_nothing(
    demo_db: Database, demo_path: Path, cashier: Actor, manager: Actor, demo_summary: DemoSummary
) -> None:
    sold, lost, held, free = available_barcodes(demo_path, 4)
    sell(demo_db, cashier, sold)
    take_out(demo_db, manager, lost, MovementReason.LOSS)
    hold_item(demo_db, cashier, held, demo_summary.sample_card, SATURDAY)
    before = snapshot(demo_path)

    cases: list[tuple[type[Exception], str, dict[str, object], str]] = [
        (InvalidInput, HANGERS, {},
         "Hanger set is a stock item: only a one-of-a-kind item can be held."),
        (Conflict, sold, {}, f"{name_of(demo_path, sold)} cannot be held: it is sold."),
        (Conflict, lost, {}, f"{name_of(demo_path, lost)} cannot be held: it is missing."),
        (Conflict, held, {},
         f"{name_of(demo_path, held)} is already held for Grace Lin until {day(SATURDAY)}."),
        (NotFound, free, {"customer_card": "0000"}, "No customer with card 0000."),
        (InvalidInput, free, {"until": date(2026, 12, 7)},
         f"The hold's last day, {day(date(2026, 12, 7))}, has already passed."),
        (NotFound, "nope", {}, "No item with barcode nope."),
    ]  # fmt: skip
    for error, barcode, options, message in cases:
        with pytest.raises(error) as refused:
            hold_item(demo_db, cashier, barcode, **options)  # type: ignore[arg-type]
        assert refused.value.message == message
    with pytest.raises(Conflict) as not_held:
        release_hold(demo_db, cashier, free)
    assert not_held.value.message == f"{name_of(demo_path, free)} is not held."
    assert snapshot(demo_path) == before


def test_a_held_item_leaves_the_shelf_only_after_release(
    demo_db: Database, demo_path: Path, cashier: Actor, manager: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    hold_item(demo_db, cashier, barcode)
    before = snapshot(demo_path)
    for attempt in (
        lambda: take_out(demo_db, manager, barcode, MovementReason.DONATION),
        lambda: adjust(demo_db, manager, barcode, -1, "broken"),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.message == (
            f"{name_of(demo_path, barcode)} is held for a customer: release the hold first."
        )
    assert snapshot(demo_path) == before


def test_the_till_refuses_a_held_item_in_the_cashiers_words(
    demo_db: Database, demo_path: Path, cashier: Actor, demo_summary: DemoSummary
) -> None:
    with_all, no_until, nobody = available_barcodes(demo_path, 3)
    hold_item(demo_db, cashier, with_all, demo_summary.sample_card, SATURDAY)
    hold_item(demo_db, cashier, no_until, demo_summary.sample_card)
    hold_item(demo_db, cashier, nobody)

    expected = {
        with_all: f"is held for Grace Lin until {day(SATURDAY)}: release the hold to sell it.",
        no_until: "is held for Grace Lin: release the hold to sell it.",
        nobody: "is held: release the hold to sell it.",
    }
    for barcode, words in expected.items():
        outcome = Cart(cashier.currency).apply(resolve_scan(demo_db, barcode))
        assert isinstance(outcome, ScanRefused)
        assert outcome.refusal.reason is RefusalReason.ITEM_UNAVAILABLE
        assert outcome.refusal.message == f"{name_of(demo_path, barcode)} {words}"

    release_hold(demo_db, cashier, with_all)
    assert isinstance(resolve_scan(demo_db, with_all), ItemScanned)


def test_a_sale_scanned_before_the_hold_is_refused_at_commit(
    demo_db: Database, demo_path: Path, cashier: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    cart = Cart(cashier.currency)
    assert isinstance(cart.apply(resolve_scan(demo_db, barcode)), ItemScanned)
    hold_item(demo_db, cashier, barcode)
    before = snapshot(demo_path)

    with pytest.raises(Conflict):
        commit_sale(demo_db, cashier, cart, [Tender(PaymentMethod.CASH, None)])
    assert snapshot(demo_path) == before
    assert status_of(demo_path, barcode) == "reserved"


def test_a_hold_racing_a_sale_ends_with_one_winner(demo_db: Database, demo_path: Path) -> None:
    barcodes = available_barcodes(demo_path, 3)
    demo_db.dispose()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=run, args=(str(demo_path), role, barcodes, barrier, results))
        for role in ("sell", "hold")
    ]
    for worker in workers:
        worker.start()
    outcomes = []
    try:
        for _ in range(2 * len(barcodes)):
            outcomes.append(results.get(timeout=90))
    except queue.Empty:
        raise AssertionError(f"a terminal hung; got only {outcomes}") from None
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
    assert all(worker.exitcode == 0 for worker in workers)
    for round_number, barcode in enumerate(barcodes):
        this_round = sorted(o for o in outcomes if o[0] == round_number)
        (won,) = [o for o in this_round if o[2] == "done"]
        (lost,) = [o for o in this_round if o[2] != "done"]
        assert lost[2] == "Conflict", this_round
        where = "JOIN items ON items.id = {0}.item_id WHERE items.barcode = ?"
        sales = count(demo_path, f"SELECT count(*) FROM sale_lines {where.format('sale_lines')}",
                      barcode)  # fmt: skip
        holds = count(demo_path, f"SELECT count(*) FROM item_holds {where.format('item_holds')}",
                      barcode)  # fmt: skip
        if won[1] == "sell":
            assert (status_of(demo_path, barcode), sales, holds) == ("sold", 1, 0)
            assert lost[3].endswith("cannot be held: it is sold.")
        else:
            assert (status_of(demo_path, barcode), sales, holds) == ("reserved", 0, 1)
            assert lost[3].endswith(
                "was sold or taken off sale meanwhile; remove it from the sale."
            )


def test_a_count_expects_a_held_item(demo_db: Database, demo_path: Path, manager: Actor) -> None:
    number = consignor_of(demo_path, available_barcodes(demo_path, 1)[0])
    held_before, held_during, *rest = consignor_items(demo_path, number)
    hold_item(demo_db, manager, held_before)
    count_id = start_count(demo_db, manager, f"consignor:{number}")
    hold_item(demo_db, manager, held_during)
    scan_codes(demo_db, manager, count_id, [held_before, held_during, *rest])
    report = count_report(demo_db, count_id)
    assert (report.missing, report.extra) == ([], [])

    second = start_count(demo_db, manager, f"consignor:{number}")
    scan_codes(demo_db, manager, second, [held_during, *rest])
    (line,) = count_report(demo_db, second).missing
    assert line.barcode == held_before
    assert (line.status, line.expected, line.counted) == (ItemStatus.RESERVED, 1, 0)
    commit_count(demo_db, manager, second)
    assert status_of(demo_path, held_before) == "missing"
    assert [h.barcode for h in list_holds(demo_db)] == [held_during]


def test_expired_holds_are_listed_for_putting_back_on_sale(
    demo_db: Database, demo_path: Path, cashier: Actor
) -> None:
    soon, later, open_ended = available_barcodes(demo_path, 3)
    hold_item(demo_db, cashier, later, until=SATURDAY + timedelta(days=7))
    hold_item(demo_db, cashier, open_ended)
    hold_item(demo_db, cashier, soon, until=SATURDAY)

    assert [h.barcode for h in list_holds(demo_db)] == [soon, later, open_ended]
    assert list_holds(demo_db, expired=True) == []
    after_saturday = list_holds(demo_db, expired=True, today=SATURDAY + timedelta(days=1))
    assert [h.barcode for h in after_saturday] == [soon]
