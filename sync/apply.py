"""Folding an event from elsewhere into this database: the one projection the hub and every
terminal share, so that they end up agreeing on coupons and items.

Everything is keyed by natural keys (campaign name, coupon code, item barcode, consignor number,
customer card, redemption id), since row ids are local to each database. Applying an event twice
changes nothing: ledgers insert by id and ignore what is there, states are set, not toggled.
Sales, counts and the rest stay in the hub's log for reporting and are not projected.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import exc as sa_exc
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from posapp.models import (
    CouponSeenOnline,
    Store,
    SyncConflict,
)
from sync import apply_coupons as coupons
from sync import apply_stock as stock
from sync.projection import Applied, Projection, ProjectionRefused
from sync.protocol import WireEvent
from sync.records import NotApplicable, as_moment, insert_ignoring


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
                "found_at": as_moment(p.get("found_at")) or event.created_at,
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


FAST: dict[str, Callable[[Projection, WireEvent], Applied]] = {
    "item.added": stock.item_added,
    "stock.moved": stock.stock_moved,
    "coupon.issued": coupons.coupon_issued,
    "coupon.voided": coupons.coupon_voided,
    "coupon.redeemed": coupons.coupon_redeemed,
}

APPLIERS: dict[str, Callable[[Session, WireEvent], None]] = {  # through the ORM
    "store.created": _store_created,
    "campaign.created": coupons.campaign_created,
    "campaign.state": coupons.campaign_state,
    "coupons.generated": coupons.coupons_generated,
    "coupons.printed": coupons.coupons_printed,
    "coupon.reversed": coupons.coupon_reversed,
    "coupon.seen_online": _coupon_seen_online,
    "consignor.added": stock.consignor_added,
    "customer.added": stock.customer_added,
    "item.edited": stock.item_edited,
    "conflict.recorded": _conflict_recorded,
    "conflict.acknowledged": _conflict_acknowledged,
}

MALFORMED = (KeyError, ValueError, TypeError, AttributeError, OverflowError)


def apply_event(projection: Projection, event: WireEvent) -> Applied:
    """Apply one event; Applied.problem says why it could not be, and then nothing changed.

    Event types with no projection (sales, counts, users...) are accepted and change nothing.
    In the fast mode what the database refuses at the batch's flush raises ProjectionRefused."""
    if event.type not in FAST and event.type not in APPLIERS:
        return Applied()
    try:
        if not projection.careful:
            return _apply(projection, event)
        try:
            with projection.session.begin_nested():
                applied = _apply(projection, event)
                projection.flush()
            return applied
        except BaseException:
            projection.reset()
            raise
    except NotApplicable as problem:
        return Applied(problem=str(problem))
    except MALFORMED as problem:
        return Applied(problem=f"malformed {event.type}: {problem!r}")
    except ProjectionRefused as refused:
        if not projection.careful:
            raise  # the batch's rows so far: the caller applies it again, carefully
        return Applied(problem=f"malformed {event.type}: {refused}")
    except sa_exc.InvalidRequestError as problem:  # e.g. a list where a row id should be
        return Applied(problem=f"malformed {event.type}: {type(problem).__name__}")
    except sa_exc.StatementError as problem:  # values the database refuses (a list for a name)
        if isinstance(problem, sa_exc.OperationalError | sa_exc.InterfaceError):
            raise  # the database itself is in trouble: not the event's fault
        return Applied(problem=f"malformed {event.type}: {type(problem.orig or problem).__name__}")


def _apply(projection: Projection, event: WireEvent) -> Applied:
    fast = FAST.get(event.type)
    if fast is not None:
        return fast(projection, event)
    projection.flush()  # the ORM sees what the batch changed so far
    with projection.session.begin_nested():
        APPLIERS[event.type](projection.session, event)
    projection.forget(event)
    return Applied()


def apply_one(session: Session, event: WireEvent) -> str | None:
    """Apply one event now (the hub's own: an online redemption or sale); why not, or None."""
    return apply_event(Projection(session, careful=True), event).problem
