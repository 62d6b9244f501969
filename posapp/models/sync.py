"""What sync keeps: a terminal's link to its hub, and the hub's clients, log and holds.

Both sides use the same database schema (a hub is a posapp database with more rows in the hub
tables); a terminal simply leaves the hub tables empty and the hub leaves ``sync_link`` empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from posapp.models.base import Base, utcnow

# --- the terminal's side -----------------------------------------------------------------------


class SyncLink(Base):
    """This database's hub (one row, id 1): where, with which token, and how far it has got."""

    __tablename__ = "sync_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_url: Mapped[str] = mapped_column(String(300))
    token: Mapped[str] = mapped_column(String(200))
    # Highest hub log position applied here; stored in the transaction that applies the changes.
    pull_cursor: Mapped[int] = mapped_column(default=0)
    snapshot_done: Mapped[bool] = mapped_column(default=False)
    # The newest log position a snapshot page reflected: changes up to it may already be in the
    # snapshot (each item's snapshot movement notes the position of its own page).
    snapshot_cursor: Mapped[int] = mapped_column(default=0)
    interval_seconds: Mapped[int] = mapped_column(default=120)
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Offline budget: redemptions beyond what the till can prove it holds need a manager, and
    # only this many (count, value in minor units) while offline, for at most this long.
    offline_max_count: Mapped[int] = mapped_column(default=10)
    offline_max_value: Mapped[int] = mapped_column(default=50_000)
    offline_max_minutes: Mapped[int] = mapped_column(default=24 * 60)
    # Since when the hub has been out of reach (None while it answers).
    offline_since: Mapped[datetime | None]
    # The hub's clock less this till's, in seconds, at the last sync (None: not measured).
    clock_offset_seconds: Mapped[int | None] = mapped_column(Integer)


class SyncInbox(Base):
    """A hub change applied here, by event id: applying one twice changes nothing."""

    __tablename__ = "sync_inbox"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfflineRedemption(Base):
    """A coupon use committed while the hub was out of reach, and what allowed it."""

    __tablename__ = "offline_redemptions"

    redemption_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int]
    # own_coupon: made by this shop and never seen online; lease: a use leased to this till in
    # advance; approved: a manager allowed it within the offline budget.
    basis: Mapped[str] = mapped_column(String(16))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lease_id: Mapped[str | None] = mapped_column(String(36))
    offline_since: Mapped[datetime]
    redeemed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CouponLease(Base):
    """Uses of a multi-use coupon the hub set aside for this till (escrow), to spend offline."""

    __tablename__ = "coupon_leases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the hub's lease id
    code: Mapped[str] = mapped_column(String(16), index=True)
    uses: Mapped[int]
    spent: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]


class SyncConflict(Base):
    """Something sync found that people must know about: a coupon used beyond its limit while a
    shop was offline, an item sold twice, an event that could not be applied. Kept on the hub
    and copied to every terminal; never deleted, acknowledged by a manager."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_subject", "subject"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # over_redemption, oversold, not_applied
    subject: Mapped[str] = mapped_column(String(64))  # coupon code or item barcode
    detail: Mapped[dict[str, Any]]
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(80))


# --- the hub's side ----------------------------------------------------------------------------


class HubClient(Base):
    """A terminal (or an online store) allowed to talk to the hub. Only the token's hash is kept."""

    __tablename__ = "hub_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # terminal | online
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256, hex
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    # The log position this client had applied when it last pushed its whole outbox: everything
    # its tills did before applying that much of the log has reached the hub.
    confirmed_cursor: Mapped[int] = mapped_column(default=0)


class HubOrigin(Base):
    """An event source (a terminal's uuid) and the client it belongs to, with the highest of its
    sequence numbers applied: events are applied in sequence order, each exactly once."""

    __tablename__ = "hub_origins"

    origin: Mapped[str] = mapped_column(String(36), primary_key=True)
    # None for the hub's own events (conflicts, online sales, apology coupons)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("hub_clients.id"), index=True)
    applied_seq: Mapped[int] = mapped_column(default=0)


class HubLogEntry(Base):
    """The hub's change log: every applied event, in order. ``id`` is the pull cursor."""

    __tablename__ = "hub_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    origin: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class HubCouponHold(Base):
    """A coupon use set aside at the hub: a reservation before a sale commits (one use, a few
    minutes) or a lease of uses to a till for offline sales (escrow). ``id`` is the redemption id
    a reservation turns into."""

    __tablename__ = "hub_coupon_holds"
    __table_args__ = (Index("ix_hub_coupon_holds_code", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[int] = mapped_column(ForeignKey("hub_clients.id"))
    kind: Mapped[str] = mapped_column(String(16))  # reservation | lease
    uses: Mapped[int] = mapped_column(default=1)
    spent: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]  # redeemed, released or returned


class HubItemReservation(Base):
    """A one-of-a-kind item put in a cart (shop) or checkout (online) somewhere, for a while."""

    __tablename__ = "hub_item_reservations"
    __table_args__ = (Index("ix_hub_item_reservations_barcode", "barcode"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    barcode: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[int] = mapped_column(ForeignKey("hub_clients.id"))
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class HubItemOrigin(Base):
    """Which client's shop an item belongs to (the one whose event added it), so the hub can
    withhold a silent shop's items from the online channel."""

    __tablename__ = "hub_item_origins"

    barcode: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("hub_clients.id"), index=True)


class HubOnlineSale(Base):
    """An item sold through the online channel. If a shop sale of the same one-of-a-kind item
    arrives later (the shop was offline), the shop sale stands and this one is oversold: the hub
    records a conflict and issues the online customer an apology coupon."""

    __tablename__ = "hub_online_sales"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the store's order reference
    barcode: Mapped[str] = mapped_column(String(64), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("hub_clients.id"))
    customer_email: Mapped[str | None] = mapped_column(String(200))
    sold_at: Mapped[datetime] = mapped_column(default=utcnow)
    oversold_at: Mapped[datetime | None]
    apology_code: Mapped[str | None] = mapped_column(String(16))


class CouponSeenOnline(Base):
    """A coupon the online channel has checked, reserved or used: a till may no longer redeem it
    offline on the strength of it being its own shop's coupon."""

    __tablename__ = "coupons_seen_online"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # At the hub: the log position of the coupon.seen_online change. The online channel may use
    # a shop's coupon only once that shop has confirmed it applied the change (its own offline
    # uses are then all at the hub, and it uses the coupon offline no more on its own word).
    log_id: Mapped[int | None]
