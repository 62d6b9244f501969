"""Words and numbers as people read them: states, channels, splits, campaign terms.

Both faces use these (the back-office screens and the command line's tables), so an item's state
reads the same everywhere and in every language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal

from posapp.i18n import current_locale, day, money, tr
from posapp.models import (
    CampaignState,
    Channel,
    CountState,
    CouponState,
    DiscountKind,
    Funding,
    ItemKind,
    ItemStatus,
    MovementReason,
    SaleStatus,
)

if TYPE_CHECKING:  # labels is below the services: they use it for their messages
    from posapp.services.campaigns import CampaignRow


def percent(basis_points: int) -> str:
    """6000 -> '60%', 1250 -> '12.5%'."""
    number = format_decimal(Decimal(basis_points) / 100, format="#,##0.##", locale=current_locale())
    return tr("{number}%", number=number)


def number(value: int) -> str:
    """100203 -> '100,203' in the shop's locale."""
    return str(format_decimal(value, locale=current_locale()))


def optional_day(value: date | None) -> str:
    return day(value) if value else ""


def item_kind(kind: ItemKind) -> str:
    return {ItemKind.CONSIGNED: tr("consigned"), ItemKind.STOCK: tr("stock")}[kind]


def item_status(status: ItemStatus) -> str:
    return {
        ItemStatus.AVAILABLE: tr("available"),
        ItemStatus.RESERVED: tr("reserved"),
        ItemStatus.SOLD: tr("sold"),
        ItemStatus.RETURNED: tr("returned"),
        ItemStatus.DONATED: tr("donated"),
        ItemStatus.MISSING: tr("missing"),
    }[status]


def coupon_state(state: CouponState) -> str:
    return {
        CouponState.GENERATED: tr("generated"),
        CouponState.PRINTED: tr("printed"),
        CouponState.ISSUED: tr("issued"),
        CouponState.REDEEMED: tr("redeemed"),
        CouponState.VOIDED: tr("voided"),
        CouponState.EXPIRED: tr("expired"),
    }[state]


def campaign_state(state: CampaignState) -> str:
    return {
        CampaignState.ACTIVE: tr("active"),
        CampaignState.PAUSED: tr("paused"),
        CampaignState.ENDED: tr("ended"),
    }[state]


def channel(value: Channel) -> str:
    return {
        Channel.SHOP: tr("shop"),
        Channel.ONLINE: tr("online"),
        Channel.BOTH: tr("shop and online"),
    }[value]


def funding(value: Funding) -> str:
    return {
        Funding.STORE: tr("store"),
        Funding.CONSIGNOR: tr("consignor"),
        Funding.SHARED: tr("shared"),
    }[value]


def sale_status(status: SaleStatus) -> str:
    return {SaleStatus.COMPLETED: tr("completed"), SaleStatus.REFUNDED: tr("refunded")}[status]


def movement_reason(reason: MovementReason) -> str:
    return {
        MovementReason.INTAKE: tr("intake"),
        MovementReason.SALE: tr("sale"),
        MovementReason.REFUND: tr("refund"),
        MovementReason.ADJUSTMENT: tr("adjustment"),
        MovementReason.COUNT_CORRECTION: tr("count correction"),
        MovementReason.RETURN_TO_CONSIGNOR: tr("return to consignor"),
        MovementReason.DONATION: tr("donation"),
        MovementReason.TRANSFER: tr("transfer"),
        MovementReason.LOSS: tr("loss"),
        MovementReason.HOLD: tr("hold"),
        MovementReason.RELEASE: tr("hold released"),
    }[reason]


def count_state(state: CountState) -> str:
    return {
        CountState.OPEN: tr("open"),
        CountState.COMMITTED: tr("committed"),
        CountState.CANCELLED: tr("cancelled"),
    }[state]


def state_word(value: Enum) -> str:
    """The translated word for a stored state: item status, coupon state, channel..."""
    words: dict[type[Enum], Callable[[Any], str]] = {
        ItemKind: item_kind,
        ItemStatus: item_status,
        CouponState: coupon_state,
        CampaignState: campaign_state,
        Channel: channel,
        Funding: funding,
        SaleStatus: sale_status,
        MovementReason: movement_reason,
        CountState: count_state,
    }
    word = words.get(type(value))
    return word(value) if word else str(value.value)


def campaign_value(row: CampaignRow, currency: str) -> str:
    if row.kind is DiscountKind.PERCENT:
        return tr("{percent} off", percent=percent(row.value))
    return tr("{amount} off", amount=money(row.value, currency))


def campaign_validity(row: CampaignRow) -> str:
    days = tr("{days} days from printing or issue", days=row.valid_days) if row.valid_days else ""
    if row.valid_from and row.valid_until:
        dates = tr("{start} to {end}", start=day(row.valid_from), end=day(row.valid_until))
    elif row.valid_until:
        dates = tr("until {end}", end=day(row.valid_until))
    elif row.valid_from:
        dates = tr("from {start}", start=day(row.valid_from))
    else:
        dates = ""
    if days and dates:
        return tr("{days}, {dates}", days=days, dates=dates)
    return days or dates or tr("no end")


def campaign_uses(row: CampaignRow) -> str:
    uses = tr("once") if row.max_uses == 1 else tr("{n} times", n=row.max_uses)
    if row.max_uses_per_customer:
        return tr("{uses}; {n} per customer", uses=uses, n=row.max_uses_per_customer)
    return uses
