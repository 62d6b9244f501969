"""SQLAlchemy 2.0 typed models. Import from here; the submodules are an implementation detail."""

from posapp.models.base import Base, new_uuid, utcnow
from posapp.models.coupons import (
    Campaign,
    CampaignState,
    Channel,
    Coupon,
    CouponRedemption,
    CouponReversal,
    CouponState,
    DiscountKind,
    Funding,
)
from posapp.models.items import (
    Consignor,
    Item,
    ItemKind,
    ItemStatus,
    MovementReason,
    StockMovement,
)
from posapp.models.outbox import OutboxEvent
from posapp.models.sales import (
    ConsignorLedgerEntry,
    LedgerKind,
    Payment,
    PaymentMethod,
    Refund,
    Sale,
    SaleCoupon,
    SaleLine,
    SaleStatus,
)
from posapp.models.store import Customer, Role, Store, Terminal, User

__all__ = [
    "Base",
    "Campaign",
    "CampaignState",
    "Channel",
    "Consignor",
    "ConsignorLedgerEntry",
    "Coupon",
    "CouponRedemption",
    "CouponReversal",
    "CouponState",
    "Customer",
    "DiscountKind",
    "Funding",
    "Item",
    "ItemKind",
    "ItemStatus",
    "LedgerKind",
    "MovementReason",
    "OutboxEvent",
    "Payment",
    "PaymentMethod",
    "Refund",
    "Role",
    "Sale",
    "SaleCoupon",
    "SaleLine",
    "SaleStatus",
    "StockMovement",
    "Store",
    "Terminal",
    "User",
    "new_uuid",
    "utcnow",
]
