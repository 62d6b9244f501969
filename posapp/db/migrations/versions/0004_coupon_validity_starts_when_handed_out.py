"""a coupon's validity days start when it is handed out (first printed or issued): give the coupons
that were handed out without a last day one

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00.000000

No schema change: ``coupons.expires_on`` already holds the last day. Before this revision only
issuing set it, so a coupon of an "N days" campaign that was printed (or redeemed) without being
issued had none and never expired. Each such coupon now gets one, counted as the app counts it
(N days from the start, from the campaign's first day if later, never past its last day) from:
the day it was issued if it was, else the day it was first redeemed (it was in a customer's hands
by then), else the day of this upgrade (the sheets printed so far showed no date, so its holders
get the full N days). Generated coupons keep none: their days start when they are handed out.

Downgrade changes nothing: the dates are valid data for the older schema too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

HANDED_OUT = ("printed", "issued", "redeemed")

_campaigns = sa.table(
    "campaigns",
    sa.column("id", sa.Integer),
    sa.column("valid_from", sa.Date),
    sa.column("valid_until", sa.Date),
    sa.column("valid_days", sa.Integer),
)
_coupons = sa.table(
    "coupons",
    sa.column("id", sa.Integer),
    sa.column("campaign_id", sa.Integer),
    sa.column("state", sa.String),
    sa.column("issued_at", sa.DateTime),
    sa.column("expires_on", sa.Date),
)
_redemptions = sa.table(
    "coupon_redemptions",
    sa.column("coupon_id", sa.Integer),
    sa.column("redeemed_at", sa.DateTime),
)


def _last_day(
    start: date, valid_from: date | None, valid_until: date | None, valid_days: int
) -> date:
    begins = start if valid_from is None else max(start, valid_from)
    last = begins + timedelta(days=valid_days)
    return last if valid_until is None else min(last, valid_until)


def _day(moment: datetime | date | None) -> date | None:
    return moment.date() if isinstance(moment, datetime) else moment


def upgrade() -> None:
    bind = op.get_bind()
    first_use = (
        sa.select(_redemptions.c.coupon_id, sa.func.min(_redemptions.c.redeemed_at).label("first"))
        .group_by(_redemptions.c.coupon_id)
        .subquery()
    )
    rows = bind.execute(
        sa.select(
            _coupons.c.id,
            _coupons.c.issued_at,
            first_use.c.first,
            _campaigns.c.valid_from,
            _campaigns.c.valid_until,
            _campaigns.c.valid_days,
        )
        .join(_campaigns, _campaigns.c.id == _coupons.c.campaign_id)
        .outerjoin(first_use, first_use.c.coupon_id == _coupons.c.id)
        .where(
            _coupons.c.expires_on.is_(None),
            _coupons.c.state.in_(HANDED_OUT),
            _campaigns.c.valid_days.is_not(None),
            _campaigns.c.valid_days > 0,
        )
    ).all()
    today = date.today()
    updates = [
        {
            "coupon_key": row.id,
            "last_day": _last_day(
                _day(row.issued_at) or _day(row.first) or today,
                row.valid_from,
                row.valid_until,
                row.valid_days,
            ),
        }
        for row in rows
    ]
    if updates:
        bind.execute(
            _coupons.update()
            .where(_coupons.c.id == sa.bindparam("coupon_key"))
            .values(expires_on=sa.bindparam("last_day")),
            updates,
        )


def downgrade() -> None:
    pass
