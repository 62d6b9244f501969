"""What a batch of events from elsewhere reads and writes, kept in memory and written at the end.

Applying events one at a time through the ORM (a savepoint, a flush and a few queries each) cost
about 2 ms an event. A Projection looks up the batch's items, coupons, uses, customers and
consignors in a few queries (``prepare``), lets the appliers (sync.apply_stock, apply_coupons)
change its rows in memory, and writes what changed with one statement per table (``flush``).

A one-of-a-kind item's state is folded from its movements, as sync.item_states says: the rows
hold each such item's state-changing movements, so a movement that arrives out of time order is
folded in its place without asking the database again.

In the fast mode a batch the database refuses at ``flush`` raises ProjectionRefused: the caller
rolls its unit of work back and applies the batch again with ``careful=True``, where each event
is flushed in a savepoint of its own, so that only the event at fault is refused.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from posapp.models import (
    Campaign,
    Consignor,
    Coupon,
    CouponRedemption,
    CouponState,
    Customer,
    Item,
    ItemKind,
    ItemStatus,
    MovementReason,
    StockMovement,
    utcnow,
)
from posapp.services.coupon_rules import usages
from sync import item_states
from sync.protocol import WireEvent
from sync.records import chunks


class ProjectionRefused(Exception):
    """The database refused a row of the batch: apply it again with careful=True."""


@dataclass
class Applied:
    """What applying one event did, for the hub's checks around it."""

    problem: str | None = None  # why it could not be applied (recorded as not_applied)
    before: ItemStatus | None = None  # a one-of-a-kind item's state before a movement
    uses: int | None = None  # a coupon's uses once a redemption is in
    max_uses: int | None = None


# (time, order, reason, quantity, note, counted): order puts rows already stored first, in id
# order, then the batch's in the order they came
Movement = tuple[datetime, int, MovementReason, int, str | None, int | None]
NEW_ORDER = 1 << 62


@dataclass
class ItemRow:
    barcode: str
    id: int | None  # None until flushed
    kind: ItemKind
    stored: ItemStatus  # the state the database has
    status: ItemStatus
    movements: list[Movement] = field(default_factory=list)  # one-of-a-kind items only


@dataclass
class CouponRow:
    id: int
    campaign_id: int
    state: CouponState
    issued_at: datetime | None
    customer_id: int | None
    expires_on: date | None
    uses: int | None = None  # loaded for coupons a batch redeems
    changed: bool = False


def _strings(events: Iterable[WireEvent], *keys: str) -> set[str]:
    found: set[str] = set()
    for event in events:
        for key in keys:
            value = event.payload.get(key)
            if isinstance(value, str) and value:
                found.add(value)
    return found


class Projection:
    def __init__(self, session: Session, *, careful: bool = False) -> None:
        self.session = session
        self.careful = careful
        self.items: dict[str, ItemRow | None] = {}
        self.coupons: dict[str, CouponRow | None] = {}
        self.max_uses: dict[int, int] = {}
        self.used_ids: dict[str, bool] = {}  # redemption id: already in the ledger
        self.customers: dict[str, int | None] = {}
        self.consignors: dict[str, int | None] = {}
        self.new_items: list[dict[str, Any]] = []
        self.new_movements: list[tuple[ItemRow, dict[str, Any]]] = []
        self.new_uses: list[dict[str, Any]] = []
        self._order = NEW_ORDER

    # --- reading ---------------------------------------------------------------------------

    def prepare(self, events: list[WireEvent]) -> None:
        """Look up everything the batch refers to, a few queries per kind of row."""
        self.load_items(_strings(events, "barcode"))
        self.load_coupons(_strings(events, "code"))
        redeemed = _strings((e for e in events if e.type == "coupon.redeemed"), "code")
        self._load_uses([row for code in redeemed if (row := self.coupons.get(code))])
        self._load_used_ids(_strings(events, "redemption_id"))
        self._load_keyed(self.customers, Customer.card_code, Customer.id, _strings(events, "card"))
        self._load_keyed(
            self.customers, Customer.card_code, Customer.id, _strings(events, "customer_card")
        )
        self._load_keyed(
            self.consignors, Consignor.number, Consignor.id, _strings(events, "consignor")
        )

    def item(self, barcode: str) -> ItemRow | None:
        if barcode not in self.items:
            self.load_items({barcode})
        return self.items.get(barcode)

    def coupon(self, code: str, *, with_uses: bool = False) -> CouponRow | None:
        if code not in self.coupons:
            self.load_coupons({code})
        row = self.coupons.get(code)
        if row is not None and with_uses and row.uses is None:
            self._load_uses([row])
        return row

    def campaign_max_uses(self, campaign_id: int) -> int:
        if campaign_id not in self.max_uses:
            found = self.session.scalar(select(Campaign.max_uses).where(Campaign.id == campaign_id))
            self.max_uses[campaign_id] = found or 1
        return self.max_uses[campaign_id]

    def is_used_id(self, redemption_id: str) -> bool:
        if redemption_id not in self.used_ids:
            self._load_used_ids({redemption_id})
        return self.used_ids[redemption_id]

    def customer(self, card: Any) -> int | None:
        return self._keyed(self.customers, Customer.card_code, Customer.id, card)

    def consignor(self, number: Any) -> int | None:
        return self._keyed(self.consignors, Consignor.number, Consignor.id, number)

    def _keyed(self, into: dict[str, int | None], key: Any, id_: Any, value: Any) -> int | None:
        if not isinstance(value, str) or not value:
            return None
        if value not in into:
            self._load_keyed(into, key, id_, {value})
        return into[value]

    def load_items(self, barcodes: set[str]) -> None:
        wanted = [b for b in barcodes if b not in self.items]
        consigned: dict[int, ItemRow] = {}
        for chunk in chunks(wanted):
            query = select(Item.id, Item.barcode, Item.kind, Item.status).where(
                Item.barcode.in_(chunk)
            )
            for item_id, barcode, kind, status in self.session.execute(query):
                row = ItemRow(barcode, item_id, kind, status, status)
                self.items[barcode] = row
                if kind is ItemKind.CONSIGNED:
                    consigned[item_id] = row
        for barcode in wanted:
            self.items.setdefault(barcode, None)
        self._load_movements(consigned)

    def _load_movements(self, rows: dict[int, ItemRow]) -> None:
        """The state-changing movements of these one-of-a-kind items, and their folded state.
        This database's own count corrections say what was counted in their count's record."""
        found = item_states.state_movements(self.session, list(rows), item_states.STATE_REASONS)
        for item_id, *movement in found:
            rows[item_id].movements.append(tuple(movement))
        for row in rows.values():
            row.status = item_states.fold(m[2:] for m in row.movements)

    def load_coupons(self, codes: set[str]) -> None:
        wanted = [c for c in codes if c not in self.coupons]
        campaigns: set[int] = set()
        for chunk in chunks(wanted):
            query = select(
                Coupon.code,
                Coupon.id,
                Coupon.campaign_id,
                Coupon.state,
                Coupon.issued_at,
                Coupon.customer_id,
                Coupon.expires_on,
            ).where(Coupon.code.in_(chunk))
            for code, coupon_id, campaign, state, issued_at, customer, ends in self.session.execute(
                query
            ):
                self.coupons[code] = CouponRow(
                    coupon_id, campaign, state, issued_at, customer, ends
                )
                campaigns.add(campaign)
        for code in wanted:
            self.coupons.setdefault(code, None)
        unknown = [c for c in campaigns if c not in self.max_uses]
        for chunk in chunks(unknown):
            limits = select(Campaign.id, Campaign.max_uses).where(Campaign.id.in_(chunk))
            self.max_uses.update({cid: uses or 1 for cid, uses in self.session.execute(limits)})

    def _load_uses(self, rows: list[CouponRow]) -> None:
        wanted = [row for row in rows if row.uses is None]
        for chunk in chunks(wanted):
            counted = usages(self.session, [row.id for row in chunk])
            for row in chunk:
                row.uses = counted.get(row.id, 0)

    def _load_used_ids(self, ids: set[str]) -> None:
        wanted = [i for i in ids if i not in self.used_ids]
        for chunk in chunks(wanted):
            query = select(CouponRedemption.id).where(CouponRedemption.id.in_(chunk))
            self.used_ids.update(dict.fromkeys(self.session.scalars(query), True))
        for redemption_id in wanted:
            self.used_ids.setdefault(redemption_id, False)

    def _load_keyed(
        self, into: dict[str, int | None], key: Any, id_: Any, values: set[str]
    ) -> None:
        wanted = [v for v in values if v not in into]
        for chunk in chunks(wanted):
            into.update(dict(self.session.execute(select(key, id_).where(key.in_(chunk))).all()))
        for value in wanted:
            into.setdefault(value, None)

    def forget(self, event: WireEvent) -> None:
        """Drop what an event applied through the ORM may have changed (sync.apply.APPLIERS)."""
        payload = event.payload
        codes = payload.get("codes")
        for code in [payload.get("code"), *(codes if isinstance(codes, list) else [])]:
            if isinstance(code, str):
                self.coupons.pop(code, None)
        for cache, key in (
            (self.items, "barcode"),
            (self.customers, "card"),
            (self.customers, "customer_card"),
            (self.consignors, "number"),
        ):
            value = payload.get(key)
            if isinstance(value, str):
                cache.pop(value, None)

    def reset(self) -> None:
        """After a savepoint rolled back: forget everything read so far."""
        for cache in (self.items, self.coupons, self.used_ids, self.customers, self.consignors):
            cache.clear()
        self.new_items.clear()
        self.new_movements.clear()
        self.new_uses.clear()

    # --- changing, in memory ---------------------------------------------------------------

    def add_item(self, values: dict[str, Any]) -> ItemRow:
        new = ItemStatus.AVAILABLE
        row = ItemRow(values["barcode"], None, values["kind"], new, new)
        self.items[row.barcode] = row
        self.new_items.append(values | {"status": new})
        return row

    def add_movement(
        self,
        row: ItemRow,
        reason: MovementReason,
        quantity: int,
        note: str | None,
        at: datetime | None,
        counted: int | None = None,
    ) -> None:
        """A movement joins the ledger; a one-of-a-kind item's state is folded again."""
        values = {"quantity": quantity, "reason": reason, "note": note}
        self.new_movements.append((row, values | ({"created_at": at} if at else {})))
        if row.kind is ItemKind.CONSIGNED and reason in item_states.STATE_REASONS:
            self._order += 1
            movement = (at or utcnow(), self._order, reason, quantity, note, counted)
            bisect.insort(row.movements, movement)
            row.status = item_states.fold(m[2:] for m in row.movements)

    def add_use(self, coupon: CouponRow, values: dict[str, Any]) -> None:
        self.new_uses.append(values | {"coupon_id": coupon.id})
        self.used_ids[values["id"]] = True
        coupon.uses = (coupon.uses or 0) + 1

    # --- writing ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Write what the batch changed: one statement per table."""
        session = self.session
        session.flush()
        try:
            self._write()
        except sa_exc.StatementError as problem:
            if isinstance(problem, sa_exc.OperationalError | sa_exc.InterfaceError):
                raise  # the database itself is in trouble: not the batch's fault
            raise ProjectionRefused(type(problem.orig or problem).__name__) from problem
        for found in list(session.identity_map.values()):
            if isinstance(found, Item | Coupon):
                session.expire(found)

    def _write(self) -> None:
        if self.new_items:
            table = Item.__table__
            statement = insert(table).returning(table.c.barcode, table.c.id)  # type: ignore[arg-type]
            ids: dict[str, int] = dict(self.session.execute(statement, self.new_items).all())
            for barcode, item_id in ids.items():
                row = self.items.get(barcode)
                if row is not None:
                    row.id = item_id
            self.new_items = []
        if self.new_movements:
            rows = [values | {"item_id": row.id} for row, values in self.new_movements]
            self._insert(StockMovement, rows)
            self.new_movements = []
        if self.new_uses:
            self._insert(CouponRedemption, self.new_uses)
            self.new_uses = []
        self._write_states()

    def _insert(self, model: type[Any], rows: list[dict[str, Any]]) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:  # one executemany needs one set of keys
            groups.setdefault(tuple(sorted(row)), []).append(row)
        for group in groups.values():
            self.session.execute(insert(model.__table__), group)

    def _write_states(self) -> None:
        now = utcnow()
        items = [
            {"row_id": row.id, "new_status": row.status, "now": now}
            for row in self.items.values()
            if row is not None and row.status is not row.stored
        ]
        if items:
            table = Item.__table__
            self.session.execute(
                update(table)  # type: ignore[arg-type]
                .where(table.c.id == bindparam("row_id"))
                .values(status=bindparam("new_status"), updated_at=bindparam("now")),
                items,
            )
            for row in self.items.values():
                if row is not None:
                    row.stored = row.status
        coupons = [
            {
                "row_id": row.id,
                "new_state": row.state,
                "new_issued_at": row.issued_at,
                "new_customer_id": row.customer_id,
                "new_expires_on": row.expires_on,
            }
            for row in self.coupons.values()
            if row is not None and row.changed
        ]
        if coupons:
            table = Coupon.__table__
            self.session.execute(
                update(table)  # type: ignore[arg-type]
                .where(table.c.id == bindparam("row_id"))
                .values(
                    state=bindparam("new_state"),
                    issued_at=bindparam("new_issued_at"),
                    customer_id=bindparam("new_customer_id"),
                    expires_on=bindparam("new_expires_on"),
                ),
                coupons,
            )
            for coupon in self.coupons.values():
                if coupon is not None:
                    coupon.changed = False
