"""The one translation function, and locale-aware money and date formatting.

Every user-facing string goes through :func:`tr`. Catalogues are gettext ``.po`` files under
``posapp/locale/<locale>/LC_MESSAGES/posapp.po``, read with Babel at first use.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_currency, get_currency_precision

DEFAULT_LOCALE = "en_US"
SUPPORTED_LOCALES = ("en_US", "zh_CN")

_current_locale = os.environ.get("POSAPP_LOCALE", DEFAULT_LOCALE)


def set_locale(name: str) -> None:
    """Switch the language and formats of everything shown from now on."""
    global _current_locale
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown locale {name!r}") from exc
    _current_locale = name


def current_locale() -> str:
    return _current_locale


@cache
def _catalogue(locale_name: str) -> dict[str, str]:
    path = resources.files("posapp") / "locale" / locale_name / "LC_MESSAGES" / "posapp.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale_name)
    return {
        str(message.id): str(message.string)
        for message in catalogue
        if message.id and message.string and not message.fuzzy
    }


def tr(text: str, **values: Any) -> str:
    """Translate ``text`` into the current locale and fill ``{name}`` placeholders."""
    translated = _catalogue(_current_locale).get(text, text)
    return translated.format(**values) if values else translated


def minor_digits(currency: str) -> int:
    """How many decimal places the currency has (2 for CNY, USD; 0 for JPY)."""
    return int(get_currency_precision(currency))


def money(amount_minor: int, currency: str) -> str:
    """Format an integer amount of minor units, e.g. 12345 CNY -> '¥123.45'."""
    from decimal import Decimal

    digits = minor_digits(currency)
    value = Decimal(amount_minor).scaleb(-digits)
    return str(format_currency(value, currency, locale=_current_locale))


def day(value: date) -> str:
    return str(format_date(value, format="medium", locale=_current_locale))


def moment(value: datetime) -> str:
    """A stored (naive UTC) timestamp, shown in the machine's local time."""
    local = value.replace(tzinfo=UTC).astimezone() if value.tzinfo is None else value
    return str(format_datetime(local, format="short", locale=_current_locale))
