"""The variance report of a count: missing, extra and unknown, with value at price, by consignor
for consigned items, and the count of pre-printed coupons per campaign.

An open count is computed live from the ledger; a committed count shows what it corrected."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Campaign,
    Consignor,
    CountCorrection,
    CountScan,
    CountScope,
    CountSession,
    CountState,
    Coupon,
    CouponState,
    Item,
    Role,
)
from posapp.services.context import Actor
from posapp.services.count_variance import VarianceLine, variance_lines
from posapp.services.errors import NotFound, PermissionRefused


@dataclass(frozen=True)
class UnknownCode:
    code: str
    quantity: int
    scans: int


@dataclass(frozen=True)
class RepeatedScan:
    code: str
    name: str | None
    extra_scans: int


@dataclass(frozen=True)
class CouponCount:
    campaign: str
    expected: int  # printed and not yet issued
    counted: int
    missing: int
    extra: int  # scanned although not in the printed stock (issued, used, voided...)
    missing_codes: tuple[str, ...] = ()  # printed, not issued and not found: void them?


@dataclass(frozen=True)
class ConsignorVariance:
    number: str
    name: str
    missing: int
    missing_value: int
    extra: int
    extra_value: int


@dataclass(frozen=True)
class CountReport:
    id: int
    scope: CountScope
    scope_value: str | None
    blind: bool
    state: CountState
    started_at: datetime
    lines: list[VarianceLine]
    unknown: list[UnknownCode]
    repeated: list[RepeatedScan]
    coupons: list[CouponCount]

    @property
    def missing(self) -> list[VarianceLine]:
        return [line for line in self.lines if line.in_scope and line.variance < 0]

    @property
    def extra(self) -> list[VarianceLine]:
        return [line for line in self.lines if line.in_scope and line.variance > 0]

    @property
    def outside_scope(self) -> list[VarianceLine]:
        """Scanned, but outside this count's scope: for a person to look at, never corrected."""
        return [line for line in self.lines if not line.in_scope]

    def by_consignor(self) -> list[ConsignorVariance]:
        totals: dict[str, list[int]] = {}
        names: dict[str, str] = {}
        for line in self.lines:
            if line.consignor_number is None or not line.in_scope:
                continue
            names[line.consignor_number] = line.consignor_name or ""
            sums = totals.setdefault(line.consignor_number, [0, 0, 0, 0])
            at = 0 if line.variance < 0 else 2
            sums[at] += abs(line.variance)
            sums[at + 1] += abs(line.value)
        return [
            ConsignorVariance(number, names[number], *sums)
            for number, sums in sorted(totals.items())
        ]


def _committed_lines(session: Session, count: CountSession) -> list[VarianceLine]:
    rows = session.execute(
        select(CountCorrection, Item, Consignor.number, Consignor.name)
        .join(Item, Item.id == CountCorrection.item_id)
        .outerjoin(Consignor, Consignor.id == Item.consignor_id)
        .where(CountCorrection.session_id == count.id)
        .order_by(Item.barcode)
    )
    return [
        VarianceLine(
            item_id=item.id,
            barcode=item.barcode,
            name=item.name,
            kind=item.kind,
            status=item.status,
            category=item.category,
            consignor_number=number,
            consignor_name=cname,
            price=item.price,
            expected_at_start=fix.expected_at_start,
            moved_since=fix.moved_since,
            counted=fix.counted,
        )
        for fix, item, number, cname in rows
    ]


def _unknown(session: Session, count_id: int) -> list[UnknownCode]:
    rows = session.execute(
        select(CountScan.code, func.sum(CountScan.quantity), func.count())
        .where(
            CountScan.session_id == count_id,
            CountScan.item_id.is_(None),
            CountScan.coupon_id.is_(None),
        )
        .group_by(CountScan.code)
        .order_by(CountScan.code)
    )
    return [UnknownCode(code, int(quantity), int(scans)) for code, quantity, scans in rows]


def _repeated(session: Session, count_id: int) -> list[RepeatedScan]:
    rows = session.execute(
        select(CountScan.code, Item.name, func.count())
        .outerjoin(Item, Item.id == CountScan.item_id)
        .where(CountScan.session_id == count_id, CountScan.repeated)
        .group_by(CountScan.code, Item.name)
        .order_by(CountScan.code)
    )
    return [RepeatedScan(code, name, int(times)) for code, name, times in rows]


def _coupons(session: Session, count: CountSession) -> list[CouponCount]:
    scanned = (
        select(CountScan.coupon_id.label("coupon_id"))
        .where(CountScan.session_id == count.id, CountScan.coupon_id.is_not(None))
        .distinct()
        .subquery()
    )
    printed = Coupon.state == CouponState.PRINTED
    seen = scanned.c.coupon_id.is_not(None)
    wanted = printed | seen if count.scope is CountScope.ALL else seen
    one = case((printed, 1), else_=0)
    rows = session.execute(
        select(
            Campaign.name,
            func.sum(one),
            func.sum(case((seen, 1), else_=0)),
            func.sum(case((and_(printed, ~seen), 1), else_=0)),
            func.sum(case((and_(~printed, seen), 1), else_=0)),
        )
        .select_from(Coupon)
        .join(Campaign, Campaign.id == Coupon.campaign_id)
        .outerjoin(scanned, scanned.c.coupon_id == Coupon.id)
        .where(wanted)
        .group_by(Campaign.id, Campaign.name)
        .order_by(Campaign.name)
    )
    counts = [CouponCount(str(n), int(e), int(c), int(m), int(x)) for n, e, c, m, x in rows]
    if not any(c.missing for c in counts):
        return counts
    missing: dict[str, list[str]] = {}
    for name, code in session.execute(
        select(Campaign.name, Coupon.code)
        .join(Campaign, Campaign.id == Coupon.campaign_id)
        .outerjoin(scanned, scanned.c.coupon_id == Coupon.id)
        .where(printed, ~seen)
        .order_by(Coupon.code)
    ):
        missing.setdefault(name, []).append(code)
    return [replace(c, missing_codes=tuple(missing.get(c.campaign, ()))) for c in counts]


def count_report(db: Database, count_id: int, actor: Actor | None = None) -> CountReport:
    """The report; while a blind count is open only a manager (or the system: no actor) sees it,
    since it shows what the counters are not meant to see."""
    with db.reading() as session:
        count = session.get(CountSession, count_id)
        if count is None:
            raise NotFound(tr("No count {id}.", id=count_id))
        blind = count.blind and count.state is CountState.OPEN
        if blind and actor is not None and actor.role is not Role.MANAGER:
            raise PermissionRefused(
                tr("While a blind count is open, only a manager can see its report.")
            )
        if count.state is CountState.COMMITTED:
            lines = _committed_lines(session, count)
            lines += variance_lines(session, count, outside_only=True)
        else:
            lines = variance_lines(session, count)
        return CountReport(
            count.id,
            count.scope,
            count.scope_value,
            count.blind,
            count.state,
            count.started_at,
            lines,
            _unknown(session, count.id),
            _repeated(session, count.id),
            _coupons(session, count),
        )
