"""Pure pricing: coupon discounts spread over lines, and each line's consignor share.

No database here. Every amount is an integer of minor units and the parts always add up: the
discount of each coupon is spread over the lines pro rata to what is left of each line (largest
remainder), so lines sum to the total and no line goes below zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from posapp.models import DiscountKind, Funding
from posapp.money import BASIS_POINTS, allocate, apply_basis_points

# Half-units of the discount the consignor carries, per funding rule: the split is taken from the
# price before the discount (store), after it (consignor), or after half of it (shared).
_CONSIGNOR_HALVES = {Funding.STORE: 0, Funding.SHARED: 1, Funding.CONSIGNOR: 2}


@dataclass(frozen=True)
class LineTerms:
    quantity: int
    unit_price: int
    split_bp: int | None  # consignor's share in basis points; None for store-owned stock


@dataclass(frozen=True)
class CouponTerms:
    coupon_id: int
    code: str
    campaign_id: int
    campaign_name: str
    kind: DiscountKind
    value: int  # minor units, or basis points for a percent coupon
    min_spend: int
    funding: Funding


@dataclass(frozen=True)
class PricedLine:
    gross: int
    discount: int
    net: int
    consignor_share: int


@dataclass(frozen=True)
class Quote:
    lines: tuple[PricedLine, ...]
    coupon_discounts: tuple[int, ...]  # one per coupon, in the order given; 0 when held back
    subtotal: int
    discount_total: int
    total: int


def marked_down(price: int, markdown_on: date | None, markdown_bp: int | None, today: date) -> int:
    """An item's price today: from its markdown day on, the markdown's percentage less (the cut
    rounded half up, so 30% of 9.95 takes 2.99 off)."""
    if markdown_on is None or markdown_bp is None or today < markdown_on:
        return price
    return price - apply_basis_points(price, markdown_bp)


def coupon_amount(terms: CouponTerms, subtotal: int, base: int) -> int:
    """What one coupon takes off ``base`` (what is still to pay); 0 below its minimum spend."""
    if subtotal < terms.min_spend or base <= 0:
        return 0
    if terms.kind is DiscountKind.PERCENT:
        return min(base, apply_basis_points(base, terms.value))
    return min(base, terms.value)


def consignor_share(split_bp: int | None, gross: int, consignor_halves: int) -> int:
    """Round half up of split x (gross - consignor's half-units of discount / 2)."""
    if split_bp is None:
        return 0
    base_halves = max(0, 2 * gross - consignor_halves)
    return (split_bp * base_halves + BASIS_POINTS) // (2 * BASIS_POINTS)


def quote(lines: Sequence[LineTerms], coupons: Sequence[CouponTerms]) -> Quote:
    gross = [line.quantity * line.unit_price for line in lines]
    subtotal = sum(gross)
    remaining = list(gross)
    line_discount = [0] * len(lines)
    consignor_halves = [0] * len(lines)
    discounts: list[int] = []
    for terms in coupons:
        amount = coupon_amount(terms, subtotal, sum(remaining))
        parts = allocate(amount, remaining) if amount else [0] * len(lines)
        for index, part in enumerate(parts):
            remaining[index] -= part
            line_discount[index] += part
            consignor_halves[index] += _CONSIGNOR_HALVES[terms.funding] * part
        discounts.append(amount)
    priced = tuple(
        PricedLine(
            gross=gross[i],
            discount=line_discount[i],
            net=remaining[i],
            consignor_share=consignor_share(lines[i].split_bp, gross[i], consignor_halves[i]),
        )
        for i in range(len(lines))
    )
    discount_total = sum(discounts)
    return Quote(priced, tuple(discounts), subtotal, discount_total, subtotal - discount_total)
