"""Stock movements other than sales: intake of stock items, adjustments, returns to consignors,
donations, losses and transfers between locations. Each is one ledger line with who, where, when
and why, one outbox event, and for a one-of-a-kind item the state that follows from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Item,
    ItemKind,
    ItemLocation,
    ItemStatus,
    MovementReason,
    Role,
    StockLocation,
    StockMovement,
    StockTransfer,
)
from posapp.services.context import Actor
from posapp.services.errors import Conflict, InvalidInput, NotFound, PermissionRefused
from posapp.services.events import record_event

# What a one-of-a-kind item becomes when it leaves the shelf this way.
LEAVING_STATUS = {
    MovementReason.RETURN_TO_CONSIGNOR: ItemStatus.RETURNED,
    MovementReason.DONATION: ItemStatus.DONATED,
    MovementReason.LOSS: ItemStatus.MISSING,
}


@dataclass(frozen=True)
class MovementDone:
    movement_id: int
    barcode: str
    name: str
    quantity: int
    on_hand: int
    status: ItemStatus


def require_manager(actor: Actor) -> None:
    if actor.role is not Role.MANAGER:
        raise PermissionRefused(tr("Only a manager can change stock or commit a count."))


def find_item(session: Session, barcode: str) -> Item:
    item = session.scalars(select(Item).where(Item.barcode == barcode.strip())).first()
    if item is None:
        raise NotFound(tr("No item with barcode {barcode}.", barcode=barcode.strip()))
    return item


def on_hand(session: Session, item_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.item_id == item_id
        )
    )
    return int(total or 0)


def write_movement(
    session: Session,
    actor: Actor,
    item: Item,
    quantity: int,
    reason: MovementReason,
    note: str | None = None,
    **details: Any,
) -> StockMovement:
    """One ledger line and its outbox event (with ``details`` in its payload), inside the
    caller's transaction."""
    movement = StockMovement(
        item_id=item.id,
        quantity=quantity,
        reason=reason,
        note=note,
        user_id=actor.user_id,
        terminal_id=actor.terminal_id,
    )
    session.add(movement)
    session.flush()
    record_event(
        session,
        actor.terminal_id,
        "stock.moved",
        barcode=item.barcode,
        reason=reason.value,
        quantity=quantity,
        note=note,
        user=actor.user_name,
        **details,
    )
    return movement


def _done(session: Session, item: Item, movement: StockMovement) -> MovementDone:
    total = on_hand(session, item.id)
    return MovementDone(movement.id, item.barcode, item.name, movement.quantity, total, item.status)


def refuse_if_held(item: Item) -> None:
    """A held item waits for its customer: it leaves the shelf only after the hold is released."""
    if item.status is ItemStatus.RESERVED:
        raise Conflict(tr("{name} is held for a customer: release the hold first.", name=item.name))


def _check_quantity(item: Item, quantity: int, have: int) -> None:
    if quantity < 1:
        raise InvalidInput(tr("The quantity must be 1 or more."))
    if item.kind is ItemKind.CONSIGNED and quantity != 1:
        raise InvalidInput(tr("A consigned item is one of a kind: its quantity is 1."))
    if quantity > have:
        raise Conflict(
            tr("{name} has only {count} on hand.", name=item.name, count=have),
        )


def take_out(
    db: Database,
    actor: Actor,
    barcode: str,
    reason: MovementReason,
    quantity: int = 1,
    note: str | None = None,
) -> MovementDone:
    """Return to consignor, donation or loss: stock leaves the shop, and a one-of-a-kind item
    becomes returned, donated or missing."""
    if reason not in LEAVING_STATUS:
        raise InvalidInput(tr("Stock leaves the shop by return, donation or loss."))
    require_manager(actor)
    with db.unit_of_work() as session:
        item = find_item(session, barcode)
        refuse_if_held(item)
        _check_quantity(item, quantity, on_hand(session, item.id))
        if reason is MovementReason.RETURN_TO_CONSIGNOR and item.consignor_id is None:
            raise InvalidInput(tr("{name} has no consignor to return it to.", name=item.name))
        movement = write_movement(session, actor, item, -quantity, reason, note)
        if item.kind is ItemKind.CONSIGNED:
            item.status = LEAVING_STATUS[reason]
        return _done(session, item, movement)


def intake(
    db: Database, actor: Actor, barcode: str, quantity: int, note: str | None = None
) -> MovementDone:
    """More of a stock item came in (a delivery): ``quantity`` units onto the shelf."""
    if quantity < 1:
        raise InvalidInput(tr("The quantity must be 1 or more."))
    require_manager(actor)
    with db.unit_of_work() as session:
        item = find_item(session, barcode)
        if item.kind is not ItemKind.STOCK:
            raise InvalidInput(
                tr("{name} is one of a kind: it came in when it was added.", name=item.name)
            )
        text = (note or "").strip() or None
        movement = write_movement(session, actor, item, quantity, MovementReason.INTAKE, text)
        return _done(session, item, movement)


def adjust(db: Database, actor: Actor, barcode: str, change: int, why: str) -> MovementDone:
    """Add or remove stock with a reason, e.g. +3 'delivery miscounted' or -1 'broken'."""
    if not why.strip():
        raise InvalidInput(tr("An adjustment needs a reason."))
    if change == 0:
        raise InvalidInput(tr("An adjustment changes the quantity by at least 1."))
    require_manager(actor)
    with db.unit_of_work() as session:
        item = find_item(session, barcode)
        refuse_if_held(item)
        after = on_hand(session, item.id) + change
        if after < 0:
            raise Conflict(tr("{name} cannot go below 0 on hand.", name=item.name))
        if item.kind is ItemKind.CONSIGNED and after > 1:
            raise InvalidInput(tr("A consigned item is one of a kind: its quantity is 1."))
        movement = write_movement(
            session, actor, item, change, MovementReason.ADJUSTMENT, why.strip()
        )
        if item.kind is ItemKind.CONSIGNED:
            item.status = ItemStatus.AVAILABLE if after == 1 else ItemStatus.MISSING
        return _done(session, item, movement)


def find_location(session: Session, name: str) -> StockLocation:
    location = session.scalars(select(StockLocation).where(StockLocation.name == name.strip()))
    found = location.first()
    if found is None:
        raise NotFound(tr("No location called {name}.", name=name.strip()))
    return found


def add_location(db: Database, actor: Actor, name: str) -> int:
    if not name.strip():
        raise InvalidInput(tr("The name is empty."))
    require_manager(actor)
    with db.unit_of_work() as session:
        if session.scalar(select(StockLocation.id).where(StockLocation.name == name.strip())):
            raise Conflict(tr("There is already a location called {name}.", name=name.strip()))
        location = StockLocation(name=name.strip())
        session.add(location)
        session.flush()
        record_event(session, actor.terminal_id, "location.added", name=location.name)
        return location.id


def list_locations(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(StockLocation.name).order_by(StockLocation.name)))


def list_categories(db: Database) -> list[str]:
    """The item categories in use, for choosing what to count."""
    with db.reading() as session:
        query = select(Item.category).where(Item.category.is_not(None)).distinct()
        return sorted(str(c) for c in session.scalars(query))


def transfer(db: Database, actor: Actor, barcode: str, to_location: str | None) -> MovementDone:
    """Move an item (all of it) to another location; None: back to the default place."""
    with db.unit_of_work() as session:
        item = find_item(session, barcode)
        target = find_location(session, to_location) if to_location else None
        placed = session.get(ItemLocation, item.id)
        source = placed.location_id if placed else None
        target_id = target.id if target else None
        if source == target_id:
            raise InvalidInput(tr("{name} is already there.", name=item.name))
        note = target.name if target else None
        movement = write_movement(session, actor, item, 0, MovementReason.TRANSFER, note)
        session.add(StockTransfer(movement_id=movement.id, from_location_id=source,
                                  to_location_id=target_id))  # fmt: skip
        if placed is not None and target is None:
            session.delete(placed)
        elif placed is not None and target is not None:
            placed.location_id = target.id
        elif target is not None:
            session.add(ItemLocation(item_id=item.id, location_id=target.id))
        return _done(session, item, movement)
