"""The stock ledger beyond sales: each movement has who, where, when and why, goes to the outbox,
and a one-of-a-kind item's state follows it. Refused movements write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import ItemStatus, MovementReason
from posapp.services.context import Actor
from posapp.services.errors import Conflict, InvalidInput, NotFound, PermissionRefused
from posapp.services.stock import (
    add_location,
    adjust,
    intake,
    list_locations,
    take_out,
    transfer,
)
from posapp.services.stock_ledger import list_movements
from tests.core.helpers import available_barcodes, count, one, sell, snapshot

HANGERS = "2000000009025"  # demo stock item, 25 on hand


def status_of(path: Path, barcode: str) -> str:
    return str(one(path, "SELECT status FROM items WHERE barcode = ?", barcode)[0])


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        (MovementReason.RETURN_TO_CONSIGNOR, "returned"),
        (MovementReason.DONATION, "donated"),
        (MovementReason.LOSS, "missing"),
    ],
)
def test_a_consigned_item_leaving_the_shop_takes_the_state_of_its_movement(
    demo_db: Database, demo_path: Path, manager: Actor, reason: MovementReason, status: str
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    events_before = count(demo_path, "SELECT count(*) FROM outbox_events")

    done = take_out(demo_db, manager, barcode, reason, note="end of consignment")

    assert (done.quantity, done.on_hand, done.status.value) == (-1, 0, status)
    assert status_of(demo_path, barcode) == status
    latest = list_movements(demo_db, barcode)[0]
    assert (latest.reason, latest.quantity, latest.note) == (reason, -1, "end of consignment")
    assert (latest.user, latest.terminal) == ("Manager", "T1")
    assert count(demo_path, "SELECT count(*) FROM outbox_events") == events_before + 1
    assert one(demo_path, "SELECT type FROM outbox_events ORDER BY seq DESC LIMIT 1")[0] == (
        "stock.moved"
    )


def test_stock_items_are_donated_by_quantity(demo_db: Database, manager: Actor) -> None:
    done = take_out(demo_db, manager, HANGERS, MovementReason.DONATION, quantity=5)
    assert (done.quantity, done.on_hand, done.status) == (-5, 20, ItemStatus.AVAILABLE)


def test_an_adjustment_needs_a_reason_and_a_manager(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    before = snapshot(demo_path)
    with pytest.raises(InvalidInput, match="needs a reason"):
        adjust(demo_db, manager, HANGERS, -2, "  ")
    with pytest.raises(PermissionRefused, match="Only a manager"):
        adjust(demo_db, cashier, HANGERS, -2, "broken")
    with pytest.raises(Conflict, match="below 0"):
        adjust(demo_db, manager, HANGERS, -26, "broken")
    with pytest.raises(NotFound, match="No item with barcode 123"):
        adjust(demo_db, manager, "123", 1, "found")
    assert snapshot(demo_path) == before

    done = adjust(demo_db, manager, HANGERS, -2, "broken")
    assert done.on_hand == 23
    assert list_movements(demo_db, HANGERS)[0].note == "broken"


def test_taking_out_more_than_is_on_hand_is_refused_and_writes_nothing(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    sell(demo_db, manager, barcode)
    before = snapshot(demo_path)
    with pytest.raises(Conflict, match="only 0 on hand"):
        take_out(demo_db, manager, barcode, MovementReason.DONATION)
    with pytest.raises(InvalidInput, match="1 or more"):
        take_out(demo_db, manager, HANGERS, MovementReason.LOSS, quantity=0)
    with pytest.raises(InvalidInput, match="one of a kind"):
        take_out(demo_db, manager, available_barcodes(demo_path, 1)[0], MovementReason.LOSS, 2)
    assert snapshot(demo_path) == before


def test_a_sale_shows_in_the_ledger_with_its_sale_number(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    (barcode,) = available_barcodes(demo_path, 1)
    receipt = sell(demo_db, manager, barcode)
    latest = list_movements(demo_db, barcode)[0]
    assert (latest.reason, latest.quantity, latest.sale_number) == (
        MovementReason.SALE,
        -1,
        receipt.number,
    )


def test_a_transfer_moves_the_item_between_locations_without_changing_on_hand(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    add_location(demo_db, manager, "Back room")
    add_location(demo_db, manager, "Window")
    assert list_locations(demo_db) == ["Back room", "Window"]
    with pytest.raises(Conflict):
        add_location(demo_db, manager, "Window")
    with pytest.raises(NotFound, match="No location called Attic"):
        transfer(demo_db, manager, HANGERS, "Attic")

    transfer(demo_db, manager, HANGERS, "Back room")
    done = transfer(demo_db, manager, HANGERS, "Window")

    assert done.on_hand == 25
    latest = list_movements(demo_db, HANGERS)[0]
    assert (latest.reason, latest.quantity) == (MovementReason.TRANSFER, 0)
    assert (latest.from_location, latest.to_location) == ("Back room", "Window")
    with pytest.raises(InvalidInput, match="already there"):
        transfer(demo_db, manager, HANGERS, "Window")
    transfer(demo_db, manager, HANGERS, None)
    assert count(demo_path, "SELECT count(*) FROM item_locations") == 0


def test_intake_adds_stock_with_a_movement_and_an_event(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    done = intake(demo_db, manager, HANGERS, 10, note=" delivery 42 ")

    assert (done.quantity, done.on_hand) == (10, 35)
    latest = list_movements(demo_db, HANGERS)[0]
    assert (latest.reason, latest.quantity, latest.note, latest.user) == (
        MovementReason.INTAKE, 10, "delivery 42", "Manager",
    )  # fmt: skip
    kind, payload = one(
        demo_path, "SELECT type, payload FROM outbox_events ORDER BY seq DESC LIMIT 1"
    )
    assert kind == "stock.moved"
    assert json.loads(str(payload)) == {"barcode": HANGERS, "reason": "intake", "quantity": 10,
                                        "note": "delivery 42", "user": "Manager"}  # fmt: skip

    before = snapshot(demo_path)
    (one_of_a_kind,) = available_barcodes(demo_path, 1)
    with pytest.raises(InvalidInput, match="one of a kind"):
        intake(demo_db, manager, one_of_a_kind, 1)
    with pytest.raises(InvalidInput, match="1 or more"):
        intake(demo_db, manager, HANGERS, 0)
    with pytest.raises(NotFound):
        intake(demo_db, manager, "2999999999999", 1)
    with pytest.raises(PermissionRefused):
        intake(demo_db, cashier, HANGERS, 1)
    assert snapshot(demo_path) == before
