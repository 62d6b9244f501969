"""A consignor's statement for a period, as plain data: items sold, refunds, payouts, balances.

Everything comes from the consignor ledger (+ share on a sale, - on its refund, - on a payout), so
the statement's balances always agree with what the store owes. Days are UTC days, like the
stored timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import ConsignorLedgerEntry, Item, LedgerKind, Sale, SaleLine, Store
from posapp.services.catalog import consignor_by_number
from posapp.services.errors import InvalidInput


@dataclass(frozen=True)
class StatementLine:
    """One ledger entry about an item: a sale (share > 0) or its refund (share < 0)."""

    on: datetime
    kind: LedgerKind
    sale_number: str
    barcode: str
    item: str
    price: int  # gross
    discount: int
    net: int
    split_bp: int | None
    share: int


@dataclass(frozen=True)
class StatementPayout:
    on: datetime
    amount: int  # paid to the consignor (positive)


@dataclass(frozen=True)
class Statement:
    store_name: str
    currency: str
    consignor_number: str
    consignor_name: str
    start: date
    end: date  # inclusive
    opening_balance: int
    lines: tuple[StatementLine, ...]
    payouts: tuple[StatementPayout, ...]

    @property
    def shares(self) -> int:
        return sum(line.share for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(payout.amount for payout in self.payouts)

    @property
    def closing_balance(self) -> int:
        return self.opening_balance + self.shares - self.paid


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise InvalidInput(tr("The period ends before it starts."))
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


def _line(
    entry: ConsignorLedgerEntry, line: SaleLine, sale_number: str, barcode: str
) -> StatementLine:
    return StatementLine(
        entry.created_at,
        entry.kind,
        sale_number,
        barcode,
        line.description,
        line.gross,
        line.discount,
        line.net,
        line.split_bp,
        entry.amount,
    )


def consignor_statement(db: Database, number: str, start: date, end: date) -> Statement:
    since, until = _bounds(start, end)
    with db.reading() as session:
        store = session.scalars(select(Store).order_by(Store.id).limit(1)).one()
        consignor = consignor_by_number(session, number)
        mine = ConsignorLedgerEntry.consignor_id == consignor.id
        opening = session.scalar(
            select(func.coalesce(func.sum(ConsignorLedgerEntry.amount), 0)).where(
                mine, ConsignorLedgerEntry.created_at < since
            )
        )
        in_period = (
            mine,
            ConsignorLedgerEntry.created_at >= since,
            ConsignorLedgerEntry.created_at < until,
        )
        rows = session.execute(
            select(ConsignorLedgerEntry, SaleLine, Sale.number, Item.barcode)
            .join(SaleLine, SaleLine.id == ConsignorLedgerEntry.sale_line_id)
            .join(Sale, Sale.id == SaleLine.sale_id)
            .join(Item, Item.id == SaleLine.item_id)
            .where(*in_period, ConsignorLedgerEntry.kind != LedgerKind.PAYOUT)
            .order_by(ConsignorLedgerEntry.created_at, ConsignorLedgerEntry.id)
        ).all()
        payouts = session.scalars(
            select(ConsignorLedgerEntry)
            .where(*in_period, ConsignorLedgerEntry.kind == LedgerKind.PAYOUT)
            .order_by(ConsignorLedgerEntry.created_at, ConsignorLedgerEntry.id)
        ).all()
        return Statement(
            store.name,
            store.currency,
            consignor.number,
            consignor.name,
            start,
            end,
            int(opening or 0),
            tuple(_line(*row) for row in rows),
            tuple(StatementPayout(p.created_at, -p.amount) for p in payouts),
        )
