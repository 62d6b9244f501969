"""One-of-a-kind items at the hub: reserved while in a cart or an online checkout, sold online,
and withheld from the online channel while their shop has not synced for too long."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from posapp.i18n import tr
from posapp.models import (
    HubClient,
    HubItemOrigin,
    HubItemReservation,
    HubOnlineSale,
    Item,
    ItemKind,
    ItemStatus,
    MovementReason,
    utcnow,
)
from sync.apply import apply_one
from sync.hub import log
from sync.hub.config import HubConfig
from sync.protocol import (
    ItemReservationOut,
    ItemReserve,
    OnlineItem,
    OnlineItems,
    OnlineSale,
    OnlineSaleOut,
    Refused,
)


class ItemRefused(Exception):
    def __init__(self, refused: Refused, status: int = 409) -> None:
        super().__init__(refused.message)
        self.refused = refused
        self.status = status


def _item(session: Session, barcode: str) -> Item:
    item = session.scalars(select(Item).where(Item.barcode == barcode).with_for_update()).first()
    if item is None:
        raise ItemRefused(
            Refused(
                reason="unknown_item",
                message=tr("No item with barcode {barcode}.", barcode=barcode),
            ),
            404,
        )
    return item


def _withheld(session: Session, barcode: str, config: HubConfig, now: datetime) -> bool:
    """The item's shop has not been heard from for longer than the set time (items the hub
    knows no shop for are never withheld)."""
    origin = session.get(HubItemOrigin, barcode)
    if origin is None:
        return False
    seen = session.scalar(select(HubClient.last_seen_at).where(HubClient.id == origin.client_id))
    return seen is None or now - seen > timedelta(minutes=config.withhold_after_minutes)


def _refuse_unavailable(
    session: Session, client: HubClient, item: Item, config: HubConfig, reservation: str | None
) -> None:
    now = utcnow()
    if item.kind is ItemKind.CONSIGNED and item.status is not ItemStatus.AVAILABLE:
        raise ItemRefused(
            Refused(
                reason=f"item_{item.status.value}",
                message=tr("{name} is no longer available.", name=item.name),
            )
        )
    other = session.scalars(
        select(HubItemReservation).where(
            HubItemReservation.barcode == item.barcode,
            HubItemReservation.ended_at.is_(None),
            HubItemReservation.expires_at > now,
            HubItemReservation.id != (reservation or ""),
        )
    ).first()
    if item.kind is ItemKind.CONSIGNED and other is not None:
        raise ItemRefused(
            Refused(
                reason="item_reserved",
                message=tr("{name} is in another cart right now.", name=item.name),
            )
        )
    if client.kind == "online" and _withheld(session, item.barcode, config, now):
        raise ItemRefused(
            Refused(
                reason="item_withheld",
                message=tr(
                    "{name} is not offered online: its shop has not synced for too long.",
                    name=item.name,
                ),
            )
        )


def reserve(
    session: Session, client: HubClient, barcode: str, body: ItemReserve, config: HubConfig
) -> ItemReservationOut:
    """Hold the item for ``body.seconds``; asking again with the same id renews the hold. A
    hold that has run out is renewed only if the item is still free: meanwhile it may have been
    sold online or put in another cart."""
    item = _item(session, barcode)
    now = utcnow()
    existing = session.get(HubItemReservation, body.reservation_id)
    mine = (
        existing is not None
        and existing.ended_at is None
        and existing.client_id == client.id
        and existing.barcode == barcode
    )
    if existing is None or not mine or existing.expires_at <= now:
        _refuse_unavailable(session, client, item, config, body.reservation_id)
    if existing is not None and not mine:  # ended, someone else's, or for another item
        raise ItemRefused(
            Refused(
                reason="reservation_used",
                message=tr("This reservation id is already used for another reservation."),
            )
        )
    if existing is None:
        existing = HubItemReservation(id=body.reservation_id, barcode=barcode, client_id=client.id)
        session.add(existing)
    existing.expires_at = now + timedelta(seconds=body.seconds)
    session.flush()
    return ItemReservationOut(id=existing.id, barcode=barcode, expires_at=existing.expires_at)


def release(session: Session, client: HubClient, reservation_id: str) -> None:
    session.execute(
        update(HubItemReservation)
        .where(
            HubItemReservation.id == reservation_id,
            HubItemReservation.client_id == client.id,
            HubItemReservation.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )


def sell_online(
    session: Session, client: HubClient, barcode: str, body: OnlineSale, config: HubConfig
) -> OnlineSaleOut:
    """The online store sold the item: logged as a sale movement every terminal applies. The
    same order reference twice is one sale."""
    log.lock_log(session)
    done = session.get(HubOnlineSale, body.order_ref)
    if done is not None:
        if done.barcode != barcode:
            raise ItemRefused(
                Refused(reason="order_ref_used", message=tr("This order reference is used."))
            )
        return OnlineSaleOut(order_ref=done.id, barcode=barcode, sold_at=done.sold_at)
    item = _item(session, barcode)
    own = session.scalars(
        select(HubItemReservation.id).where(
            HubItemReservation.barcode == barcode,
            HubItemReservation.client_id == client.id,
            HubItemReservation.ended_at.is_(None),
        )
    ).first()
    _refuse_unavailable(session, client, item, config, own)
    sale = HubOnlineSale(
        id=body.order_ref,
        barcode=barcode,
        client_id=client.id,
        customer_email=body.customer_email,
        sold_at=utcnow(),
    )
    session.add(sale)
    event = log.hub_event(
        session,
        "stock.moved",
        barcode=barcode,
        quantity=-1,
        reason=MovementReason.SALE.value,
        channel="online",
        order_ref=body.order_ref,
        client=client.name,
    )
    problem = apply_one(session, event)
    assert problem is None, problem
    session.execute(
        update(HubItemReservation)
        .where(HubItemReservation.barcode == barcode, HubItemReservation.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    session.flush()
    return OnlineSaleOut(order_ref=sale.id, barcode=barcode, sold_at=sale.sold_at)


def online_sale(session: Session, order_ref: str) -> HubOnlineSale | None:
    return session.get(HubOnlineSale, order_ref)


def online_catalogue(session: Session, config: HubConfig, after: int, limit: int) -> OnlineItems:
    """Items the online store may offer: available, and not withheld."""
    now = utcnow()
    silent_since = now - timedelta(minutes=config.withhold_after_minutes)
    silent = (
        select(HubItemOrigin.barcode)
        .join(HubClient, HubClient.id == HubItemOrigin.client_id)
        .where((HubClient.last_seen_at.is_(None)) | (HubClient.last_seen_at < silent_since))
    )
    rows = session.scalars(
        select(Item)
        .where(
            Item.id > after,
            Item.status == ItemStatus.AVAILABLE,
            Item.barcode.not_in(silent),
        )
        .order_by(Item.id)
        .limit(limit)
    ).all()
    return OnlineItems(
        items=[
            OnlineItem(
                barcode=item.barcode,
                name=item.name,
                price=item.price,
                kind=item.kind.value,
                status=item.status.value,
                category=item.category,
            )
            for item in rows
        ],
        next_after=rows[-1].id if rows else after,
        more=len(rows) == limit,
    )
