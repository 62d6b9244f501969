"""A terminal's push: each event applied once, in its terminal's sequence order, and logged.

An event whose sequence number the hub has already applied is a repeat and changes nothing; one
that skips ahead (an earlier one has not arrived) waits for the terminal to send the gap, which it
does, since it resends everything the hub has not acknowledged.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from posapp.i18n import tr
from posapp.models import (
    HubClient,
    HubCouponHold,
    HubItemOrigin,
    HubItemReservation,
    HubLogEntry,
    HubOnlineSale,
    HubOrigin,
    ItemKind,
    ItemStatus,
    MovementReason,
    utcnow,
)
from posapp.services.errors import Conflict
from sync.apply import apply_event
from sync.hub import log
from sync.hub.apology import issue_apology
from sync.hub.config import HubConfig
from sync.projection import Applied, Projection
from sync.protocol import ConflictOut, PushResult, WireEvent
from sync.records import insert_ignoring

# A push gives way to a waiting short write (a coupon or item reserve, a release) once it has
# worked this long: often enough that the reserve waits little, not so often that every event
# of a small push pays for a unit of work of its own.
GIVE_WAY_AFTER_S = 0.002


def push(
    session: Session,
    client: HubClient,
    events: list[WireEvent],
    config: HubConfig,
    cursor: int | None = None,
    *,
    pause: Callable[[], bool] | None = None,
    everything: list[WireEvent] | None = None,
    careful: bool = False,
) -> tuple[PushResult, list[WireEvent]]:
    """Apply what is new in ``events``; returns the result and the events left to consider:
    none, unless ``pause`` said (asked after each event, once GIVE_WAY_AFTER_S have gone by)
    that others are waiting for the write lock, when the caller commits and calls again with
    those left. ``cursor`` is
    confirmed when every event of ``everything`` (all the request's, default ``events``) is in.

    The events' rows are written together (sync.projection): ProjectionRefused means the
    database refused one, and the caller rolls back and calls again with ``careful=True``."""
    started = time.perf_counter()
    log.lock_log(session)
    by_origin: dict[str, list[WireEvent]] = defaultdict(list)
    for event in events:
        by_origin[event.origin].append(event)
    ordered = [e for batch in by_origin.values() for e in sorted(batch, key=lambda e: e.seq)]
    batch = _Batch(session, client, config, careful)
    batch.projection.prepare(ordered)
    applied = duplicates = 0
    acked: dict[str, int] = {}
    conflicts: list[ConflictOut] = []
    left: list[WireEvent] = []
    with _pending_log(session, events) as pending:
        at = 0
        while at < len(ordered) and not left:
            origin = _origin(session, client, ordered[at].origin)
            while at < len(ordered) and ordered[at].origin == origin.origin:
                event = ordered[at]
                at += 1
                if event.seq <= origin.applied_seq:
                    duplicates += 1
                    continue
                if event.seq != origin.applied_seq + 1:  # a gap: the terminal sends it
                    while at < len(ordered) and ordered[at].origin == origin.origin:
                        at += 1  # again with the missing events
                    break
                conflicts += _ingest(batch, event, pending)
                origin.applied_seq = event.seq
                applied += 1
                if (
                    pause is not None
                    and at < len(ordered)
                    and time.perf_counter() - started >= GIVE_WAY_AFTER_S
                    and pause()
                ):
                    left = ordered[at:]
                    break
            acked[origin.origin] = origin.applied_seq
        batch.flush()
    client.last_seen_at = utcnow()
    if cursor is not None and not left and _all_in(session, everything or events):
        client.confirmed_cursor = max(client.confirmed_cursor, cursor)
    result = PushResult(applied=applied, duplicates=duplicates, acked=acked, conflicts=conflicts)
    return result, left


def _all_in(session: Session, events: list[WireEvent]) -> bool:
    done: dict[str, int] = {}
    for event in events:
        if event.origin not in done:
            origin = session.get(HubOrigin, event.origin)
            done[event.origin] = origin.applied_seq if origin is not None else 0
        if done[event.origin] < event.seq:
            return False
    return True


def _origin(session: Session, client: HubClient, origin_id: str) -> HubOrigin:
    if origin_id == log.HUB_ORIGIN:
        raise Conflict(tr("Only the hub writes events of its own origin."))
    origin = session.get(HubOrigin, origin_id, with_for_update=True)
    if origin is None:
        origin = HubOrigin(origin=origin_id, client_id=client.id, applied_seq=0)
        session.add(origin)
        session.flush()
    elif origin.client_id != client.id:
        raise Conflict(
            tr("Terminal {origin} belongs to another client of this hub.", origin=origin_id)
        )
    return origin


# What only the hub says: a till's event of these types is logged, never applied.
HUB_ONLY = ("conflict.recorded", "coupon.seen_online")


class _Pending:
    """The batch's log entries, kept back and written with one INSERT per run between the
    hub's own entries (conflicts, apologies), which are ORM objects: before a flush writes any
    of those, the entries kept back go first. The log keeps the order events were applied in."""

    def __init__(self, session: Session, events: list[WireEvent]) -> None:
        self.session = session
        self.rows: list[dict[str, Any]] = []
        self.logged: set[str] = set()  # event ids the log has, or will have
        ids = list({e.id for e in events})
        for start in range(0, len(ids), 5_000):
            chunk = ids[start : start + 5_000]
            self.logged.update(
                session.scalars(select(HubLogEntry.event_id).where(HubLogEntry.event_id.in_(chunk)))
            )

    def before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        if self.rows and any(isinstance(row, HubLogEntry) for row in session.new):
            self.write()

    def add(self, event: WireEvent) -> None:
        if any(isinstance(row, HubLogEntry) for row in self.session.new):
            self.session.flush()  # the hub's entries made for this event come before it
        self.logged.add(event.id)
        self.rows.append(
            {
                "event_id": event.id,
                "origin": event.origin,
                "seq": event.seq,
                "type": event.type,
                "payload": event.payload,
                "created_at": event.created_at,
                "received_at": utcnow(),
            }
        )

    def write(self) -> None:
        if self.rows:
            rows, self.rows = self.rows, []
            self.session.execute(insert(HubLogEntry.__table__), rows)  # type: ignore[arg-type]


@contextmanager
def _pending_log(session: Session, events: list[WireEvent]) -> Iterator[_Pending]:
    pending = _Pending(session, events)
    sa_event.listen(session, "before_flush", pending.before_flush)
    try:
        yield pending
        session.flush()
        pending.write()
    finally:
        sa_event.remove(session, "before_flush", pending.before_flush)


class _Batch:
    """A push's rows, written together: the projection's, the origins of the items added and
    the cart reservations that the items' shop sales end."""

    def __init__(self, session: Session, client: HubClient, config: HubConfig, careful: bool):
        self.session = session
        self.client = client
        self.config = config
        self.projection = Projection(session, careful=careful)
        self.added: list[str] = []
        self.sold: list[str] = []
        self.spent: list[str] = []  # coupon reservations (ids) that redemptions used
        self.leased: Counter[str] = Counter()  # uses spent of each lease

    def flush(self) -> None:
        self.projection.flush()
        insert_ignoring(
            self.session,
            HubItemOrigin,
            [{"barcode": barcode, "client_id": self.client.id} for barcode in self.added],
        )
        self._end(HubItemReservation, HubItemReservation.barcode, self.sold)
        self._end(HubCouponHold, HubCouponHold.id, self.spent, spent=1)
        if self.leased:
            table = HubCouponHold.__table__
            self.session.execute(
                update(table)  # type: ignore[arg-type]
                .where(table.c.id == bindparam("lease"))
                .values(spent=table.c.spent + bindparam("uses")),
                [{"lease": lease, "uses": uses} for lease, uses in self.leased.items()],
            )
        self.added, self.sold, self.spent = [], [], []
        self.leased.clear()

    def _end(self, model: Any, key: Any, keys: list[str], **also: Any) -> None:
        """End the live holds (or cart reservations) with these keys."""
        for start in range(0, len(keys), 500):
            self.session.execute(
                update(model)
                .where(key.in_(keys[start : start + 500]), model.ended_at.is_(None))
                .values(ended_at=utcnow(), **also)
            )


def _ingest(batch: _Batch, event: WireEvent, pending: _Pending) -> list[ConflictOut]:
    """Apply one event with the hub's checks around it, and log it."""
    session = batch.session
    if event.id in pending.logged:
        raise Conflict(tr("Event {id} was already sent by another till.", id=event.id))
    found: list[ConflictOut] = []
    applied = (
        Applied(problem=tr("Only the hub records this kind of change."))
        if event.type in HUB_ONLY
        else apply_event(batch.projection, event)
    )
    if applied.problem:
        found.append(
            log.record_conflict(
                session,
                "not_applied",
                _subject(event),
                {
                    "event": event.id,
                    "type": event.type,
                    "origin": event.origin,
                    "why": applied.problem,
                },
            )
        )
    else:
        found += _after(batch, event, applied)
    pending.add(event)
    return found


def _subject(event: WireEvent) -> str:
    payload = event.payload
    found = payload.get("code") or payload.get("barcode") or payload.get("name") or event.type
    return str(found)[:64]


def _after(batch: _Batch, event: WireEvent, applied: Applied) -> list[ConflictOut]:
    if event.type == "coupon.redeemed":
        return _redeemed(batch, event, applied)
    if event.type == "item.added":
        batch.added.append(event.payload["barcode"])
    if event.type == "stock.moved" and event.payload.get("reason") == MovementReason.SALE.value:
        return _shop_sale(batch, event, applied)
    return []


def _redeemed(batch: _Batch, event: WireEvent, applied: Applied) -> list[ConflictOut]:
    """A use reached the hub: its reservation (same id) is spent, or a lease use; more uses than
    the campaign allows is an over-redemption (possible only while a shop was offline)."""
    payload = event.payload
    batch.spent.append(payload["redemption_id"])
    if isinstance(lease := payload.get("lease_id"), str) and lease:
        batch.leased[lease] += 1
    uses, max_uses = applied.uses or 0, applied.max_uses or 1
    if uses <= max_uses:
        return []
    return [
        log.record_conflict(
            batch.session,
            "over_redemption",
            payload["code"],
            {
                "uses": uses,
                "max_uses": max_uses,
                "redemption_id": payload["redemption_id"],
                "origin": event.origin,
                "offline": payload.get("offline"),
                "sale_uuid": payload.get("sale_uuid"),
                "amount": payload.get("amount"),
            },
        )
    ]


def _shop_sale(batch: _Batch, event: WireEvent, applied: Applied) -> list[ConflictOut]:
    """A shop sold a one-of-a-kind item. The shop sale stands; if the item was already sold
    online, that online sale is oversold and its customer gets an apology coupon."""
    session = batch.session
    barcode = event.payload["barcode"]
    item = batch.projection.item(barcode)
    if item is None or item.kind is not ItemKind.CONSIGNED:
        return []  # only one-of-a-kind items are held in carts
    batch.sold.append(barcode)
    if applied.before is not ItemStatus.SOLD:
        return []
    online = session.scalars(
        select(HubOnlineSale).where(
            HubOnlineSale.barcode == barcode, HubOnlineSale.oversold_at.is_(None)
        )
    ).first()
    detail: dict[str, Any] = {"sale_uuid": event.payload.get("sale_uuid"), "origin": event.origin}
    if online is None:
        return [log.record_conflict(session, "sold_twice", barcode, detail)]
    online.oversold_at = utcnow()
    online.apology_code = issue_apology(session, online, batch.config.apology_campaign)
    detail |= {
        "order_ref": online.id,
        "customer_email": online.customer_email,
        "apology_code": online.apology_code,
    }
    return [log.record_conflict(session, "oversold", barcode, detail)]
