"""Escrow: uses of a multi-use coupon leased from the hub to this till, to spend offline."""

from __future__ import annotations

from posapp import codes
from posapp.db import Database
from posapp.models import CouponLease
from sync.client import HubClient
from sync.protocol import CouponLeaseRequest, HoldOut


def take_lease(db: Database, hub: HubClient, code: str, uses: int, days: int = 7) -> HoldOut:
    """Ask the hub for up to ``uses`` uses of ``code`` and keep the lease here."""
    normalised = codes.normalise(code)
    lease = hub.lease_coupon(normalised, CouponLeaseRequest(uses=uses, seconds=days * 86_400))
    with db.unit_of_work() as session:
        session.merge(
            CouponLease(id=lease.id, code=lease.code, uses=lease.uses, expires_at=lease.expires_at)
        )
    return lease
