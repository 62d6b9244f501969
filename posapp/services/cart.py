"""The cart of a sale in progress, and turning a scanned code into a cart change.

The cart is plain data held by the screen (or the command) that builds the sale. A scan is
resolved against the database by :func:`resolve_scan`, which returns an outcome; :meth:`Cart.apply`
then folds the outcome into the cart, in scan order, checking what depends on the cart itself
(a coupon scanned twice, an item scanned twice, the minimum spend).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from posapp import codes
from posapp.db import Database
from posapp.i18n import day, tr
from posapp.models import (
    Campaign,
    Consignor,
    Coupon,
    Customer,
    Item,
    ItemKind,
    ItemStatus,
    Sale,
    SaleLine,
)
from posapp.services import clock
from posapp.services.coupon_rules import (
    Refusal,
    RefusalReason,
    customer_limit_refusal,
    customer_usage,
    min_spend_refusal,
    refusal_for,
)
from posapp.services.holds import held_refusal
from posapp.services.pricing import CouponTerms, LineTerms, Quote, marked_down, quote


@dataclass(frozen=True)
class CartLine:
    item_id: int
    barcode: str
    name: str
    kind: ItemKind
    unit_price: int
    quantity: int
    split_bp: int | None
    consignor_number: str | None

    def terms(self) -> LineTerms:
        return LineTerms(self.quantity, self.unit_price, self.split_bp)


@dataclass(frozen=True)
class CartCustomer:
    id: int
    name: str


@dataclass(frozen=True)
class ItemScanned:
    line: CartLine


@dataclass(frozen=True)
class CouponScanned:
    terms: CouponTerms
    # The campaign's per-customer limit and what the customer had left of it at the scan, so the
    # cart can refuse a second coupon of the same campaign in one sale; None: no limit applies.
    customer_limit: int | None = None
    customer_uses_left: int | None = None


@dataclass(frozen=True)
class CustomerScanned:
    customer: CartCustomer


@dataclass(frozen=True)
class ScanRefused:
    code: str
    refusal: Refusal


ScanOutcome = ItemScanned | CouponScanned | CustomerScanned | ScanRefused


@dataclass
class Cart:
    currency: str
    lines: list[CartLine] = field(default_factory=list)
    coupons: list[CouponTerms] = field(default_factory=list)
    customer: CartCustomer | None = None

    def quote(self) -> Quote:
        return quote([line.terms() for line in self.lines], self.coupons)

    @property
    def subtotal(self) -> int:
        return sum(line.quantity * line.unit_price for line in self.lines)

    def apply(self, outcome: ScanOutcome) -> ScanOutcome:
        """Fold a resolved scan into the cart; returns the outcome, or why it was refused now."""
        if isinstance(outcome, ItemScanned):
            return self._add_line(outcome)
        if isinstance(outcome, CouponScanned):
            return self._add_coupon(outcome)
        if isinstance(outcome, CustomerScanned):
            self.customer = outcome.customer
        return outcome

    def _add_line(self, outcome: ItemScanned) -> ScanOutcome:
        line = outcome.line
        for index, existing in enumerate(self.lines):
            if existing.item_id != line.item_id:
                continue
            if line.kind is ItemKind.CONSIGNED:
                return ScanRefused(
                    line.barcode,
                    Refusal(
                        RefusalReason.ALREADY_IN_SALE,
                        tr("{name} is already in this sale.", name=line.name),
                    ),
                )
            self.lines[index] = replace(existing, quantity=existing.quantity + line.quantity)
            return outcome
        self.lines.append(line)
        return outcome

    def _add_coupon(self, outcome: CouponScanned) -> ScanOutcome:
        terms = outcome.terms
        if any(c.coupon_id == terms.coupon_id for c in self.coupons):
            return ScanRefused(
                terms.code,
                Refusal(RefusalReason.ALREADY_IN_SALE, tr("This coupon is already in this sale.")),
            )
        refusal = min_spend_refusal(terms.min_spend, self.subtotal, self.currency)
        if refusal:
            return ScanRefused(terms.code, refusal)
        same_campaign = sum(c.campaign_id == terms.campaign_id for c in self.coupons)
        if outcome.customer_limit and (outcome.customer_uses_left or 0) <= same_campaign:
            return ScanRefused(
                terms.code, customer_limit_refusal(terms.campaign_name, outcome.customer_limit)
            )
        self.coupons.append(terms)
        return outcome

    def remove_line(self, index: int) -> None:
        del self.lines[index]
        self._drop_coupons_below_min_spend()

    def set_quantity(self, index: int, quantity: int) -> None:
        line = self.lines[index]
        if line.kind is ItemKind.CONSIGNED or quantity < 1:
            raise ValueError("quantity")
        self.lines[index] = replace(line, quantity=quantity)
        self._drop_coupons_below_min_spend()

    def remove_coupon(self, coupon_id: int) -> None:
        self.coupons = [c for c in self.coupons if c.coupon_id != coupon_id]

    def _drop_coupons_below_min_spend(self) -> None:
        self.coupons = [c for c in self.coupons if c.min_spend <= self.subtotal]


# Built once: a scan runs these with new values only (no statement building per scan).
_ITEM_BY_BARCODE = (
    select(Item, Consignor.number)
    .outerjoin(Consignor, Consignor.id == Item.consignor_id)
    .where(Item.barcode == bindparam("barcode"))
)
_COUPON_BY_CODE = (
    select(Coupon, Campaign)
    .join(Campaign, Campaign.id == Coupon.campaign_id)
    .where(Coupon.code == bindparam("code"))
)


def _refused(code: str, reason: RefusalReason, message: str) -> ScanRefused:
    return ScanRefused(code, Refusal(reason, message))


def coupon_terms(coupon: Coupon, campaign: Campaign) -> CouponTerms:
    return CouponTerms(
        coupon_id=coupon.id,
        code=coupon.code,
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        kind=campaign.kind,
        value=campaign.value,
        min_spend=campaign.min_spend,
        funding=campaign.funding,
    )


def _coupon_outcome(
    session: Session, code: str, today: date, customer_id: int | None
) -> ScanOutcome:
    found = session.execute(_COUPON_BY_CODE, {"code": code}).first()
    if found is None:
        return _refused(
            code,
            RefusalReason.UNKNOWN_COUPON,
            tr("Unknown coupon {code}.", code=codes.grouped(code)),
        )
    coupon, campaign = found
    refusal = refusal_for(session, coupon, campaign, today=today, customer_id=customer_id)
    if refusal:
        return ScanRefused(code, refusal)
    who = customer_id or coupon.customer_id
    limit = campaign.max_uses_per_customer
    if not (who and limit):
        return CouponScanned(coupon_terms(coupon, campaign))
    left = limit - customer_usage(session, campaign.id, who)
    return CouponScanned(coupon_terms(coupon, campaign), limit, left)


def _unavailable_message(session: Session, item: Item) -> str:
    if item.status is ItemStatus.SOLD:
        sale = session.execute(
            select(Sale.number, Sale.created_at)
            .join(SaleLine, SaleLine.sale_id == Sale.id)
            .where(SaleLine.item_id == item.id)
            .order_by(Sale.id.desc())
            .limit(1)
        ).first()
        if sale:
            return tr(
                "{name} was already sold on {date} (sale {number}).",
                name=item.name,
                date=day(sale.created_at.date()),
                number=sale.number,
            )
        return tr("{name} has already been sold.", name=item.name)
    if item.status is ItemStatus.RESERVED:
        return held_refusal(session, item)
    status_words = {
        ItemStatus.RETURNED: tr("returned to its consignor"),
        ItemStatus.DONATED: tr("donated"),
        ItemStatus.MISSING: tr("marked missing"),
    }
    return tr(
        "{name} cannot be sold: it is {status}.",
        name=item.name,
        status=status_words.get(item.status, item.status.value),
    )


def _item_outcome(
    session: Session, item: Item, consignor_number: str | None, today: date
) -> ScanOutcome:
    if item.kind is ItemKind.CONSIGNED and item.status is not ItemStatus.AVAILABLE:
        return _refused(
            item.barcode, RefusalReason.ITEM_UNAVAILABLE, _unavailable_message(session, item)
        )
    return ItemScanned(
        CartLine(
            item_id=item.id,
            barcode=item.barcode,
            name=item.name,
            kind=item.kind,
            unit_price=marked_down(item.price, item.markdown_on, item.markdown_bp, today),
            quantity=1,
            split_bp=item.split_bp,
            consignor_number=consignor_number,
        )
    )


def resolve_in_session(
    session: Session, raw: str, *, today: date, customer_id: int | None = None
) -> ScanOutcome:
    text, _symbology = codes.strip_scanner_noise(raw)
    if not text:
        return _refused("", RefusalReason.EMPTY, tr("Empty scan."))
    coupon_code = codes.normalise(text)
    problem = codes.problem_with(coupon_code)
    if codes.looks_like_coupon(coupon_code) and problem is None:
        return _coupon_outcome(session, coupon_code, today, customer_id)
    found = session.execute(_ITEM_BY_BARCODE, {"barcode": text}).first()
    if found is not None:
        return _item_outcome(session, found[0], found[1], today)
    customer = session.scalars(select(Customer).where(Customer.card_code == text)).first()
    if customer is not None:
        name = customer.name or tr("Customer {card}", card=customer.card_code)
        return CustomerScanned(CartCustomer(customer.id, name))
    if codes.looks_like_coupon(coupon_code):
        return _refused(
            text,
            RefusalReason.BAD_CHECK,
            tr("{code} is not a valid coupon code: check it for a typo.", code=text),
        )
    return _refused(text, RefusalReason.UNKNOWN_CODE, tr("Unknown code {code}.", code=text))


def resolve_scan(
    db: Database, raw: str, *, today: date | None = None, customer_id: int | None = None
) -> ScanOutcome:
    """What a scanned or typed code is: an item to add, a coupon, a customer card, or a refusal."""
    with db.reading() as session:
        return resolve_in_session(
            session, raw, today=today or clock.today(), customer_id=customer_id
        )
