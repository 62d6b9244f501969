"""Cached money formatting for the screens: a cart repaints its amounts on every scan."""

from __future__ import annotations

from functools import lru_cache

from posapp.i18n import current_locale, money


@lru_cache(maxsize=4096)
def _money_in(amount: int, currency: str, locale: str) -> str:
    return money(amount, currency)


def show_money(amount: int, currency: str) -> str:
    """posapp.i18n.money, remembered per amount, currency and language."""
    return _money_in(amount, currency, current_locale())


def show_discount(amount: int, currency: str) -> str:
    """A discount as a negative amount, or empty when there is none."""
    return "-" + show_money(amount, currency) if amount else ""
