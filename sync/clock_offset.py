"""How far a till's clock is from its hub's, and how to say so (light: the CLI's status loads it
without the HTTP client)."""

from __future__ import annotations

from posapp.i18n import tr

# A till's clock this far from the hub's is shown: sales, item changes and coupon days take
# their time from it, and one-of-a-kind items' states are folded in that time order.
CLOCK_WARN_S = 120


def _amount(offset_seconds: int) -> str:
    gap = abs(offset_seconds)
    if gap < 90 * 60:
        return tr("{n} min", n=max(1, round(gap / 60)))
    if gap < 48 * 3600:
        return tr("{n} h", n=round(gap / 3600))
    return tr("{n} days", n=round(gap / 86400))


def clock_words(offset_seconds: int) -> str:
    """How far this till's clock is from the hub's, in a sentence. ``offset_seconds``: the
    hub's clock less this till's."""
    amount = _amount(offset_seconds)
    if offset_seconds < 0:  # the hub is behind: this till is fast
        return tr("This till's clock is {amount} fast (ahead of the hub's).", amount=amount)
    return tr("This till's clock is {amount} slow (behind the hub's).", amount=amount)


def clock_short(offset_seconds: int) -> str:
    """The same in a few words, for a status bar."""
    amount = _amount(offset_seconds)
    if offset_seconds < 0:
        return tr("clock {amount} fast", amount=amount)
    return tr("clock {amount} slow", amount=amount)
