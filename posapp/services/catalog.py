"""Items and consignors: listing, adding, editing. On-hand quantities come from the stock ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, ScalarSelect, func, or_, select
from sqlalchemy.orm import Session
from stdnum import ean

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Consignor,
    Item,
    ItemKind,
    ItemStatus,
    MovementReason,
    StockMovement,
)
from posapp.services.context import Actor
from posapp.services.errors import Conflict, InvalidInput, NotFound
from posapp.services.events import record_event


@dataclass(frozen=True)
class Markdown:
    """An automatic price cut by age: from ``on`` the item sells ``percent_bp`` below its price."""

    on: date
    percent_bp: int  # basis points: 3000 = 30% off


def markdown_of(item: Item) -> Markdown | None:
    if item.markdown_on is None or item.markdown_bp is None:
        return None
    return Markdown(item.markdown_on, item.markdown_bp)


def validate_markdown(markdown: Markdown | None) -> None:
    if markdown is not None and not 0 < markdown.percent_bp < 10_000:
        raise InvalidInput(tr("A markdown is more than 0% and less than 100%."))


@dataclass(frozen=True)
class ItemRow:
    id: int
    barcode: str
    name: str
    kind: ItemKind
    price: int
    quantity: int
    status: ItemStatus
    consignor_number: str | None
    consignor_name: str | None
    split_bp: int | None
    category: str | None
    intake_date: date | None
    markdown: Markdown | None = None


@dataclass(frozen=True)
class ConsignorRow:
    id: int
    number: str
    name: str
    phone: str | None
    default_split_bp: int
    items_available: int


@dataclass(frozen=True)
class NewItem:
    barcode: str
    name: str
    price: int
    kind: ItemKind
    quantity: int = 1
    consignor_number: str | None = None
    split_bp: int | None = None  # None: the consignor's default split
    category: str | None = None
    intake_date: date | None = None
    markdown: Markdown | None = None


def _on_hand() -> ScalarSelect[int]:
    """The item's on-hand quantity, summed from its movements for each listed row only."""
    return (
        select(func.coalesce(func.sum(StockMovement.quantity), 0))
        .where(StockMovement.item_id == Item.id)
        .correlate(Item)
        .scalar_subquery()
    )


def _item_search(search: str) -> ColumnElement[bool]:
    """Barcode or name contains ``search``, or the consignor's number is it or name contains it."""
    pattern = f"%{search.strip()}%"
    return or_(
        Item.barcode.like(pattern),
        Item.name.like(pattern),
        Consignor.number == search.strip(),
        Consignor.name.like(pattern),
    )


def list_items(
    db: Database, search: str | None = None, limit: int | None = None, offset: int = 0
) -> list[ItemRow]:
    """Items with on-hand quantity, newest first; ``search`` matches barcode, name or consignor."""
    with db.reading() as session:
        query = (
            select(Item, Consignor.number, Consignor.name, _on_hand())
            .outerjoin(Consignor, Consignor.id == Item.consignor_id)
            .order_by(Item.id.desc())
            .offset(offset)
        )
        if search:
            query = query.where(_item_search(search))
        if limit is not None:
            query = query.limit(limit)
        return [
            ItemRow(
                item.id,
                item.barcode,
                item.name,
                item.kind,
                item.price,
                int(quantity),
                item.status,
                number,
                cname,
                item.split_bp,
                item.category,
                item.intake_date,
                markdown_of(item),
            )
            for item, number, cname, quantity in session.execute(query)
        ]


def count_items(db: Database, search: str | None = None) -> int:
    """How many items :func:`list_items` would list with the same ``search``."""
    with db.reading() as session:
        query = select(func.count(Item.id)).outerjoin(Consignor, Consignor.id == Item.consignor_id)
        if search:
            query = query.where(_item_search(search))
        return int(session.scalar(query) or 0)


def next_item_barcode(db: Database) -> str:
    """A free in-store EAN-13 (prefix 2) for a new tag: one past the highest such barcode."""
    with db.reading() as session:
        highest = session.scalar(
            select(func.max(Item.barcode)).where(
                Item.barcode.like("2%"), func.length(Item.barcode) == 13
            )
        )
    number = int(highest[1:12]) + 1 if highest and highest[1:12].isdigit() else 1
    body = f"2{number:011d}"
    return body + str(ean.calc_check_digit(body))


def consignor_by_number(session: Session, number: str) -> Consignor:
    consignor = session.scalars(select(Consignor).where(Consignor.number == number)).first()
    if consignor is None:
        raise NotFound(tr("No consignor number {number}.", number=number))
    return consignor


def validate_new_item(item: NewItem) -> None:
    if not item.barcode.strip():
        raise InvalidInput(tr("The barcode is empty."))
    if not item.name.strip():
        raise InvalidInput(tr("The name is empty."))
    if item.price < 0:
        raise InvalidInput(tr("The price cannot be negative."))
    if item.kind is ItemKind.CONSIGNED:
        if not item.consignor_number:
            raise InvalidInput(tr("A consigned item needs a consignor number."))
        if item.quantity != 1:
            raise InvalidInput(tr("A consigned item is one of a kind: its quantity is 1."))
    elif item.quantity < 0:
        raise InvalidInput(tr("The quantity cannot be negative."))
    if item.split_bp is not None and not 0 <= item.split_bp <= 10_000:
        raise InvalidInput(tr("A split is between 0% and 100%."))
    validate_markdown(item.markdown)


def add_item_in(session: Session, actor: Actor, new: NewItem) -> Item:
    """Add one item and its intake movement inside the caller's transaction."""
    validate_new_item(new)
    if session.scalar(select(Item.id).where(Item.barcode == new.barcode)) is not None:
        raise Conflict(tr("Barcode {barcode} is already used.", barcode=new.barcode))
    consignor = consignor_by_number(session, new.consignor_number) if new.consignor_number else None
    split = new.split_bp
    if consignor is not None and split is None:
        split = consignor.default_split_bp
    item = Item(
        barcode=new.barcode.strip(),
        name=new.name.strip(),
        kind=new.kind,
        price=new.price,
        category=new.category,
        consignor_id=consignor.id if consignor else None,
        split_bp=split if consignor else None,
        intake_date=new.intake_date or (date.today() if consignor else None),
        markdown_on=new.markdown.on if new.markdown else None,
        markdown_bp=new.markdown.percent_bp if new.markdown else None,
    )
    session.add(item)
    session.flush()
    if new.quantity:
        session.add(
            StockMovement(
                item_id=item.id,
                quantity=new.quantity,
                reason=MovementReason.INTAKE,
                user_id=actor.user_id,
                terminal_id=actor.terminal_id,
            )
        )
    record_event(
        session,
        actor.terminal_id,
        "item.added",
        barcode=item.barcode,
        name=item.name,
        kind=item.kind.value,
        price=item.price,
        quantity=new.quantity,
        consignor=new.consignor_number,
        category=item.category,
        split_bp=item.split_bp,
        **_markdown_payload(new.markdown),
    )
    return item


def add_item(db: Database, actor: Actor, new: NewItem) -> int:
    with db.unit_of_work() as session:
        return add_item_in(session, actor, new).id


def _markdown_payload(markdown: Markdown | None) -> dict[str, object]:
    return {
        "markdown_on": markdown.on.isoformat() if markdown else None,
        "markdown_percent_bp": markdown.percent_bp if markdown else None,
    }


class _Unchanged:
    """edit_item's default for the markdown: leave it as it is (None clears it)."""


UNCHANGED = _Unchanged()


def edit_item(
    db: Database,
    actor: Actor,
    item_id: int,
    *,
    name: str | None = None,
    price: int | None = None,
    category: str | None = None,
    markdown: Markdown | _Unchanged | None = UNCHANGED,
) -> None:
    """Change an item's name, price, category or markdown (quantities change only through
    movements); ``markdown=None`` takes the markdown off."""
    with db.unit_of_work() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise NotFound(tr("No such item."))
        _edit(session, actor, item, name, price, category, markdown)


def set_markdown(db: Database, actor: Actor, barcode: str, markdown: Markdown | None) -> None:
    """Give the item with ``barcode`` a markdown, or take it off (None)."""
    with db.unit_of_work() as session:
        item = session.scalars(select(Item).where(Item.barcode == barcode.strip())).first()
        if item is None:
            raise NotFound(tr("No item with barcode {barcode}.", barcode=barcode))
        _edit(session, actor, item, None, None, None, markdown)


def _edit(
    session: Session,
    actor: Actor,
    item: Item,
    name: str | None,
    price: int | None,
    category: str | None,
    markdown: Markdown | _Unchanged | None,
) -> None:
    if name is not None:
        if not name.strip():
            raise InvalidInput(tr("The name is empty."))
        item.name = name.strip()
    if price is not None:
        if price < 0:
            raise InvalidInput(tr("The price cannot be negative."))
        item.price = price
    if category is not None:
        item.category = category or None
    if not isinstance(markdown, _Unchanged):
        validate_markdown(markdown)
        item.markdown_on = markdown.on if markdown else None
        item.markdown_bp = markdown.percent_bp if markdown else None
    record_event(
        session,
        actor.terminal_id,
        "item.edited",
        barcode=item.barcode,
        name=item.name,
        price=item.price,
        category=item.category,
        **_markdown_payload(markdown_of(item)),
    )


def list_consignors(db: Database) -> list[ConsignorRow]:
    with db.reading() as session:
        available = (
            select(Item.consignor_id, func.count().label("n"))
            .where(Item.status == ItemStatus.AVAILABLE)
            .group_by(Item.consignor_id)
            .subquery()
        )
        rows = session.execute(
            select(Consignor, func.coalesce(available.c.n, 0))
            .outerjoin(available, available.c.consignor_id == Consignor.id)
            .order_by(Consignor.number)
        )
        return [
            ConsignorRow(c.id, c.number, c.name, c.phone, c.default_split_bp, int(n))
            for c, n in rows
        ]


def add_consignor(
    db: Database, actor: Actor, name: str, phone: str | None = None, split_bp: int = 6000
) -> str:
    """Add a consignor with the next free 6-digit number; returns the number."""
    if not name.strip():
        raise InvalidInput(tr("The name is empty."))
    if not 0 <= split_bp <= 10_000:
        raise InvalidInput(tr("A split is between 0% and 100%."))
    with db.unit_of_work() as session:
        highest = session.scalar(select(func.max(Consignor.number)))
        number = f"{int(highest or '100000') + 1:06d}"
        session.add(
            Consignor(number=number, name=name.strip(), phone=phone, default_split_bp=split_bp)
        )
        record_event(
            session, actor.terminal_id, "consignor.added", number=number, name=name.strip()
        )
        return number
