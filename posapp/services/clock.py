"""Today's date, from one place: the shop's local calendar day.

Every rule that depends on the day (a coupon's expiry at the till and in the listings, the clock a
printed or issued coupon starts, a markdown's first day) asks here unless the caller passes a day,
so the till and the back office can never be a day apart.
"""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()
