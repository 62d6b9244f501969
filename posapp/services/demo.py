"""The demo shop: consignors, ~200 items, customers, staff and two campaigns with coupons."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import ean

from posapp import codes
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Campaign,
    CampaignState,
    Channel,
    Consignor,
    Coupon,
    CouponState,
    Customer,
    DiscountKind,
    Funding,
    ItemKind,
    Role,
    Store,
    Terminal,
    User,
    utcnow,
)
from posapp.services.campaigns import NewCampaign, _validate
from posapp.services.catalog import NewItem, add_item_in
from posapp.services.context import Actor, hash_pin
from posapp.services.coupon_rules import expiry_on_issue
from posapp.services.errors import Conflict
from posapp.services.events import record_event

STAFF = (
    ("Manager", Role.MANAGER, "1234"),
    ("Cashier", Role.CASHIER, "0000"),
    ("王芳", Role.CASHIER, "1111"),
)
CONSIGNORS = (
    ("Alice Chen", 6000),
    ("Bob Li", 5000),
    ("陈静", 6000),
    ("Dana Wu", 7000),
    ("刘洋", 6000),
    ("Emma Zhou", 5500),
    ("Frank Sun", 6000),
    ("赵敏", 6500),
)
GOODS = (
    ("Wool coat", 18000, 60000),
    ("Leather handbag", 25000, 120000),
    ("Silk scarf", 4000, 15000),
    ("Denim jacket", 9000, 30000),
    ("Cashmere sweater", 15000, 45000),
    ("Ankle boots", 12000, 40000),
    ("Summer dress", 6000, 20000),
    ("Vintage watch", 30000, 150000),
    ("羊毛大衣", 20000, 70000),
    ("真丝旗袍", 30000, 90000),
    ("Linen shirt", 5000, 16000),
    ("Evening clutch", 8000, 35000),
    ("Trench coat", 20000, 65000),
    ("Sunglasses", 3000, 18000),
    ("皮质钱包", 5000, 20000),
)
STOCK_GOODS = (("Shopping bag", 100, 500), ("Garment bag", 1500, 40), ("Hanger set", 2500, 25))
CUSTOMERS = (
    ("Grace Lin", "1990-04-12"),
    ("王伟", "1985-11-02"),
    ("Helen Ma", None),
    ("李娜", "1992-07-30"),
    ("Ivan Guo", None),
    ("张敏", "1979-01-15"),
    ("Judy Xu", "2000-09-09"),
    ("Kevin He", None),
    ("孙丽", "1988-03-03"),
    ("Leo Yang", None),
)
DEMO_COUPONS_PER_CAMPAIGN = 20


@dataclass(frozen=True)
class DemoSummary:
    items: int
    consignors: int
    customers: int
    campaigns: int
    coupons: int
    sample_item: str
    sample_coupon: str
    sample_card: str


def in_store_ean(number: int, prefix: str = "2") -> str:
    """An EAN-13 in the in-store range (prefix 2x), check digit included."""
    body = f"{prefix}{number:0{12 - len(prefix)}d}"
    return body + str(ean.calc_check_digit(body))


def _staff_and_store(session: Session) -> tuple[Actor, str]:
    store = Store(name="Second Chance 寄卖店", currency="CNY", locale="en_US")
    session.add(store)
    session.flush()
    terminal = Terminal(name="T1", store_id=store.id)
    session.add(terminal)
    users = [User(name=n, role=r, pin_hash=hash_pin(p)) for n, r, p in STAFF]
    session.add_all(users)
    session.flush()
    actor = Actor(
        terminal.id,
        terminal.name,
        users[0].id,
        users[0].name,
        users[0].role,
        store.name,
        store.currency,
    )
    return actor, store.currency


def _consignors_and_items(session: Session, actor: Actor, rng: random.Random) -> list[str]:
    numbers = []
    for index, (name, split) in enumerate(CONSIGNORS, start=1):
        number = f"{100000 + index:06d}"
        session.add(
            Consignor(number=number, name=name, phone=f"138{index:08d}", default_split_bp=split)
        )
        numbers.append(number)
    session.flush()
    barcodes = []
    for index in range(1, 201):
        label, low, high = rng.choice(GOODS)
        price = rng.randrange(low, high, 500)
        barcode = in_store_ean(index)
        add_item_in(
            session,
            actor,
            NewItem(
                barcode=barcode,
                name=f"{label} #{index}",
                price=price,
                kind=ItemKind.CONSIGNED,
                consignor_number=rng.choice(numbers),
                category=label.split()[-1].lower(),
                intake_date=date.today() - timedelta(days=rng.randrange(0, 90)),
            ),
        )
        barcodes.append(barcode)
    for offset, (label, price, quantity) in enumerate(STOCK_GOODS, start=900):
        add_item_in(
            session,
            actor,
            NewItem(
                barcode=in_store_ean(offset),
                name=label,
                price=price,
                kind=ItemKind.STOCK,
                quantity=quantity,
                category="supplies",
            ),
        )
    return barcodes


def _customers(session: Session) -> list[Customer]:
    customers = [
        Customer(
            name=name,
            phone=f"139{i:08d}",
            card_code=in_store_ean(i, prefix="29"),
            birthday=date.fromisoformat(born) if born else None,
        )
        for i, (name, born) in enumerate(CUSTOMERS, start=1)
    ]
    session.add_all(customers)
    session.flush()
    return customers


def _campaign_with_coupons(
    session: Session,
    actor: Actor,
    new: NewCampaign,
    customers: list[Customer],
) -> list[str]:
    _validate(new)
    campaign = Campaign(
        name=new.name,
        description=new.description,
        kind=new.kind,
        value=new.value,
        min_spend=new.min_spend,
        valid_days=new.valid_days,
        max_uses=new.max_uses,
        channel=new.channel,
        funding=new.funding,
        state=CampaignState.ACTIVE,
    )
    session.add(campaign)
    session.flush()
    issued = []
    for index in range(DEMO_COUPONS_PER_CAMPAIGN):
        code = codes.new_code()
        coupon = Coupon(code=code, campaign_id=campaign.id, state=CouponState.GENERATED)
        if index < DEMO_COUPONS_PER_CAMPAIGN // 2:
            coupon.state = CouponState.ISSUED
            coupon.issued_at = utcnow()
            coupon.expires_on = expiry_on_issue(campaign, date.today())
            if index % 2 and customers:
                coupon.customer_id = customers[index % len(customers)].id
            else:
                issued.append(code)
        session.add(coupon)
    session.flush()
    record_event(
        session, actor.terminal_id, "campaign.created", campaign_id=campaign.id, name=campaign.name
    )
    return issued


def seed_demo(db: Database, if_empty: bool = False) -> DemoSummary | None:
    """Fill an empty database with the demo shop. Refuses a database that already has a shop."""
    rng = random.Random(20261125)
    with db.unit_of_work() as session:
        if session.scalar(select(Store.id).limit(1)) is not None:
            if if_empty:
                return None
            raise Conflict(tr("This database already has a shop; the demo needs an empty one."))
        actor, _currency = _staff_and_store(session)
        barcodes = _consignors_and_items(session, actor, rng)
        customers = _customers(session)
        welcome = _campaign_with_coupons(
            session,
            actor,
            NewCampaign(
                name="Welcome ¥20",
                kind=DiscountKind.AMOUNT,
                value=2000,
                min_spend=10000,
                description="¥20 off a spend of ¥100 or more",
                funding=Funding.STORE,
                channel=Channel.BOTH,
            ),
            customers,
        )
        _campaign_with_coupons(
            session,
            actor,
            NewCampaign(
                name="春季九折 Spring 10%",
                kind=DiscountKind.PERCENT,
                value=1000,
                description="10% off everything",
                funding=Funding.SHARED,
                channel=Channel.BOTH,
            ),
            customers,
        )
        return DemoSummary(
            items=len(barcodes) + len(STOCK_GOODS),
            consignors=len(CONSIGNORS),
            customers=len(customers),
            campaigns=2,
            coupons=2 * DEMO_COUPONS_PER_CAMPAIGN,
            sample_item=barcodes[0],
            sample_coupon=welcome[0],
            sample_card=customers[0].card_code or "",
        )
