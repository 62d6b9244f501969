"""Holds: a customer asks the shop to put a one-of-a-kind item aside ("until Saturday").

Holding moves an available item to reserved, releasing moves it back; each is a zero-quantity
movement (who, terminal, when, note) with its ``stock.moved`` event, in one transaction. The hold
row says for whom and until which day. A held item is still in the shop (a count expects it) but
the till refuses it until the hold is released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from posapp import labels
from posapp.db import Database
from posapp.i18n import day, tr
from posapp.models import (
    Customer,
    Item,
    ItemKind,
    ItemStatus,
    MovementReason,
    StockMovement,
    Terminal,
    User,
    utcnow,
)
from posapp.models.stock import ItemHold
from posapp.services import clock
from posapp.services.context import Actor
from posapp.services.errors import Conflict, InvalidInput, NotFound
from posapp.services.stock import MovementDone, find_item, on_hand, write_movement

NOTE_LENGTH = 200  # stock_movements.note


@dataclass(frozen=True)
class HoldInfo:
    """For whom and until when an item is held (both may be unknown)."""

    customer: str | None  # the customer's name, else their card
    customer_card: str | None
    until: date | None


@dataclass(frozen=True)
class HoldDone(MovementDone):
    """A hold just made, and for whom and until when."""

    hold: HoldInfo | None = None


@dataclass(frozen=True)
class HoldRow:
    barcode: str
    name: str
    price: int
    customer: str | None
    customer_card: str | None
    until: date | None
    note: str | None
    user: str | None
    terminal: str | None
    held_at: datetime

    def expired(self, today: date) -> bool:
        return self.until is not None and self.until < today


def held_phrase(hold: HoldInfo | None) -> str:
    """'held for Grace Lin until Dec 12, 2026', 'held for Grace Lin', 'held until ...', 'held'."""
    who = hold.customer if hold else None
    until = hold.until if hold else None
    if who and until:
        return tr("held for {customer} until {date}", customer=who, date=day(until))
    if who:
        return tr("held for {customer}", customer=who)
    if until:
        return tr("held until {date}", date=day(until))
    return tr("held")


def _customer_label(name: str | None, card: str | None) -> str | None:
    if name:
        return name
    return tr("Customer {card}", card=card) if card else None


def current_hold(session: Session, item_id: int) -> HoldInfo | None:
    """The item's newest hold (what holds it while the item is reserved)."""
    row = session.execute(
        select(ItemHold.until, Customer.name, Customer.card_code)
        .outerjoin(Customer, Customer.id == ItemHold.customer_id)
        .where(ItemHold.item_id == item_id)
        .order_by(ItemHold.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return HoldInfo(_customer_label(row.name, row.card_code), row.card_code, row.until)


def held_refusal(session: Session, item: Item) -> str:
    """What the till says for a held item (one query, only when the scan is refused)."""
    held = held_phrase(current_hold(session, item.id))
    return tr("{name} is {held}: release the hold to sell it.", name=item.name, held=held)


def _find_customer(session: Session, card: str | None) -> Customer | None:
    if card is None or not card.strip():
        return None
    customer = session.scalars(select(Customer).where(Customer.card_code == card.strip())).first()
    if customer is None:
        raise NotFound(tr("No customer with card {card}.", card=card.strip()))
    return customer


def _check_holdable(session: Session, item: Item) -> None:
    if item.kind is not ItemKind.CONSIGNED:
        raise InvalidInput(
            tr("{name} is a stock item: only a one-of-a-kind item can be held.", name=item.name)
        )
    if item.status is ItemStatus.RESERVED:
        held = held_phrase(current_hold(session, item.id))
        raise Conflict(tr("{name} is already {held}.", name=item.name, held=held))
    if item.status is not ItemStatus.AVAILABLE:
        status = labels.item_status(item.status)
        raise Conflict(tr("{name} cannot be held: it is {status}.", name=item.name, status=status))


def _check_until(until: date | None) -> None:
    if until is not None and until < clock.today():
        raise InvalidInput(tr("The hold's last day, {date}, has already passed.", date=day(until)))


def _set_status(session: Session, item: Item, was: ItemStatus, becomes: ItemStatus) -> None:
    """Change the state only if no one changed it since it was read (the race guard)."""
    changed = session.execute(
        update(Item)
        .where(Item.id == item.id, Item.status == was)
        .values(status=becomes, updated_at=utcnow())
        .returning(Item.id),
        execution_options={"synchronize_session": False},
    ).first()
    if changed is None:
        raise Conflict(tr("{name} was sold or changed meanwhile; try again.", name=item.name))
    session.expire(item, ["status", "updated_at"])


def _done(session: Session, item: Item, movement: StockMovement) -> MovementDone:
    return MovementDone(
        movement.id, item.barcode, item.name, 0, on_hand(session, item.id), item.status
    )


def hold_item(
    db: Database,
    actor: Actor,
    barcode: str,
    customer_card: str | None = None,
    until: date | None = None,
    note: str = "",
) -> HoldDone:
    """Put an available one-of-a-kind item aside: it becomes reserved."""
    text = note.strip() or None
    if text and len(text) > NOTE_LENGTH:
        raise InvalidInput(tr("A note is at most {n} characters.", n=NOTE_LENGTH))
    _check_until(until)
    with db.unit_of_work() as session:
        item = find_item(session, barcode)
        customer = _find_customer(session, customer_card)
        _check_holdable(session, item)
        _set_status(session, item, ItemStatus.AVAILABLE, ItemStatus.RESERVED)
        movement = write_movement(
            session,
            actor,
            item,
            0,
            MovementReason.HOLD,
            text,
            customer=customer.card_code if customer else None,
            until=until.isoformat() if until else None,
        )
        session.add(
            ItemHold(
                item_id=item.id,
                movement_id=movement.id,
                customer_id=customer.id if customer else None,
                until=until,
            )
        )
        card = customer.card_code if customer else None
        who = _customer_label(customer.name, card) if customer else None
        return HoldDone(**vars(_done(session, item, movement)), hold=HoldInfo(who, card, until))


def release_hold(db: Database, actor: Actor, barcode: str) -> MovementDone:
    """End an item's hold: it is on sale again."""
    with db.unit_of_work() as session:
        item = find_item(session, barcode)
        if item.status is not ItemStatus.RESERVED:
            raise Conflict(tr("{name} is not held.", name=item.name))
        hold = session.scalars(
            select(ItemHold)
            .where(ItemHold.item_id == item.id)
            .order_by(ItemHold.id.desc())
            .limit(1)
        ).first()
        _set_status(session, item, ItemStatus.RESERVED, ItemStatus.AVAILABLE)
        movement = write_movement(session, actor, item, 0, MovementReason.RELEASE)
        if hold is not None:
            hold.released_movement_id = movement.id
        return _done(session, item, movement)


def _holds_query() -> Select[*tuple[Any, ...]]:
    newest = (
        select(func.max(ItemHold.id))
        .where(ItemHold.item_id == Item.id)
        .correlate(Item)
        .scalar_subquery()
    )
    return (
        select(
            ItemHold,
            Item.barcode,
            Item.name,
            Item.price,
            Customer.name,
            Customer.card_code,
            User.name,
            Terminal.name,
            StockMovement.created_at,
            StockMovement.note,
        )
        .join(Item, Item.id == ItemHold.item_id)
        .join(StockMovement, StockMovement.id == ItemHold.movement_id)
        .outerjoin(Customer, Customer.id == ItemHold.customer_id)
        .outerjoin(User, User.id == StockMovement.user_id)
        .outerjoin(Terminal, Terminal.id == StockMovement.terminal_id)
        .where(Item.status == ItemStatus.RESERVED, ItemHold.id == newest)
        .order_by(ItemHold.until.is_(None), ItemHold.until, ItemHold.id)
    )


def list_holds(db: Database, expired: bool = False, today: date | None = None) -> list[HoldRow]:
    """Items held now, soonest last day first (no last day at the end); ``expired``: only those
    whose last day has passed, to put back on sale."""
    query = _holds_query()
    if expired:
        query = query.where(ItemHold.until < (today or clock.today()))
    with db.reading() as session:
        return [
            HoldRow(
                barcode=barcode,
                name=name,
                price=int(price),
                customer=_customer_label(customer, card),
                customer_card=card,
                until=hold.until,
                note=note,
                user=user,
                terminal=terminal,
                held_at=held_at,
            )
            for hold, barcode, name, price, customer, card, user, terminal, held_at, note in (
                session.execute(query)
            )
        ]
