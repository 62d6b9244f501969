"""Applying consignor, customer, item and stock events from elsewhere."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.models import (
    Consignor,
    Customer,
    Item,
    ItemKind,
    MovementReason,
    StockMovement,
)
from sync import item_states
from sync.protocol import WireEvent
from sync.records import NotApplicable, as_day, customer_id, item_by_barcode


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


def item_added(session: Session, event: WireEvent) -> None:
    p = event.payload
    if item_by_barcode(session, p["barcode"]) is not None:
        return
    kind = ItemKind(p["kind"])
    consignor = session.scalar(select(Consignor.id).where(Consignor.number == p.get("consignor")))
    item = Item(
        barcode=p["barcode"],
        name=p["name"],
        kind=kind,
        price=p["price"],
        category=p.get("category"),
        consignor_id=consignor,
        split_bp=p.get("split_bp"),
        markdown_on=as_day(p.get("markdown_on")),
        markdown_bp=p.get("markdown_percent_bp"),
    )
    session.add(item)
    session.flush()
    quantity = int(p.get("quantity") or (1 if kind is ItemKind.CONSIGNED else 0))
    if quantity:
        session.add(StockMovement(item_id=item.id, quantity=quantity, reason=MovementReason.INTAKE))


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


def stock_moved(session: Session, event: WireEvent) -> None:
    """A movement from elsewhere joins the ledger; a one-of-a-kind item's state is folded again
    from its movements in the order they happened (sync.item_states)."""
    p = event.payload
    item = item_by_barcode(session, p["barcode"])
    if item is None:
        raise NotApplicable("unknown item")
    note = p.get("note") or None
    if p.get("counted") is not None:  # how a count set the state, for the fold
        note = item_states.counted_note(int(p["counted"]))
    session.add(
        StockMovement(
            item_id=item.id,
            quantity=int(p.get("quantity", 0)),
            reason=MovementReason(p["reason"]),
            note=note,
            created_at=event.created_at,
        )
    )
    if item.kind is ItemKind.CONSIGNED:
        session.flush()
        item_states.recompute(session, item)
