"""Applying consignor, customer, item and stock events from elsewhere.

item.added and stock.moved go through the batch's Projection (sync.projection); the rarer ones
through the ORM."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.models import (
    Consignor,
    Customer,
    ItemKind,
    ItemStatus,
    MovementReason,
)
from sync import item_states
from sync.projection import Applied, Projection
from sync.protocol import WireEvent
from sync.records import (
    NotApplicable,
    as_day,
    customer_id,
    integer,
    integer_or_none,
    item_by_barcode,
    text,
    text_or_none,
)


def consignor_added(session: Session, event: WireEvent) -> None:
    number = event.payload["number"]
    if session.scalar(select(Consignor.id).where(Consignor.number == number)) is None:
        session.add(Consignor(number=number, name=event.payload.get("name") or number))
        session.flush()


def customer_added(session: Session, event: WireEvent) -> None:
    card = event.payload.get("card")
    if card and customer_id(session, card) is None:
        session.add(Customer(name=event.payload.get("name"), card_code=card))
        session.flush()


def item_added(projection: Projection, event: WireEvent) -> Applied:
    p = event.payload
    barcode = text(p["barcode"], 64)
    if projection.item(barcode) is not None:
        return Applied()
    kind = ItemKind(p["kind"])
    values = {
        "barcode": barcode,
        "name": text(p["name"], 200, empty=True),
        "kind": kind,
        "price": integer(p["price"]),
        "category": text_or_none(p.get("category"), 80),
        "consignor_id": projection.consignor(p.get("consignor")),
        "split_bp": integer_or_none(p.get("split_bp")),
        "markdown_on": as_day(p.get("markdown_on")),
        "markdown_bp": integer_or_none(p.get("markdown_percent_bp")),
    }
    quantity = integer(p.get("quantity") or (1 if kind is ItemKind.CONSIGNED else 0))
    row = projection.add_item(values)
    if quantity:
        projection.add_movement(row, MovementReason.INTAKE, quantity, None, None)
    return Applied()


def item_edited(session: Session, event: WireEvent) -> None:
    p = event.payload
    item = item_by_barcode(session, p["barcode"])
    if item is None:
        raise NotApplicable("unknown item")
    for key in ("name", "price", "category"):
        if key in p:
            setattr(item, key, p[key])
    if "markdown_on" in p:
        item.markdown_on = as_day(p["markdown_on"])
        item.markdown_bp = p.get("markdown_percent_bp")


def stock_moved(projection: Projection, event: WireEvent) -> Applied:
    """A movement from elsewhere joins the ledger; a one-of-a-kind item's state is folded again
    from its movements in the order they happened (sync.item_states)."""
    p = event.payload
    reason = MovementReason(p["reason"])
    quantity = integer(p.get("quantity", 0))
    note = text_or_none(p.get("note"), 200)
    counted = integer_or_none(p.get("counted"))
    if counted is not None:  # how a count set the state, for the fold
        note = item_states.counted_note(counted)
    item_states.step(ItemStatus.AVAILABLE, reason, quantity, note, counted)  # it folds
    row = projection.item(text(p["barcode"], 64))
    if row is None:
        raise NotApplicable("unknown item")
    before = row.status
    projection.add_movement(row, reason, quantity, note, event.created_at, counted)
    return Applied(before=before)
