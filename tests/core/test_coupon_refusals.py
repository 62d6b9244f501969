"""Every coupon refusal at the scan: the reason, and a message that says it in plain words.
A refused coupon never blocks the next scan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from posapp import codes
from posapp.db import Database
from posapp.i18n import day, moment, money
from posapp.models import CampaignState, Channel, PaymentMethod
from posapp.services.campaigns import set_campaign_state, void_coupon
from posapp.services.cart import Cart, CouponScanned, ItemScanned, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.coupon_rules import RefusalReason
from posapp.services.demo import DemoSummary
from tests.core.helpers import available_barcodes, campaign, coupon, one, scan_all, sell

TODAY = date.today()


def refusal_of(db: Database, cart: Cart, *scans: str) -> ScanRefused:
    outcome = scan_all(db, cart, *scans)
    assert isinstance(outcome, ScanRefused), outcome
    return outcome


@pytest.fixture
def cart(cashier: Actor, demo_db: Database, demo_summary: DemoSummary) -> Cart:
    """A cart holding one demo item (over ¥100, so a ¥100 minimum spend is met)."""
    new = Cart(cashier.currency)
    assert isinstance(scan_all(demo_db, new, demo_summary.sample_item), ItemScanned)
    assert new.subtotal >= 10_000
    return new


def test_unknown_coupon(demo_db: Database, cart: Cart) -> None:
    code = codes.new_code()
    refused = refusal_of(demo_db, cart, code)
    assert refused.refusal.reason is RefusalReason.UNKNOWN_COUPON
    assert refused.refusal.message == f"Unknown coupon {codes.grouped(code)}."


def test_expired_coupon_says_the_date(demo_db: Database, manager: Actor, cart: Cart) -> None:
    name = campaign(demo_db, manager, "Two weeks", valid_days=14)
    code = coupon(demo_db, manager, name, issued_on=TODAY - timedelta(days=20))
    refused = refusal_of(demo_db, cart, code)
    assert refused.refusal.reason is RefusalReason.EXPIRED
    expired_on = TODAY - timedelta(days=6)
    assert refused.refusal.message == f"This coupon expired on {day(expired_on)}."
    assert day(expired_on) in refused.refusal.message


def test_coupon_valid_on_its_last_day(demo_db: Database, manager: Actor, cart: Cart) -> None:
    name = campaign(demo_db, manager, "Last day", valid_days=14)
    code = coupon(demo_db, manager, name, issued_on=TODAY - timedelta(days=14))
    assert isinstance(scan_all(demo_db, cart, code), CouponScanned)


def test_not_yet_valid_coupon_says_from_when(demo_db: Database, manager: Actor, cart: Cart) -> None:
    starts = TODAY + timedelta(days=5)
    name = campaign(demo_db, manager, "Next week", valid_from=starts, valid_days=None)
    refused = refusal_of(demo_db, cart, coupon(demo_db, manager, name))
    assert refused.refusal.reason is RefusalReason.NOT_YET_VALID
    assert refused.refusal.message == f"This coupon is valid from {day(starts)}."


def test_used_coupon_says_when_and_at_which_till(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor, cart: Cart
) -> None:
    code = coupon(demo_db, manager, campaign(demo_db, manager, "Once"))
    first, second = available_barcodes(demo_path, 3)[1:3]
    sell(demo_db, cashier, first, code)
    (redeemed_at,) = one(demo_path, "SELECT redeemed_at FROM coupon_redemptions")
    refused = refusal_of(demo_db, cart, code)
    assert refused.refusal.reason is RefusalReason.USED
    when = moment(datetime.fromisoformat(str(redeemed_at)))
    assert refused.refusal.message == f"Already used on {when} at till T1."
    assert isinstance(scan_all(demo_db, cart, second), ItemScanned)


def test_voided_coupon(demo_db: Database, manager: Actor, cart: Cart) -> None:
    code = coupon(demo_db, manager, campaign(demo_db, manager, "Voided"))
    void_coupon(demo_db, manager, code)
    refused = refusal_of(demo_db, cart, code)
    assert refused.refusal.reason is RefusalReason.VOIDED
    assert refused.refusal.message == "This coupon was voided."


def test_below_minimum_spend_says_both_amounts(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    name = campaign(demo_db, manager, "Spend 1000", min_spend=100_000)
    cheap = Cart(cashier.currency)
    (bag,) = available_barcodes(demo_path, 1, kind="stock")
    refused = refusal_of(demo_db, cheap, bag, coupon(demo_db, manager, name))
    assert refused.refusal.reason is RefusalReason.BELOW_MIN_SPEND
    minimum, subtotal = money(100_000, "CNY"), money(100, "CNY")
    assert minimum.endswith("1,000.00") and subtotal.endswith("1.00")
    assert (
        refused.refusal.message == f"Needs a spend of {minimum} or more; this sale is {subtotal}."
    )
    assert cheap.coupons == []


def test_online_only_coupon_in_the_shop(demo_db: Database, manager: Actor, cart: Cart) -> None:
    name = campaign(demo_db, manager, "Web only", channel=Channel.ONLINE)
    refused = refusal_of(demo_db, cart, coupon(demo_db, manager, name))
    assert refused.refusal.reason is RefusalReason.WRONG_CHANNEL
    assert refused.refusal.message == "This coupon is for the online store only."


def test_over_the_customer_limit(
    demo_db: Database,
    demo_path: Path,
    manager: Actor,
    cashier: Actor,
    demo_summary: DemoSummary,
) -> None:
    name = campaign(demo_db, manager, "One each", max_uses_per_customer=1)
    first, second = coupon(demo_db, manager, name), coupon(demo_db, manager, name)
    item_a, item_b = available_barcodes(demo_path, 3)[1:3]
    sell(demo_db, cashier, demo_summary.sample_card, item_a, first)
    later = Cart(cashier.currency)
    refused = refusal_of(demo_db, later, demo_summary.sample_card, item_b, second)
    assert refused.refusal.reason is RefusalReason.CUSTOMER_LIMIT
    assert refused.refusal.message == (
        "This customer has reached the limit of 1 coupon(s) of 'One each'."
    )


def test_customer_limit_counts_coupons_already_in_the_sale(
    demo_db: Database,
    demo_path: Path,
    manager: Actor,
    cashier: Actor,
    demo_summary: DemoSummary,
) -> None:
    name = campaign(demo_db, manager, "One each", max_uses_per_customer=1)
    first, second = coupon(demo_db, manager, name), coupon(demo_db, manager, name)
    (item,) = available_barcodes(demo_path, 1)
    cart = Cart(cashier.currency)
    refused = refusal_of(demo_db, cart, demo_summary.sample_card, item, first, second)
    assert refused.refusal.reason is RefusalReason.CUSTOMER_LIMIT
    assert [c.code for c in cart.coupons] == [first]


@pytest.mark.parametrize(
    ("state", "reason", "message"),
    [
        (CampaignState.PAUSED, RefusalReason.CAMPAIGN_PAUSED, "The campaign 'Held' is paused."),
        (CampaignState.ENDED, RefusalReason.CAMPAIGN_ENDED, "The campaign 'Held' has ended."),
    ],
)
def test_paused_and_ended_campaigns(
    demo_db: Database,
    manager: Actor,
    cart: Cart,
    state: CampaignState,
    reason: RefusalReason,
    message: str,
) -> None:
    name = campaign(demo_db, manager, "Held")
    code = coupon(demo_db, manager, name)
    set_campaign_state(demo_db, manager, name, state)
    refused = refusal_of(demo_db, cart, code)
    assert refused.refusal.reason is reason
    assert refused.refusal.message == message


def test_coupon_already_in_the_sale(
    demo_db: Database, cart: Cart, demo_summary: DemoSummary
) -> None:
    assert isinstance(scan_all(demo_db, cart, demo_summary.sample_coupon), CouponScanned)
    refused = refusal_of(demo_db, cart, codes.grouped(demo_summary.sample_coupon).lower())
    assert refused.refusal.reason is RefusalReason.ALREADY_IN_SALE
    assert refused.refusal.message == "This coupon is already in this sale."
    assert len(cart.coupons) == 1


def test_a_refused_coupon_leaves_the_cart_ready_for_the_next_scan(
    demo_db: Database,
    demo_path: Path,
    manager: Actor,
    cashier: Actor,
    cart: Cart,
    demo_summary: DemoSummary,
) -> None:
    code = coupon(demo_db, manager, campaign(demo_db, manager, "Gone"))
    void_coupon(demo_db, manager, code)
    before = (list(cart.lines), list(cart.coupons), cart.quote())
    refusal_of(demo_db, cart, code)
    assert (cart.lines, cart.coupons, cart.quote()) == before
    (another,) = available_barcodes(demo_path, 2)[1:2]
    assert isinstance(scan_all(demo_db, cart, another), ItemScanned)
    assert isinstance(scan_all(demo_db, cart, demo_summary.sample_coupon), CouponScanned)
    receipt = commit_sale(demo_db, cashier, cart, [Tender(PaymentMethod.CARD)])
    assert len(receipt.lines) == 2 and receipt.discount_total == 2_000


def test_every_refusal_message_is_plain_words(demo_db: Database) -> None:
    """Scans of rubbish are refused with a sentence, never a traceback or an empty text."""
    for raw in ("", "   ", "hello", "]C0", "12345", "\x1b[A", codes.new_code()[:-1]):
        outcome = resolve_scan(demo_db, raw)
        assert isinstance(outcome, ScanRefused)
        assert outcome.refusal.message.strip()
        assert "Traceback" not in outcome.refusal.message


def test_coupon_never_handed_out(demo_db: Database, manager: Actor, cart: Cart) -> None:
    name = campaign(demo_db, manager, "Still in the drawer", valid_days=14)
    refused = refusal_of(demo_db, cart, coupon(demo_db, manager, name, issue=False))
    assert refused.refusal.reason is RefusalReason.NOT_HANDED_OUT
    assert refused.refusal.message == (
        "This coupon was never handed out: it has not been printed or issued, "
        "so it cannot be used yet."
    )
