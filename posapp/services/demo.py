"""The demo shop: consignors, ~200 items, customers, staff and two campaigns with coupons.

Like every other state change, seeding writes its events in the same transaction: the store and
its till, each user (never the PIN), consignor, customer, item and campaign, the coupons generated
(``coupons.generated``, codes in chunks as :func:`generate_coupons` writes them) and one
``coupon.issued`` per coupon handed out. The many events go in with one sequence bump and one
multi-row insert (:func:`record_events`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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
from posapp.services import clock
from posapp.services.campaigns import NewCampaign, _validate, campaign_payload
from posapp.services.catalog import NewItem, add_item_in
from posapp.services.context import Actor, hash_pin
from posapp.services.coupon_rules import expiry_on_issue
from posapp.services.errors import Conflict
from posapp.services.events import record_events

Event = tuple[str, dict[str, Any]]
EVENT_CHUNK = 1_000  # codes per coupons.generated event, as generate_coupons writes them

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
    record_events(
        session,
        terminal.id,
        [
            (
                "store.created",
                {"name": store.name, "currency": store.currency, "locale": store.locale},
            ),
            ("terminal.added", {"uuid": terminal.uuid, "name": terminal.name}),
            *[("user.added", {"name": u.name, "role": u.role.value}) for u in users],
        ],
    )
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
    record_events(
        session,
        actor.terminal_id,
        [
            ("consignor.added", {"number": number, "name": name})
            for number, (name, _split) in zip(numbers, CONSIGNORS, strict=True)
        ],
    )
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
                intake_date=clock.today() - timedelta(days=rng.randrange(0, 90)),
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


def _customers(session: Session, actor: Actor) -> list[Customer]:
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
    record_events(
        session,
        actor.terminal_id,
        [("customer.added", {"name": c.name, "card": c.card_code}) for c in customers],
    )
    return customers


def _campaign_with_coupons(
    session: Session,
    actor: Actor,
    new: NewCampaign,
    customers: list[Customer],
) -> list[str]:
    """The campaign and its coupons, half of them issued (every other one to a customer); returns
    the codes issued over the counter."""
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
    fresh: set[str] = set()
    while len(fresh) < DEMO_COUPONS_PER_CAMPAIGN:
        fresh.add(codes.new_code())
    made = sorted(fresh)
    coupons = [
        Coupon(code=code, campaign_id=campaign.id, state=CouponState.GENERATED) for code in made
    ]
    issued = [_issue(coupon, campaign, customers, index) for index, coupon in enumerate(coupons)]
    session.add_all(coupons)
    session.flush()
    record_events(
        session,
        actor.terminal_id,
        [
            _campaign_event(campaign),
            *_generated_events(campaign, made),
            *[_issued_event(coupon, customers) for coupon in coupons if coupon.issued_at],
        ],
    )
    return [code for code in issued if code]


def _issue(coupon: Coupon, campaign: Campaign, customers: list[Customer], index: int) -> str | None:
    """Issue the first half of the demo coupons; returns the code when issued over the counter."""
    if index >= DEMO_COUPONS_PER_CAMPAIGN // 2:
        return None
    coupon.state = CouponState.ISSUED
    coupon.issued_at = utcnow()
    coupon.expires_on = expiry_on_issue(campaign, clock.today())
    if index % 2 and customers:
        coupon.customer_id = customers[index % len(customers)].id
        return None
    return coupon.code


def _campaign_event(campaign: Campaign) -> Event:
    return ("campaign.created", campaign_payload(campaign, None))


def _generated_events(campaign: Campaign, made: list[str]) -> list[Event]:
    return [
        (
            "coupons.generated",
            {
                "campaign_id": campaign.id,
                "campaign": campaign.name,
                "codes": made[i : i + EVENT_CHUNK],
            },
        )
        for i in range(0, len(made), EVENT_CHUNK)
    ]


def _issued_event(coupon: Coupon, customers: list[Customer]) -> Event:
    card = next((c.card_code for c in customers if c.id == coupon.customer_id), None)
    return (
        "coupon.issued",
        {"code": coupon.code, "customer_card": card, "expires_on": str(coupon.expires_on or "")},
    )


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
        customers = _customers(session, actor)
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
