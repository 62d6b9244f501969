"""The outbox: every state change writes its events in the same transaction, numbered per
terminal without gaps, each with its own id."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import CampaignState, ItemKind, PaymentMethod
from posapp.services.campaigns import (
    generate_coupons,
    issue_coupon,
    set_campaign_state,
    void_coupon,
)
from posapp.services.cart import Cart
from posapp.services.catalog import NewItem, add_item, edit_item
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor, back_office_actor
from posapp.services.errors import Conflict
from posapp.services.refunds import refund_sale
from tests.core.helpers import available_barcodes, campaign, scan_all, sell, snapshot


def events(path: Path) -> list[tuple[str, str, int, str]]:
    """(id, terminal uuid, seq, type) of every event, in the order they were numbered."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT id, terminal_uuid, seq, type FROM outbox_events ORDER BY terminal_uuid, seq"
        ).fetchall()
        return [(str(a), str(b), int(c), str(d)) for a, b, c, d in rows]
    finally:
        connection.close()


def new_types(path: Path, before: list[tuple[str, str, int, str]]) -> list[str]:
    seen = {row[0] for row in before}
    return sorted(row[3] for row in events(path) if row[0] not in seen)


def test_each_action_writes_its_events(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    def after(action: object) -> list[str]:
        before = events(demo_path)
        assert callable(action)
        action()
        return new_types(demo_path, before)

    name = "Evented"
    assert after(lambda: campaign(demo_db, manager, name)) == ["campaign.created"]
    codes: list[str] = []
    assert after(lambda: codes.extend(generate_coupons(demo_db, manager, name, 3))) == [
        "coupons.generated"
    ]
    assert after(lambda: issue_coupon(demo_db, manager, codes[0])) == ["coupon.issued"]
    assert after(lambda: void_coupon(demo_db, manager, codes[1])) == ["coupon.voided"]
    new_item = NewItem("2999999999994", "Hat", 1_500, ItemKind.STOCK, quantity=4)
    assert after(lambda: add_item(demo_db, manager, new_item)) == ["item.added"]
    first, second = available_barcodes(demo_path, 2)
    sold: list[str] = []
    assert after(lambda: sold.append(sell(demo_db, cashier, first, second, codes[0]).number)) == [
        "coupon.redeemed",
        "sale.committed",
        "stock.moved",
        "stock.moved",
    ]
    assert after(lambda: refund_sale(demo_db, manager, sold[0])) == [
        "coupon.reversed",
        "sale.refunded",
        "stock.moved",
        "stock.moved",
    ]
    assert after(lambda: set_campaign_state(demo_db, manager, name, CampaignState.PAUSED)) == [
        "campaign.state"
    ]


def test_a_refused_action_writes_no_event(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    stale = Cart(cashier.currency)
    scan_all(demo_db, stale, barcode)
    sell(demo_db, cashier, barcode)
    before = snapshot(demo_path)
    with pytest.raises(Conflict):
        commit_sale(demo_db, cashier, stale, [Tender(PaymentMethod.CASH, None)])
    with pytest.raises(Conflict):
        campaign(demo_db, manager, "Welcome ¥20")  # the demo already has it
    assert snapshot(demo_path)["outbox_events"] == before["outbox_events"]
    assert snapshot(demo_path)["terminals"] == before["terminals"]


def test_sequence_numbers_per_terminal_have_no_gaps_and_ids_are_unique(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    second_till = back_office_actor(demo_db, "Cashier", terminal="T2")
    items = available_barcodes(demo_path, 6)
    for index, barcode in enumerate(items):
        till = cashier if index % 2 else second_till
        receipt = sell(demo_db, till, barcode)
        if index % 3 == 0:
            refund_sale(demo_db, manager, receipt.number)
    edit_item(demo_db, second_till, 1, price=99_00)
    rows = events(demo_path)
    assert len({row[0] for row in rows}) == len(rows)
    by_terminal: dict[str, list[int]] = defaultdict(list)
    for _, terminal, seq, _ in rows:
        by_terminal[terminal].append(seq)
    assert len(by_terminal) == 2
    connection = sqlite3.connect(demo_path)
    counters = dict(connection.execute("SELECT uuid, last_event_seq FROM terminals").fetchall())
    connection.close()
    for terminal, seqs in by_terminal.items():
        assert seqs == list(range(1, len(seqs) + 1)), terminal
        assert counters[terminal] == len(seqs)
