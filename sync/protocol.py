"""The messages between terminals, online stores and the hub (JSON over HTTP).

One set of models for both ends: the hub validates requests with them and documents them in its
OpenAPI schema; the terminal's client builds requests and reads answers with them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, PlainSerializer

API = "/v1"
MAX_PUSH = 1_000  # events per push
MAX_PULL = 5_000  # changes per pull
MAX_SNAPSHOT = 20_000  # rows per snapshot page

UUID_PATTERN = r"^[0-9a-fA-F-]{36}$"
ORIGIN_PATTERN = r"^([0-9a-fA-F-]{36}|hub)$"
MAX_INT = 2**63 - 1  # a database BIGINT


def _to_naive_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    except OverflowError:  # 9999-12-31T23:59:59-05:00 has no UTC date
        raise ValueError("a time that cannot be expressed in UTC") from None


def _as_utc_text(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


# Times travel as RFC 3339 with their offset (UTC); inside, like the database, naive UTC. A time
# without an offset is taken as UTC.
UtcTime = Annotated[
    datetime,
    AfterValidator(_to_naive_utc),
    PlainSerializer(_as_utc_text, return_type=str, when_used="json"),
]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]  # sequence numbers, cursors, amounts
Code = Field(min_length=1, max_length=64)


class WireEvent(BaseModel):
    """One recorded state change, as it left its terminal's outbox."""

    id: str = Field(pattern=UUID_PATTERN)
    origin: str = Field(pattern=ORIGIN_PATTERN)  # the terminal's uuid, or "hub"
    seq: Count
    type: str = Field(pattern=r"^[a-z][a-z_.]{0,63}$")  # e.g. coupon.redeemed
    payload: dict[str, Any]
    created_at: UtcTime


class PushRequest(BaseModel):
    events: list[WireEvent] = Field(max_length=MAX_PUSH)
    # The pull cursor the terminal had applied when it read this, the last batch of its outbox
    # (read together): sent only with a batch that empties the outbox.
    cursor: Count | None = None


class ConflictOut(BaseModel):
    id: str
    kind: str
    subject: str
    detail: dict[str, Any]
    found_at: UtcTime


class PushResult(BaseModel):
    applied: int  # events applied now
    duplicates: int  # events the hub had already applied
    acked: dict[str, int]  # origin -> highest sequence number applied: the terminal may mark these
    conflicts: list[ConflictOut]


class Change(BaseModel):
    cursor: int
    event: WireEvent


class Changes(BaseModel):
    changes: list[Change]
    next_cursor: int
    more: bool


SnapshotTable = Literal[
    "stores", "users", "consignors", "customers", "campaigns", "coupons", "items", "uses"
]


class SnapshotPage(BaseModel):
    """Rows of one table after ``after`` (by the hub's row id), and the log position the terminal
    pulls changes from once it has every page of every table."""

    table: SnapshotTable
    rows: list[dict[str, Any]]
    next_after: int
    more: bool
    cursor: int


class CouponCheck(BaseModel):
    channel: Literal["shop", "online"] = "online"
    customer_card: str | None = Field(default=None, max_length=40)
    subtotal: Count | None = None


class CouponVerdict(BaseModel):
    code: str
    usable: bool
    reason: str | None  # a RefusalReason value when not usable
    message: str | None  # why, in the words of the hub's language
    uses: int
    max_uses: int
    kind: str | None = None
    value: int | None = None
    min_spend: int | None = None


class CouponReserve(BaseModel):
    hold_id: str = Field(pattern=UUID_PATTERN)  # becomes the redemption id when the sale commits
    channel: Literal["shop", "online"] = "shop"
    customer_card: str | None = Field(default=None, max_length=40)
    seconds: int = Field(default=600, ge=10, le=3600)


class CouponRedeem(BaseModel):
    """The online channel uses a coupon (terminals send coupon.redeemed events instead)."""

    redemption_id: str = Field(pattern=UUID_PATTERN)
    amount: Count
    order_ref: str = Field(min_length=1, max_length=64)
    customer_card: str | None = Field(default=None, max_length=40)


class CouponLeaseRequest(BaseModel):
    uses: int = Field(ge=1, le=1_000)
    seconds: int = Field(default=7 * 24 * 3600, ge=60, le=90 * 24 * 3600)


class HoldOut(BaseModel):
    id: str
    code: str
    kind: str
    uses: int
    expires_at: UtcTime


class ItemReserve(BaseModel):
    reservation_id: str = Field(pattern=UUID_PATTERN)
    seconds: int = Field(default=900, ge=10, le=24 * 3600)


class ItemReservationOut(BaseModel):
    id: str
    barcode: str
    expires_at: UtcTime


class OnlineSale(BaseModel):
    order_ref: str = Field(pattern=UUID_PATTERN)
    customer_email: str | None = Field(default=None, max_length=200)


class OnlineSaleOut(BaseModel):
    order_ref: str
    barcode: str
    sold_at: UtcTime


class OnlineItem(BaseModel):
    barcode: str
    name: str
    price: int
    kind: str
    status: str
    category: str | None


class OnlineItems(BaseModel):
    items: list[OnlineItem]
    next_after: int
    more: bool


class Refused(BaseModel):
    """A 409 answer: the request was understood and refused; nothing changed."""

    reason: str
    message: str


class HubStatus(BaseModel):
    client: str
    kind: str
    cursor: int
    origins: dict[str, int]
    conflicts: int


class StaffMember(BaseModel):
    name: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]+$")
    role: Literal["cashier", "manager"]
    pin_hash: str = Field(min_length=1, max_length=200, pattern=r"^[!-~]+$")  # argon2, ASCII
    active: bool = True


class Staff(BaseModel):
    """A shop's staff, sent by its tills on each sync (not through the event log: PIN hashes are
    kept out of events, which are stored forever and copied everywhere); a new till's snapshot
    brings them."""

    staff: list[StaffMember] = Field(max_length=1_000)
