"""The rows a committed sale writes, each kind in one multi-row statement.

Called by :func:`posapp.services.checkout.commit_sale` inside its unit of work; nothing here
commits. A sale of n lines and k coupons costs a fixed dozen statements instead of ~10 per line,
which is what keeps the durable commit close to the raw SQLite floor (bench/checkout_bench.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from posapp.i18n import tr
from posapp.models import (
    Campaign,
    ConsignorLedgerEntry,
    Coupon,
    CouponRedemption,
    CouponState,
    Item,
    ItemKind,
    ItemStatus,
    LedgerKind,
    MovementReason,
    Payment,
    PaymentMethod,
    Sale,
    SaleCoupon,
    SaleLine,
    StockMovement,
    Terminal,
    new_uuid,
    utcnow,
)
from posapp.services.cart import CartLine
from posapp.services.context import Actor
from posapp.services.coupon_rules import STILL_USED
from posapp.services.errors import Conflict
from posapp.services.pricing import CouponTerms, PricedLine

Event = tuple[str, dict[str, Any]]


# Statements built once at import; a sale runs them with its own values.
_NEXT_SALE_NUMBER = (
    update(Terminal)
    .where(Terminal.id == bindparam("terminal_key"))
    .values(last_sale_seq=Terminal.last_sale_seq + 1)
    .returning(Terminal.name, Terminal.last_sale_seq)
)
_INSERT_SALE = insert(Sale).returning(Sale.id)
_OWNERS = select(Item.id, Item.consignor_id).where(
    Item.id.in_(bindparam("item_ids", expanding=True))
)
_TAKE_AVAILABLE = (
    update(Item)
    .where(Item.id.in_(bindparam("take_ids", expanding=True)), Item.status == ItemStatus.AVAILABLE)
    .values(status=ItemStatus.SOLD, updated_at=bindparam("taken_at"))
    .returning(Item.id)
)
_INSERT_LINES = insert(SaleLine).returning(SaleLine.id, sort_by_parameter_order=True)
_INSERT_MOVEMENTS = insert(StockMovement)
_INSERT_LEDGER = insert(ConsignorLedgerEntry)
_INSERT_REDEMPTIONS = insert(CouponRedemption)
_INSERT_SALE_COUPONS = insert(SaleCoupon)
_INSERT_PAYMENTS = insert(Payment)
_ACTIVE_USES = (
    select(func.count())
    .select_from(CouponRedemption)
    .where(CouponRedemption.coupon_id == Coupon.id, STILL_USED)
    .scalar_subquery()
)
_MAX_USES = select(Campaign.max_uses).where(Campaign.id == Coupon.campaign_id).scalar_subquery()
_MARK_USED_UP = (  # coupons whose uses (redemptions minus reversals) reach the campaign's limit
    update(Coupon)
    .where(Coupon.id.in_(bindparam("used_ids", expanding=True)), _ACTIVE_USES >= _MAX_USES)
    .values(state=CouponState.REDEEMED)
)


@dataclass(frozen=True)
class SaleHeader:
    id: int
    uuid: str
    number: str
    created_at: datetime


@dataclass(frozen=True)
class ClearedCoupon:
    """A coupon cleared for this sale before it commits (reserved at the hub, or allowed by the
    offline rules): the redemption id the hub already knows, and what the coupon.redeemed event
    should say about how it was cleared."""

    redemption_id: str
    note: dict[str, Any]


@dataclass(frozen=True)
class SettledPayment:
    """One tender as applied to a sale: cash handed over beyond what is due comes back as change."""

    method: PaymentMethod
    amount: int
    tendered: int
    change: int


def insert_sale(
    session: Session,
    actor: Actor,
    customer_id: int | None,
    totals: tuple[int, int, int],
) -> SaleHeader:
    """The sale row with the terminal's next sale number (T1-000042)."""
    counter = session.execute(_NEXT_SALE_NUMBER, {"terminal_key": actor.terminal_id}).one()
    uuid, created_at = new_uuid(), utcnow()
    number = f"{counter.name}-{counter.last_sale_seq:06d}"
    subtotal, discount_total, total = totals
    sale_id = session.scalars(
        _INSERT_SALE,
        [
            {
                "uuid": uuid,
                "number": number,
                "terminal_id": actor.terminal_id,
                "user_id": actor.user_id,
                "customer_id": customer_id,
                "subtotal": subtotal,
                "discount_total": discount_total,
                "total": total,
                "created_at": created_at,
            }
        ],
    ).one()
    return SaleHeader(sale_id, uuid, number, created_at)


def take_items(session: Session, lines: Sequence[CartLine]) -> dict[int, int | None]:
    """Mark the one-of-a-kind items sold, only those still available (the race guard).

    Returns each line's item id -> consignor id. Raises Conflict, naming the item, when one was
    sold or taken off sale since it was scanned.
    """
    item_ids = [line.item_id for line in lines]
    owners: dict[int, int | None] = {
        row.id: row.consignor_id
        for row in session.execute(_OWNERS, {"item_ids": sorted(set(item_ids))})
    }
    if any(item_id not in owners for item_id in item_ids):
        raise Conflict(tr("An item of this sale no longer exists; start the sale again."))
    one_of_a_kind = [line for line in lines if line.kind is ItemKind.CONSIGNED]
    taken: set[int] = set()
    if one_of_a_kind:
        wanted = sorted({line.item_id for line in one_of_a_kind})
        taken = set(
            session.scalars(
                _TAKE_AVAILABLE,
                {"take_ids": wanted, "taken_at": utcnow()},
                execution_options={"synchronize_session": False},
            )
        )
    for line in one_of_a_kind:
        if line.item_id not in taken:
            raise Conflict(
                tr(
                    "{name} was sold or taken off sale meanwhile; remove it from the sale.",
                    name=line.name,
                )
            )
        taken.discard(line.item_id)  # a second line for the same item finds it gone
    return owners


def insert_lines(
    session: Session,
    actor: Actor,
    sale: SaleHeader,
    lines: Sequence[tuple[CartLine, PricedLine]],
    owners: dict[int, int | None],
) -> list[Event]:
    """Sale lines, their stock movements and consignor ledger entries; returns their events."""
    line_ids = session.scalars(
        _INSERT_LINES,
        [
            {
                "sale_id": sale.id,
                "item_id": line.item_id,
                "description": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "gross": priced.gross,
                "discount": priced.discount,
                "net": priced.net,
                "consignor_id": owners[line.item_id],
                "split_bp": line.split_bp,
                "consignor_share": priced.consignor_share,
            }
            for line, priced in lines
        ],
    ).all()
    session.execute(
        _INSERT_MOVEMENTS,
        [
            {
                "item_id": line.item_id,
                "quantity": -line.quantity,
                "reason": MovementReason.SALE,
                "sale_id": sale.id,
                "user_id": actor.user_id,
                "terminal_id": actor.terminal_id,
                "created_at": sale.created_at,
            }
            for line, _ in lines
        ],
    )
    ledger = [
        {
            "consignor_id": owners[line.item_id],
            "kind": LedgerKind.SALE,
            "amount": priced.consignor_share,
            "sale_line_id": line_id,
            "created_at": sale.created_at,
        }
        for (line, priced), line_id in zip(lines, line_ids, strict=True)
        if owners[line.item_id] is not None
    ]
    if ledger:
        session.execute(_INSERT_LEDGER, ledger)
    return [
        (
            "stock.moved",
            {
                "barcode": line.barcode,
                "quantity": -line.quantity,
                "reason": MovementReason.SALE.value,
                "sale_uuid": sale.uuid,
            },
        )
        for line, _ in lines
    ]


def redeem_coupons(
    session: Session,
    actor: Actor,
    sale: SaleHeader,
    applied: Sequence[tuple[CouponTerms, int]],
    holders: dict[int, int | None],
    cleared: Mapping[int, ClearedCoupon] | None = None,
) -> list[Event]:
    """Redemption ledger rows, the sale's coupon rows, and coupons used up marked redeemed.

    ``holders`` maps each coupon id to the customer the redemption counts for; ``cleared`` gives
    the redemption ids reserved at the hub (by coupon id).
    """
    if not applied:
        return []
    cleared = cleared or {}
    redemptions = [
        {
            "id": cleared[terms.coupon_id].redemption_id
            if terms.coupon_id in cleared
            else new_uuid(),
            "coupon_id": terms.coupon_id,
            "sale_id": sale.id,
            "customer_id": holders[terms.coupon_id],
            "terminal_id": actor.terminal_id,
            "amount": amount,
            "redeemed_at": sale.created_at,
        }
        for terms, amount in applied
    ]
    session.execute(_INSERT_REDEMPTIONS, redemptions)
    session.execute(
        _INSERT_SALE_COUPONS,
        [
            {
                "sale_id": sale.id,
                "coupon_id": row["coupon_id"],
                "redemption_id": row["id"],
                "amount": row["amount"],
            }
            for row in redemptions
        ],
    )
    session.execute(
        _MARK_USED_UP,
        {"used_ids": sorted({terms.coupon_id for terms, _ in applied})},
        execution_options={"synchronize_session": False},
    )
    return [
        (
            "coupon.redeemed",
            {
                "code": terms.code,
                "redemption_id": row["id"],
                "sale_uuid": sale.uuid,
                "amount": amount,
                "channel": "shop",
                **(cleared[terms.coupon_id].note if terms.coupon_id in cleared else {}),
            },
        )
        for (terms, amount), row in zip(applied, redemptions, strict=True)
    ]


def insert_payments(session: Session, sale: SaleHeader, payments: Sequence[SettledPayment]) -> None:
    if payments:
        session.execute(
            _INSERT_PAYMENTS,
            [
                {
                    "sale_id": sale.id,
                    "method": p.method,
                    "amount": p.amount,
                    "tendered": p.tendered,
                    "change": p.change,
                }
                for p in payments
            ],
        )
