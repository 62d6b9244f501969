"""Folding an event from elsewhere into this database: the one projection the hub and every
terminal share, so that they end up agreeing on coupons and items.

Everything is keyed by natural keys (campaign name, coupon code, item barcode, consignor number,
customer card, redemption id), since row ids are local to each database. Applying an event twice
changes nothing: ledgers insert by id and ignore what is there, states are set, not toggled.
Sales, counts and the rest stay in the hub's log for reporting and are not projected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from posapp.models import (
    Campaign,
    CampaignState,
    Channel,
    Consignor,
    Coupon,
    CouponRedemption,
    CouponReversal,
    CouponSeenOnline,
    CouponState,
    Customer,
    DiscountKind,
    Funding,
    Item,
    ItemKind,
    MovementReason,
    Role,
    StockMovement,
    Store,
    SyncConflict,
    User,
    utcnow,
)
from posapp.services.coupon_rules import STILL_USED
from sync import item_states
from sync.protocol import WireEvent


def insert_ignoring(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """INSERT rows, skipping any whose key is already there (SQLite and PostgreSQL)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(make(model).on_conflict_do_nothing(), rows)


def _day(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


def _moment(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None


def campaign_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    return session.scalar(select(Campaign.id).where(Campaign.name == name))


def coupon_by_code(session: Session, code: str) -> Coupon | None:
    return session.scalars(select(Coupon).where(Coupon.code == code)).first()


def item_by_barcode(session: Session, barcode: str) -> Item | None:
    return session.scalars(select(Item).where(Item.barcode == barcode)).first()


def customer_id(session: Session, card: str | None) -> int | None:
    if not card:
        return None
    return session.scalar(select(Customer.id).where(Customer.card_code == card))


def active_uses(session: Session, coupon_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(CouponRedemption)
            .where(CouponRedemption.coupon_id == coupon_id, STILL_USED)
        )
        or 0
    )


# --- the appliers, one per event type ----------------------------------------------------------


def _campaign_created(session: Session, event: WireEvent) -> None:
    p = event.payload
    if campaign_id(session, p["name"]) is not None:
        return
    session.add(
        Campaign(
            name=p["name"],
            description=p.get("description"),
            kind=DiscountKind(p["kind"]),
            value=p["value"],
            min_spend=p.get("min_spend", 0),
            valid_from=_day(p.get("valid_from")),
            valid_until=_day(p.get("valid_until")),
            valid_days=p.get("valid_days"),
            max_uses=p.get("max_uses", 1),
            max_uses_per_customer=p.get("max_uses_per_customer"),
            channel=Channel(p.get("channel", "both")),
            funding=Funding(p.get("funding", "store")),
            reusable_after_refund=p.get("reusable_after_refund", True),
            bounce_back_of_id=campaign_id(session, p.get("bounce_back_of")),
            bounce_back_min_spend=p.get("bounce_back_min_spend", 0),
        )
    )
    session.flush()


def _campaign_state(session: Session, event: WireEvent) -> None:
    name = event.payload.get("campaign")
    session.execute(
        update(Campaign)
        .where(Campaign.name == name)
        .values(state=CampaignState(event.payload["state"]))
    )


def _coupons_generated(session: Session, event: WireEvent) -> None:
    found = campaign_id(session, event.payload.get("campaign"))
    if found is None:
        raise NotApplicable("unknown campaign")
    now = utcnow()
    insert_ignoring(
        session,
        Coupon,
        [
            {
                "code": code,
                "campaign_id": found,
                "state": CouponState.GENERATED,
                "origin": event.origin,
                "created_at": now,
            }
            for code in event.payload["codes"]
        ],
    )


def _coupons_printed(session: Session, event: WireEvent) -> None:
    codes = list(event.payload["codes"])
    ends = _day(event.payload.get("expires_on"))
    session.execute(
        update(Coupon)
        .where(Coupon.code.in_(codes), Coupon.state == CouponState.GENERATED)
        .values(state=CouponState.PRINTED)
    )
    if ends is not None:
        session.execute(
            update(Coupon)
            .where(Coupon.code.in_(codes), Coupon.expires_on.is_(None))
            .values(expires_on=ends)
        )


def _coupon_issued(session: Session, event: WireEvent) -> None:
    coupon = _coupon(session, event)
    if coupon.state in (CouponState.GENERATED, CouponState.PRINTED):
        coupon.state = CouponState.ISSUED
    coupon.issued_at = coupon.issued_at or event.created_at
    coupon.customer_id = customer_id(session, event.payload.get("customer_card"))
    coupon.expires_on = coupon.expires_on or _day(event.payload.get("expires_on"))


def _coupon_voided(session: Session, event: WireEvent) -> None:
    _coupon(session, event).state = CouponState.VOIDED


def _coupon(session: Session, event: WireEvent) -> Coupon:
    coupon = coupon_by_code(session, event.payload["code"])
    if coupon is None:
        raise NotApplicable("unknown coupon")
    return coupon


def record_use(
    session: Session,
    coupon: Coupon,
    redemption_id: str,
    amount: int,
    channel: Channel,
    at: datetime,
    customer: int | None = None,
) -> bool:
    """Add a use to the grow-only ledger (once per id); True when it was new."""
    if session.get(CouponRedemption, redemption_id) is not None:
        return False
    session.add(
        CouponRedemption(
            id=redemption_id,
            coupon_id=coupon.id,
            customer_id=customer,
            channel=channel,
            amount=amount,
            redeemed_at=at,
        )
    )
    session.flush()
    max_uses = session.scalar(select(Campaign.max_uses).where(Campaign.id == coupon.campaign_id))
    if coupon.state is not CouponState.VOIDED and active_uses(session, coupon.id) >= (
        max_uses or 1
    ):
        coupon.state = CouponState.REDEEMED
    return True


def _coupon_redeemed(session: Session, event: WireEvent) -> None:
    p = event.payload
    record_use(
        session,
        _coupon(session, event),
        p["redemption_id"],
        p.get("amount", 0),
        Channel(p.get("channel", "shop")),
        event.created_at,
        customer_id(session, p.get("customer_card")),
    )


def _coupon_reversed(session: Session, event: WireEvent) -> None:
    p = event.payload
    coupon = _coupon(session, event)
    if session.get(CouponRedemption, p["redemption_id"]) is None:
        raise NotApplicable("unknown redemption")
    exists = session.scalar(
        select(CouponReversal.id).where(CouponReversal.redemption_id == p["redemption_id"])
    )
    if exists:
        return
    restores = bool(p.get("restores_use", p.get("reusable", True)))
    session.add(
        CouponReversal(
            id=p.get("reversal_id") or event.id,
            redemption_id=p["redemption_id"],
            restores_use=restores,
            reversed_at=event.created_at,
        )
    )
    session.flush()
    max_uses = session.scalar(select(Campaign.max_uses).where(Campaign.id == coupon.campaign_id))
    if (
        restores
        and coupon.state is CouponState.REDEEMED
        and active_uses(session, coupon.id) < (max_uses or 1)
    ):
        coupon.state = CouponState.ISSUED


def _consignor_added(session: Session, event: WireEvent) -> None:
    number = event.payload["number"]
    if session.scalar(select(Consignor.id).where(Consignor.number == number)) is None:
        session.add(Consignor(number=number, name=event.payload.get("name") or number))
        session.flush()


def _customer_added(session: Session, event: WireEvent) -> None:
    card = event.payload.get("card")
    if card and customer_id(session, card) is None:
        session.add(Customer(name=event.payload.get("name"), card_code=card))
        session.flush()


def _item_added(session: Session, event: WireEvent) -> None:
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
        markdown_on=_day(p.get("markdown_on")),
        markdown_bp=p.get("markdown_percent_bp"),
    )
    session.add(item)
    session.flush()
    quantity = int(p.get("quantity") or (1 if kind is ItemKind.CONSIGNED else 0))
    if quantity:
        session.add(StockMovement(item_id=item.id, quantity=quantity, reason=MovementReason.INTAKE))


def _item_edited(session: Session, event: WireEvent) -> None:
    p = event.payload
    item = item_by_barcode(session, p["barcode"])
    if item is None:
        raise NotApplicable("unknown item")
    for key in ("name", "price", "category"):
        if key in p:
            setattr(item, key, p[key])
    if "markdown_on" in p:
        item.markdown_on = _day(p["markdown_on"])
        item.markdown_bp = p.get("markdown_percent_bp")


def _stock_moved(session: Session, event: WireEvent) -> None:
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


def _coupon_seen_online(session: Session, event: WireEvent) -> None:
    insert_ignoring(
        session, CouponSeenOnline, [{"code": event.payload["code"], "seen_at": event.created_at}]
    )


def _conflict_recorded(session: Session, event: WireEvent) -> None:
    p = event.payload
    insert_ignoring(
        session,
        SyncConflict,
        [
            {
                "id": p["id"],
                "kind": p["kind"],
                "subject": p["subject"],
                "detail": p.get("detail") or {},
                "found_at": _moment(p.get("found_at")) or event.created_at,
            }
        ],
    )


def _conflict_acknowledged(session: Session, event: WireEvent) -> None:
    p = event.payload
    session.execute(
        update(SyncConflict)
        .where(SyncConflict.id == p["id"], SyncConflict.acknowledged_at.is_(None))
        .values(acknowledged_at=event.created_at, acknowledged_by=p.get("by"))
    )


def _store_created(session: Session, event: WireEvent) -> None:
    """A database has one shop: the first store.created it sees makes it."""
    if session.scalar(select(Store.id).limit(1)) is None:
        p = event.payload
        session.add(Store(name=p["name"], currency=p["currency"], locale=p.get("locale", "zh_CN")))
        session.flush()


def _user_added(session: Session, event: WireEvent) -> None:
    p = event.payload
    if p.get("pin_hash") and session.scalar(select(User.id).where(User.name == p["name"])) is None:
        session.add(User(name=p["name"], role=Role(p["role"]), pin_hash=p["pin_hash"]))
        session.flush()


class NotApplicable(Exception):
    """The event refers to something this database does not have (yet): it is recorded as a
    conflict of kind not_applied, and nothing else changes."""


APPLIERS: dict[str, Callable[[Session, WireEvent], None]] = {
    "store.created": _store_created,
    "user.added": _user_added,
    "campaign.created": _campaign_created,
    "campaign.state": _campaign_state,
    "coupons.generated": _coupons_generated,
    "coupons.printed": _coupons_printed,
    "coupon.issued": _coupon_issued,
    "coupon.voided": _coupon_voided,
    "coupon.redeemed": _coupon_redeemed,
    "coupon.reversed": _coupon_reversed,
    "coupon.seen_online": _coupon_seen_online,
    "consignor.added": _consignor_added,
    "customer.added": _customer_added,
    "item.added": _item_added,
    "item.edited": _item_edited,
    "stock.moved": _stock_moved,
    "conflict.recorded": _conflict_recorded,
    "conflict.acknowledged": _conflict_acknowledged,
}


def apply_event(session: Session, event: WireEvent) -> str | None:
    """Apply one event in a savepoint; returns why it could not be applied, or None.

    Event types with no projection (sales, counts, users...) are accepted and change nothing."""
    applier = APPLIERS.get(event.type)
    if applier is None:
        return None
    try:
        with session.begin_nested():
            applier(session, event)
    except NotApplicable as problem:
        return str(problem)
    except (KeyError, ValueError, TypeError, AttributeError) as problem:
        return f"malformed {event.type}: {problem!r}"
    except sa_exc.StatementError as problem:  # values the database refuses (a list for a name)
        if isinstance(problem, sa_exc.OperationalError | sa_exc.InterfaceError):
            raise  # the database itself is in trouble: not the event's fault
        return f"malformed {event.type}: {type(problem.orig or problem).__name__}"
    return None


def apply_all(session: Session, events: Iterable[WireEvent]) -> list[tuple[WireEvent, str]]:
    return [(event, why) for event in events if (why := apply_event(session, event))]
