"""What terminals pull: the log after their cursor, and for a new terminal a snapshot first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from posapp.models import (
    Campaign,
    Consignor,
    Coupon,
    CouponRedemption,
    CouponReversal,
    Customer,
    HubClient,
    HubLogEntry,
    HubOrigin,
    Item,
    ItemKind,
    StockMovement,
    Store,
    User,
)
from sync import item_states
from sync.hub import log
from sync.protocol import Change, Changes, SnapshotPage, SnapshotTable, WireEvent


def changes_after(session: Session, client: HubClient, after: int, limit: int) -> Changes:
    """Log entries after ``after`` that did not come from this client's own terminals."""
    head = log.log_head(session)
    own = select(HubOrigin.origin).where(HubOrigin.client_id == client.id)
    rows = session.scalars(
        select(HubLogEntry)
        .where(HubLogEntry.id > after, HubLogEntry.id <= head, HubLogEntry.origin.not_in(own))
        .order_by(HubLogEntry.id)
        .limit(limit)
    ).all()
    more = len(rows) == limit
    next_cursor = rows[-1].id if more else max(head, after)
    return Changes(
        changes=[
            Change(
                cursor=row.id,
                event=WireEvent(
                    id=row.event_id,
                    origin=row.origin,
                    seq=row.seq,
                    type=row.type,
                    payload=row.payload,
                    created_at=row.created_at,
                ),
            )
            for row in rows
        ],
        next_cursor=next_cursor,
        more=more,
    )


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _stores(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    rows = session.scalars(select(Store).where(Store.id > after).order_by(Store.id).limit(limit))
    return [(s.id, {"name": s.name, "currency": s.currency, "locale": s.locale}) for s in rows]


def _users(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    rows = session.scalars(select(User).where(User.id > after).order_by(User.id).limit(limit))
    return [
        (u.id, {"name": u.name, "role": u.role.value, "pin_hash": u.pin_hash, "active": u.active})
        for u in rows
    ]


def _consignors(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    rows = session.scalars(
        select(Consignor).where(Consignor.id > after).order_by(Consignor.id).limit(limit)
    )
    return [
        (c.id, {"number": c.number, "name": c.name, "split_bp": c.default_split_bp}) for c in rows
    ]


def _customers(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    rows = session.scalars(
        select(Customer)
        .where(Customer.id > after, Customer.card_code.is_not(None))
        .order_by(Customer.id)
        .limit(limit)
    )
    return [
        (c.id, {"card": c.card_code, "name": c.name, "birthday": _day(c.birthday)}) for c in rows
    ]


def _campaigns(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    trigger = aliased(Campaign)
    rows = session.execute(
        select(Campaign, trigger.name)
        .outerjoin(trigger, trigger.id == Campaign.bounce_back_of_id)
        .where(Campaign.id > after)
        .order_by(Campaign.id)
        .limit(limit)
    )
    out = []
    for c, bounce_back_of in rows:
        out.append(
            (
                c.id,
                {
                    "name": c.name,
                    "description": c.description,
                    "kind": c.kind.value,
                    "value": c.value,
                    "min_spend": c.min_spend,
                    "valid_from": _day(c.valid_from),
                    "valid_until": _day(c.valid_until),
                    "valid_days": c.valid_days,
                    "max_uses": c.max_uses,
                    "max_uses_per_customer": c.max_uses_per_customer,
                    "channel": c.channel.value,
                    "funding": c.funding.value,
                    "reusable_after_refund": c.reusable_after_refund,
                    "bounce_back_of": bounce_back_of,
                    "bounce_back_min_spend": c.bounce_back_min_spend,
                    "state": c.state.value,
                },
            )
        )
    return out


def _coupons(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    rows = session.execute(
        select(
            Coupon.id,
            Coupon.code,
            Campaign.name,
            Coupon.state,
            Customer.card_code,
            Coupon.issued_at,
            Coupon.expires_on,
            Coupon.origin,
        )
        .join(Campaign, Campaign.id == Coupon.campaign_id)
        .outerjoin(Customer, Customer.id == Coupon.customer_id)
        .where(Coupon.id > after)
        .order_by(Coupon.id)
        .limit(limit)
    )
    return [
        (
            row.id,
            {
                "code": row.code,
                "campaign": row.name,
                "state": row.state.value,
                "customer_card": row.card_code,
                "issued_at": _day(row.issued_at),
                "expires_on": _day(row.expires_on),
                "origin": row.origin or "hub",
            },
        )
        for row in rows
    ]


def _items(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    on_hand = (
        select(func.coalesce(func.sum(StockMovement.quantity), 0))
        .where(StockMovement.item_id == Item.id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Item, Consignor.number, on_hand, item_states.newest_state_change(Item.id))
        .outerjoin(Consignor, Consignor.id == Item.consignor_id)
        .where(Item.id > after)
        .order_by(Item.id)
        .limit(limit)
    ).all()
    consigned = [item.id for item, *_rest in rows if item.kind is ItemKind.CONSIGNED]
    histories = item_states.histories(session, consigned) if consigned else {}
    return [
        (
            item.id,
            {
                "barcode": item.barcode,
                "name": item.name,
                "kind": item.kind.value,
                "price": item.price,
                "category": item.category,
                "consignor": number,
                "split_bp": item.split_bp,
                "markdown_on": _day(item.markdown_on),
                "markdown_percent_bp": item.markdown_bp,
                "status": item.status.value,
                "status_at": changed.isoformat() if changed else None,
                "on_hand": int(quantity),
                "history": histories.get(item.id, []) if item.kind is ItemKind.CONSIGNED else None,
            },
        )
        for item, number, quantity, changed in rows
    ]


def _uses(session: Session, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
    """The redemption ledger with its reversals. Paged by the coupon's row id (redemption ids
    are uuids): a page holds every use of the coupons it covers."""
    coupon_ids = (
        select(CouponRedemption.coupon_id)
        .where(CouponRedemption.coupon_id > after)
        .group_by(CouponRedemption.coupon_id)
        .order_by(CouponRedemption.coupon_id)
        .limit(limit)
        .subquery()
    )
    rows = session.execute(
        select(CouponRedemption, Coupon.code, CouponReversal)
        .join(Coupon, Coupon.id == CouponRedemption.coupon_id)
        .outerjoin(CouponReversal, CouponReversal.redemption_id == CouponRedemption.id)
        .where(CouponRedemption.coupon_id.in_(select(coupon_ids.c.coupon_id)))
        .order_by(CouponRedemption.coupon_id, CouponRedemption.id)
    )
    out = []
    for use, code, reversal in rows:
        out.append(
            (
                use.coupon_id,
                {
                    "id": use.id,
                    "code": code,
                    "amount": use.amount,
                    "channel": use.channel.value,
                    "redeemed_at": use.redeemed_at.isoformat(),
                    "reversal_id": reversal.id if reversal else None,
                    "restores_use": reversal.restores_use if reversal else None,
                    "reversed_at": reversal.reversed_at.isoformat() if reversal else None,
                },
            )
        )
    return out


PAGES: dict[str, Callable[[Session, int, int], list[tuple[int, dict[str, Any]]]]] = {
    "stores": _stores,
    "users": _users,
    "consignors": _consignors,
    "customers": _customers,
    "campaigns": _campaigns,
    "coupons": _coupons,
    "items": _items,
    "uses": _uses,
}


def snapshot_page(session: Session, table: SnapshotTable, after: int, limit: int) -> SnapshotPage:
    cursor = log.log_head(session)  # read first: the rows below are at least this new
    found = PAGES[table](session, after, limit)
    keys = {key for key, _ in found}
    more = len(keys) >= limit if table == "uses" else len(found) == limit
    return SnapshotPage(
        table=table,
        rows=[row for _, row in found],
        next_after=max(keys) if keys else after,
        more=more,
        cursor=cursor,
    )
