"""The shop's counts, newest first: what is open, who started it, how far the scanning got; and
one count's running tally, as a counter's screen shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import and_, case, func, select

from posapp import codes
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import CountScan, CountScope, CountSession, CountState, Item, StockMovement, User
from posapp.services.count_variance import in_scope
from posapp.services.errors import NotFound

TALLY_LINES = 500  # a screen shows the newest lines; the report has them all


def scope_words(scope: CountScope, value: str | None) -> str:
    """'the whole shop', 'category dresses'...: what a count covers, for people."""
    if scope is CountScope.ALL:
        return tr("the whole shop")
    words = {
        CountScope.LOCATION: tr("location {name}"),
        CountScope.CATEGORY: tr("category {name}"),
        CountScope.CONSIGNOR: tr("consignor {name}"),
    }
    return words[scope].format(name=value)


@dataclass(frozen=True)
class CountRow:
    id: int
    scope: CountScope
    scope_value: str | None
    blind: bool
    state: CountState
    started_at: datetime
    started_by: str | None
    scans: int
    closed_at: datetime | None


def list_counts(db: Database, open_only: bool = False) -> list[CountRow]:
    scans = (
        select(CountScan.session_id, func.count().label("n"))
        .group_by(CountScan.session_id)
        .subquery()
    )
    query = (
        select(CountSession, User.name, func.coalesce(scans.c.n, 0))
        .outerjoin(User, User.id == CountSession.started_by)
        .outerjoin(scans, scans.c.session_id == CountSession.id)
        .order_by(CountSession.id.desc())
    )
    if open_only:
        query = query.where(CountSession.state == CountState.OPEN)
    with db.reading() as session:
        return [
            CountRow(
                c.id,
                c.scope,
                c.scope_value,
                c.blind,
                c.state,
                c.started_at,
                user,
                int(n),
                c.closed_at,
            )
            for c, user, n in session.execute(query)
        ]


@dataclass(frozen=True)
class TallyLine:
    """One code's running total in a count, across every terminal scanning into it."""

    code: str
    kind: Literal["item", "coupon", "unknown"]
    name: str | None
    counted: int
    expected: int | None  # on hand now; None in a blind count, and for coupons and unknown codes
    repeated: int  # scans of a one-of-a-kind item or coupon that were not counted again
    outside_scope: bool = False


def count_tally(db: Database, count_id: int, limit: int = TALLY_LINES) -> list[TallyLine]:
    """The newest ``limit`` lines of the count's tally, the most recently scanned first."""
    with db.reading() as session:
        count = session.get(CountSession, count_id)
        if count is None:
            raise NotFound(tr("No count {id}.", id=count_id))
        blind, scope, value = count.blind, count.scope, count.scope_value
        unknown = and_(CountScan.item_id.is_(None), CountScan.coupon_id.is_(None))
        per_code = case((unknown, CountScan.code), else_=None)
        lines = (
            select(
                CountScan.item_id.label("item_id"),
                CountScan.coupon_id.label("coupon_id"),
                func.min(CountScan.code).label("code"),
                func.sum(CountScan.quantity).label("counted"),
                func.sum(case((CountScan.repeated, 1), else_=0)).label("repeated"),
                func.max(CountScan.id).label("last"),
            )
            .where(CountScan.session_id == count_id)
            .group_by(CountScan.item_id, CountScan.coupon_id, per_code)
            .order_by(func.max(CountScan.id).desc())
            .limit(limit)
            .subquery()
        )
        on_hand = (
            select(func.coalesce(func.sum(StockMovement.quantity), 0))
            .where(StockMovement.item_id == lines.c.item_id)
            .scalar_subquery()
        )
        rows = session.execute(
            select(lines, Item.name, on_hand, in_scope(scope, value))
            .outerjoin(Item, Item.id == lines.c.item_id)
            .order_by(lines.c.last.desc())
        )
        return [_tally_line(row, blind) for row in rows]


def _tally_line(row: Any, blind: bool) -> TallyLine:
    item_id, coupon_id, code, counted, repeated, _last, name, on_hand, inside = row
    if item_id is not None:
        expected = None if blind else int(on_hand)
        return TallyLine(code, "item", name, int(counted), expected, int(repeated), not inside)
    if coupon_id is not None:
        return TallyLine(code, "coupon", codes.grouped(code), int(counted), None, int(repeated))
    return TallyLine(code, "unknown", None, int(counted), None, 0)
