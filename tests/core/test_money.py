"""Money: splitting never loses or invents a cent, discounts spread pro rata, consignor shares
follow the campaign's funding rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.models import DiscountKind, Funding
from posapp.money import MoneyFormatError, allocate, apply_basis_points, parse_amount
from posapp.services.pricing import CouponTerms, LineTerms, quote


@st.composite
def totals_and_weights(draw: st.DrawFn) -> tuple[int, list[int]]:
    weights = draw(st.lists(st.integers(0, 10**9), min_size=1, max_size=30))
    total = draw(st.integers(0, sum(weights))) if sum(weights) else 0
    return total, weights


@given(totals_and_weights())
def test_allocate_parts_sum_to_total_and_stay_within_their_weight(
    case: tuple[int, list[int]],
) -> None:
    total, weights = case
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    assert all(0 <= part <= weight for part, weight in zip(parts, weights, strict=True))


@given(st.integers(0, 10**7), st.lists(st.integers(1, 10**6), min_size=1, max_size=20))
def test_allocate_is_pro_rata_within_one_unit(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert abs(part - exact) < 1


def test_allocate_refuses_what_it_cannot_split() -> None:
    with pytest.raises(ValueError):
        allocate(-1, [1, 2])
    with pytest.raises(ValueError):
        allocate(5, [0, 0])
    assert allocate(0, [0, 0]) == [0, 0]
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]


line_terms = st.builds(
    LineTerms,
    quantity=st.integers(1, 5),
    unit_price=st.integers(0, 200_000),
    split_bp=st.one_of(st.none(), st.integers(0, 10_000)),
)


@st.composite
def coupon_terms(draw: st.DrawFn) -> CouponTerms:
    kind = draw(st.sampled_from(DiscountKind))
    value = draw(st.integers(1, 10_000) if kind is DiscountKind.PERCENT else st.integers(1, 60_000))
    return CouponTerms(
        coupon_id=draw(st.integers(1, 10**6)),
        code="X",
        campaign_id=1,
        campaign_name="C",
        kind=kind,
        value=value,
        min_spend=draw(st.sampled_from([0, 0, 5_000, 50_000, 300_000])),
        funding=draw(st.sampled_from(Funding)),
    )


@given(st.lists(line_terms, min_size=1, max_size=8), st.lists(coupon_terms(), max_size=4))
def test_quote_lines_add_up_whatever_the_coupons(
    lines: list[LineTerms], coupons: list[CouponTerms]
) -> None:
    result = quote(lines, coupons)
    assert result.subtotal == sum(line.quantity * line.unit_price for line in lines)
    assert sum(line.net for line in result.lines) == result.total
    assert sum(line.discount for line in result.lines) == result.discount_total
    assert sum(result.coupon_discounts) == result.discount_total
    assert result.total == result.subtotal - result.discount_total >= 0
    for line, priced in zip(lines, result.lines, strict=True):
        assert priced.gross == line.quantity * line.unit_price
        assert priced.net == priced.gross - priced.discount
        assert priced.net >= 0 and priced.discount >= 0
        assert 0 <= priced.consignor_share <= priced.gross
        if line.split_bp is None:
            assert priced.consignor_share == 0
    for terms, discount in zip(coupons, result.coupon_discounts, strict=True):
        if result.subtotal < terms.min_spend:
            assert discount == 0
        if terms.kind is DiscountKind.AMOUNT:
            assert discount <= terms.value


def _coupon(
    kind: DiscountKind,
    value: int,
    *,
    min_spend: int = 0,
    funding: Funding = Funding.STORE,
    coupon_id: int = 1,
) -> CouponTerms:
    return CouponTerms(coupon_id, "X", 1, "C", kind, value, min_spend, funding)


def test_amount_coupon_is_spread_pro_rata_and_rounding_goes_to_the_largest_remainder() -> None:
    lines = [LineTerms(1, 10_000, 6000), LineTerms(1, 20_000, 6000), LineTerms(1, 5_000, None)]
    result = quote(lines, [_coupon(DiscountKind.AMOUNT, 1_000)])
    assert [line.discount for line in result.lines] == [286, 571, 143]
    assert [line.net for line in result.lines] == [9_714, 19_429, 4_857]
    assert result.total == 34_000


def test_percent_coupon_rounds_half_up_on_what_is_left() -> None:
    lines = [LineTerms(1, 1_005, None), LineTerms(2, 1_000, None)]
    result = quote(lines, [_coupon(DiscountKind.PERCENT, 1_000)])
    assert result.coupon_discounts == (301,)  # 10% of 30.05 = 3.005 -> 3.01
    assert result.total == 2_704


def test_several_coupons_apply_in_order_and_never_go_below_zero() -> None:
    lines = [LineTerms(1, 5_000, 6000)]
    coupons = [
        _coupon(DiscountKind.PERCENT, 2_000, coupon_id=1),  # 20% of 50.00 = 10.00
        _coupon(DiscountKind.AMOUNT, 3_000, coupon_id=2),  # 30.00 off the 40.00 left
        _coupon(DiscountKind.AMOUNT, 5_000, coupon_id=3),  # only 10.00 left to take
    ]
    result = quote(lines, coupons)
    assert result.coupon_discounts == (1_000, 3_000, 1_000)
    assert result.total == 0
    assert result.lines[0].net == 0


def test_minimum_spend_is_on_the_subtotal_before_discounts() -> None:
    lines = [LineTerms(1, 9_999, None)]
    assert quote(lines, [_coupon(DiscountKind.AMOUNT, 2_000, min_spend=10_000)]).total == 9_999
    lines = [LineTerms(1, 10_000, None)]
    assert quote(lines, [_coupon(DiscountKind.AMOUNT, 2_000, min_spend=10_000)]).total == 8_000


@pytest.mark.parametrize(
    ("funding", "share"),
    [
        (Funding.STORE, 6_000),  # 60% of the price before the discount: 60% of 100.00
        (Funding.CONSIGNOR, 4_800),  # 60% of the price after it: 60% of 80.00
        (Funding.SHARED, 5_400),  # 60% of the price after half of it: 60% of 90.00
    ],
)
def test_consignor_share_follows_the_funding_rule(funding: Funding, share: int) -> None:
    coupon = _coupon(DiscountKind.AMOUNT, 2_000, funding=funding)
    result = quote([LineTerms(1, 10_000, 6_000)], [coupon])
    assert result.lines[0].net == 8_000
    assert result.lines[0].consignor_share == share


def test_consignor_share_per_line_with_a_shared_percent_coupon() -> None:
    # 10% off, shared: line 1 is 333.33 -> discount 33.33, half is 16.665; 55% of 316.665
    # = 174.16575 -> 174.17. Line 2 is store stock: no consignor share at all.
    lines = [LineTerms(1, 33_333, 5_500), LineTerms(3, 1_000, None)]
    result = quote(lines, [_coupon(DiscountKind.PERCENT, 1_000, funding=Funding.SHARED)])
    assert [line.discount for line in result.lines] == [3_333, 300]
    assert [line.consignor_share for line in result.lines] == [17_417, 0]


def test_basis_points_round_half_up() -> None:
    assert apply_basis_points(1_005, 1_000) == 101  # 100.5 -> 101
    assert apply_basis_points(1_004, 1_000) == 100
    assert apply_basis_points(12_345, 6_000) == 7_407


@pytest.mark.parametrize(
    ("text", "minor"), [("12.50", 1250), ("¥12", 1200), ("12,5", 1250), (" 0.01 ", 1)]
)
def test_parse_amount_reads_what_a_cashier_types(text: str, minor: int) -> None:
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "-1", "1.001", "nan", "1e400x"])
def test_parse_amount_refuses_what_is_not_money(text: str) -> None:
    with pytest.raises(MoneyFormatError):
        parse_amount(text)
