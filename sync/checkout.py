"""Selling with a hub: coupons are cleared before the sale commits.

While the hub answers, each coupon in the cart is reserved there first (the reservation id
becomes the redemption id), so no coupon is used twice anywhere. While it does not, the till
uses only what it can prove it holds: its own shop's coupons the online channel has never seen,
and uses leased to it in advance. Anything else needs a manager's approval, within the offline
budget (a number of uses, a value, and a longest time offline). A refused or failed sale gives
its reservations back.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from posapp import codes
from posapp.db import Database
from posapp.i18n import money, tr
from posapp.models import (
    Coupon,
    CouponLease,
    CouponSeenOnline,
    OfflineRedemption,
    Role,
    SyncLink,
    new_uuid,
    utcnow,
)
from posapp.services.cart import Cart
from posapp.services.checkout import ClearedCoupon, Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.errors import Conflict, PermissionRefused, PosError
from posapp.services.receipts import Receipt
from sync.client import HubClient, HubError, HubRefused, HubRejectedToken, HubUnreachable
from sync.protocol import CouponReserve
from sync.terminal import LINK_ID


class NeedsApproval(PosError):
    """The hub is out of reach and some coupons can only be allowed by a manager."""

    def __init__(self, codes: list[str], message: str) -> None:
        super().__init__(message)
        self.codes = codes


@dataclass(frozen=True)
class Clearance:
    coupon_id: int
    code: str
    amount: int
    basis: str  # hub | own_coupon | lease | approved
    redemption_id: str
    lease_id: str | None = None

    def cleared(self) -> ClearedCoupon:
        note: dict[str, object] = {}
        if self.basis != "hub":
            note["offline"] = self.basis
        if self.lease_id:
            note["lease_id"] = self.lease_id
        return ClearedCoupon(self.redemption_id, note)


def _reserve_at_hub(hub: HubClient, cart: Cart, amounts: list[int]) -> list[Clearance]:
    made: list[Clearance] = []
    try:
        for terms, amount in zip(cart.coupons, amounts, strict=True):
            hold = hub.reserve_coupon(
                terms.code, CouponReserve(hold_id=new_uuid(), channel="shop", seconds=600)
            )
            made.append(Clearance(terms.coupon_id, terms.code, amount, "hub", hold.id))
    except HubRefused as refused:
        _give_back(hub, made)
        raise Conflict(
            tr("Coupon {code}: {reason}", code=terms.code, reason=str(refused))
        ) from None
    except HubError:
        _give_back(hub, made)
        raise
    return made


def _give_back(hub: HubClient, made: list[Clearance]) -> None:
    for clearance in made:
        if clearance.basis == "hub":
            with contextlib.suppress(HubError):  # it expires by itself at the hub anyway
                hub.release_hold(clearance.redemption_id)


def _offline_basis(session: Session, coupon: Coupon, now: datetime) -> tuple[str, str | None]:
    if coupon.origin is None and session.get(CouponSeenOnline, coupon.code) is None:
        return "own_coupon", None
    lease = session.scalars(
        select(CouponLease).where(
            CouponLease.code == coupon.code,
            CouponLease.spent < CouponLease.uses,
            CouponLease.expires_at > now,
        )
    ).first()
    if lease is not None:
        return "lease", lease.id
    return "approved", None


def _budget_refusal(
    session: Session, link: SyncLink, wanted: list[Clearance], now: datetime, currency: str
) -> str | None:
    since = link.offline_since or now
    if now - since > timedelta(minutes=link.offline_max_minutes):
        return tr(
            "The till has been offline for more than {minutes} minutes: coupons that are not "
            "this shop's own cannot be allowed until it syncs.",
            minutes=link.offline_max_minutes,
        )
    used = session.execute(
        select(func.count(), func.coalesce(func.sum(OfflineRedemption.amount), 0)).where(
            OfflineRedemption.basis == "approved", OfflineRedemption.offline_since == since
        )
    ).one()
    count = int(used[0]) + len(wanted)
    value = int(used[1]) + sum(c.amount for c in wanted)
    if count > link.offline_max_count or value > link.offline_max_value:
        return tr(
            "The offline budget is used up ({count} of {max_count} coupons, {value} of "
            "{max_value}): these coupons cannot be allowed until the till syncs.",
            count=int(used[0]),
            max_count=link.offline_max_count,
            value=money(int(used[1]), currency),
            max_value=money(link.offline_max_value, currency),
        )
    return None


def clear_offline(
    db: Database, cart: Cart, amounts: list[int], approver: Actor | None
) -> list[Clearance]:
    """The hub is out of reach: what this till may allow on its own, and with a manager."""
    now = utcnow()
    with db.reading() as session:
        link = session.get_one(SyncLink, LINK_ID)
        made = []
        for terms, amount in zip(cart.coupons, amounts, strict=True):
            coupon = session.get_one(Coupon, terms.coupon_id)
            basis, lease_id = _offline_basis(session, coupon, now)
            made.append(Clearance(terms.coupon_id, terms.code, amount, basis, new_uuid(), lease_id))
        wanted = [c for c in made if c.basis == "approved"]
        if not wanted:
            return made
        wanted_codes = [c.code for c in wanted]
        if approver is None:
            raise NeedsApproval(
                wanted_codes,
                tr(
                    "The hub cannot be reached. A manager must allow these coupons: {codes}",
                    codes=", ".join(codes.grouped(code) for code in wanted_codes),
                ),
            )
        if approver.role is not Role.MANAGER:
            raise PermissionRefused(tr("Only a manager can allow a coupon while offline."))
        refusal = _budget_refusal(session, link, wanted, now, cart.currency)
        if refusal:
            raise Conflict(refusal)
    return made


def _record_offline(session: Session, made: list[Clearance], approver: Actor | None) -> None:
    offline = [c for c in made if c.basis != "hub"]
    if not offline:
        return
    link = session.get_one(SyncLink, LINK_ID)
    since = link.offline_since or utcnow()
    for clearance in offline:
        session.add(
            OfflineRedemption(
                redemption_id=clearance.redemption_id,
                code=clearance.code,
                amount=clearance.amount,
                basis=clearance.basis,
                approved_by=approver.user_id
                if approver and clearance.basis == "approved"
                else None,
                lease_id=clearance.lease_id,
                offline_since=since,
            )
        )
        if clearance.lease_id:
            session.execute(
                update(CouponLease)
                .where(CouponLease.id == clearance.lease_id)
                .values(spent=CouponLease.spent + 1)
            )


def clear_coupons(
    db: Database, cart: Cart, hub: HubClient, approver: Actor | None = None
) -> list[Clearance]:
    """Clear the cart's coupons: reserved at the hub, or by the offline rules when it does not
    answer. Network work: the screens run it off the database worker."""
    if not cart.coupons:
        return []
    amounts = list(cart.quote().coupon_discounts)
    try:
        return _reserve_at_hub(hub, cart, amounts)
    except (HubUnreachable, HubRejectedToken) as problem:  # the shop sells on, offline
        _mark_offline(db, problem)
        return clear_offline(db, cart, amounts, approver)


def commit_cleared(
    db: Database,
    actor: Actor,
    cart: Cart,
    tenders: list[Tender],
    made: list[Clearance],
    approver: Actor | None = None,
) -> Receipt:
    """Commit the sale with its cleared coupons, recording how offline uses were allowed in the
    same transaction. If it fails, the caller gives the reservations back (:func:`give_back`)."""
    return commit_sale(
        db,
        actor,
        cart,
        tenders,
        cleared={c.coupon_id: c.cleared() for c in made},
        also=lambda session: _record_offline(session, made, approver),
    )


def give_back(hub: HubClient, made: list[Clearance]) -> None:
    """Release the hub reservations of a sale that did not happen."""
    _give_back(hub, made)


def sell(
    db: Database,
    actor: Actor,
    cart: Cart,
    tenders: list[Tender],
    hub: HubClient | None,
    approver: Actor | None = None,
) -> Receipt:
    """Commit a sale, clearing its coupons with the hub first (or by the offline rules). With no
    hub link (``hub`` None) it is a plain sale."""
    if hub is None or not cart.coupons:
        return commit_sale(db, actor, cart, tenders)
    made = clear_coupons(db, cart, hub, approver)
    try:
        return commit_cleared(db, actor, cart, tenders, made, approver)
    except Exception:
        _give_back(hub, made)
        raise


def _mark_offline(db: Database, problem: HubError) -> None:
    now = utcnow()
    with db.unit_of_work() as session:
        link = session.get_one(SyncLink, LINK_ID)
        link.last_attempt_at, link.last_error = now, str(problem)
        if link.offline_since is None:
            link.offline_since = now
