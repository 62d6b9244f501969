"""A new terminal's first sync: the hub's shared tables, page by page, into this database.

Rows go in with INSERT ... ON CONFLICT DO NOTHING by their natural keys, so a page applied twice
(a sync killed half-way and started again) changes nothing, and what this database already has
(its own coupons and items) stays as it is: the log replayed afterwards brings both up to date.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from posapp.models import (
    Campaign,
    CampaignState,
    Channel,
    Consignor,
    Coupon,
    CouponRedemption,
    CouponReversal,
    CouponState,
    Customer,
    DiscountKind,
    Funding,
    Item,
    ItemKind,
    ItemStatus,
    MovementReason,
    Role,
    StockMovement,
    Store,
    User,
    utcnow,
)
from sync import item_states
from sync.records import as_day, as_moment, insert_ignoring

EARLIEST = datetime(2000, 1, 1)
TABLES = ("stores", "users", "consignors", "customers", "campaigns", "coupons", "items", "uses")


def _ids(session: Session, key: Any, pk: Any, values: set[Any]) -> dict[Any, int]:
    found: dict[Any, int] = {}
    wanted = [v for v in values if v]
    for start in range(0, len(wanted), 5_000):
        chunk = wanted[start : start + 5_000]
        found.update(
            {row[0]: row[1] for row in session.execute(select(key, pk).where(key.in_(chunk)))}
        )
    return found


def _stores(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows and session.scalar(select(Store.id).limit(1)) is None:
        session.add(Store(**rows[0]))


def _users(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_ignoring(session, User, [r | {"role": Role(r["role"])} for r in rows])


def _consignors(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_ignoring(
        session,
        Consignor,
        [
            {
                "number": r["number"],
                "name": r["name"],
                "default_split_bp": r["split_bp"],
                "created_at": utcnow(),
            }
            for r in rows
        ],
    )


def _customers(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_ignoring(
        session,
        Customer,
        [
            {
                "card_code": r["card"],
                "name": r["name"],
                "birthday": as_day(r["birthday"]),
                "created_at": utcnow(),
            }
            for r in rows
        ],
    )


def _campaigns(session: Session, rows: list[dict[str, Any]]) -> None:
    for r in rows:  # a handful; bounce-backs name campaigns of earlier rows
        if session.scalar(select(Campaign.id).where(Campaign.name == r["name"])) is not None:
            continue
        trigger = session.scalar(select(Campaign.id).where(Campaign.name == r["bounce_back_of"]))
        values = {k: v for k, v in r.items() if k not in ("bounce_back_of",)}
        values |= {
            "valid_from": as_day(r["valid_from"]),
            "valid_until": as_day(r["valid_until"]),
            "bounce_back_of_id": trigger,
            "kind": DiscountKind(r["kind"]),
            "channel": Channel(r["channel"]),
            "funding": Funding(r["funding"]),
            "state": CampaignState(r["state"]),
        }
        insert_ignoring(session, Campaign, [values | {"created_at": utcnow()}])


def _coupons(session: Session, rows: list[dict[str, Any]]) -> None:
    campaigns = _ids(session, Campaign.name, Campaign.id, {r["campaign"] for r in rows})
    customers = _ids(session, Customer.card_code, Customer.id, {r["customer_card"] for r in rows})
    now = utcnow()
    insert_ignoring(
        session,
        Coupon,
        [
            {
                "code": r["code"],
                "campaign_id": campaigns[r["campaign"]],
                "state": CouponState(r["state"]),
                "customer_id": customers.get(r["customer_card"]),
                "issued_at": as_moment(r["issued_at"]),
                "expires_on": as_day(r["expires_on"]),
                "origin": r["origin"],
                "created_at": now,
            }
            for r in rows
        ],
    )


def _items(session: Session, rows: list[dict[str, Any]], cursor: int) -> None:
    """New items, each with its quantity on hand and, for a one-of-a-kind item, the state
    changes the hub has (so a change that reaches this till later but happened earlier folds
    in its place). The first movement notes the page's log position: changes up to it are in
    the row already, and are not applied again."""
    consignors = _ids(session, Consignor.number, Consignor.id, {r["consignor"] for r in rows})
    known = set(_ids(session, Item.barcode, Item.id, {r["barcode"] for r in rows}))
    fresh = [r for r in rows if r["barcode"] not in known]
    now = utcnow()
    insert_ignoring(
        session,
        Item,
        [
            {
                "barcode": r["barcode"],
                "name": r["name"],
                "kind": ItemKind(r["kind"]),
                "price": r["price"],
                "category": r["category"],
                "consignor_id": consignors.get(r["consignor"]),
                "split_bp": r["split_bp"],
                "markdown_on": as_day(r["markdown_on"]),
                "markdown_bp": r["markdown_percent_bp"],
                "status": ItemStatus(r["status"]),
                "created_at": now,
                "updated_at": now,
            }
            for r in fresh
        ],
    )
    made = _ids(session, Item.barcode, Item.id, {r["barcode"] for r in fresh})
    movements = [m for r in fresh for m in _movements(made[r["barcode"]], r, cursor)]
    if movements:
        session.execute(insert(StockMovement), movements)


def _movements(item_id: int, row: dict[str, Any], cursor: int) -> list[dict[str, Any]]:
    """An item's movements from its snapshot row. With the state changes the hub sent: an
    opening movement (the state a fold starts from) and those changes. Without them (a hub of
    an earlier version), or should they not fold to the state the hub says: one movement, in
    time where the hub's state last changed, that sets that state."""
    status = ItemStatus(row["status"])
    changes = _state_changes(item_id, row.get("history"))
    if (
        changes is not None
        and item_states.fold((c["reason"], c["quantity"], c["note"], None) for c in changes)
        is status
    ):
        opening = {
            "item_id": item_id,
            "quantity": row["on_hand"] - sum(c["quantity"] for c in changes),
            "reason": MovementReason.INTAKE,
            "note": item_states.snapshot_note(cursor, ItemStatus.AVAILABLE),
            "created_at": EARLIEST,
        }
        return [opening, *changes]
    return [
        {
            "item_id": item_id,
            "quantity": row["on_hand"],
            "reason": MovementReason.INTAKE,
            "note": item_states.snapshot_note(cursor, status),
            "created_at": as_moment(row.get("status_at")) or EARLIEST,
        }
    ]


def _state_changes(item_id: int, history: Any) -> list[dict[str, Any]] | None:
    """[time, reason, quantity, counted] lists as movement rows; None if there are none to
    go by (not sent, or not in that shape)."""
    if not isinstance(history, list):
        return None
    try:
        return [
            {
                "item_id": item_id,
                "created_at": as_moment(at) or EARLIEST,
                "reason": MovementReason(reason),
                "quantity": int(quantity),
                "note": item_states.counted_note(int(counted)) if counted is not None else None,
            }
            for at, reason, quantity, counted in history
        ]
    except (TypeError, ValueError):
        return None


def _uses(session: Session, rows: list[dict[str, Any]]) -> None:
    coupons = _ids(session, Coupon.code, Coupon.id, {r["code"] for r in rows})
    insert_ignoring(
        session,
        CouponRedemption,
        [
            {
                "id": r["id"],
                "coupon_id": coupons[r["code"]],
                "channel": Channel(r["channel"]),
                "amount": r["amount"],
                "redeemed_at": as_moment(r["redeemed_at"]),
            }
            for r in rows
        ],
    )
    insert_ignoring(
        session,
        CouponReversal,
        [
            {
                "id": r["reversal_id"],
                "redemption_id": r["id"],
                "restores_use": r["restores_use"],
                "reversed_at": as_moment(r["reversed_at"]),
            }
            for r in rows
            if r["reversal_id"]
        ],
    )


APPLY = {
    "stores": _stores,
    "users": _users,
    "consignors": _consignors,
    "customers": _customers,
    "campaigns": _campaigns,
    "coupons": _coupons,
    "uses": _uses,
}


def apply_page(session: Session, table: str, rows: list[dict[str, Any]], cursor: int) -> None:
    if not rows:
        return
    if table == "items":
        _items(session, rows, cursor)
    else:
        APPLY[table](session, rows)
