"""Option types and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TypeAlias

from posapp.i18n import minor_digits, tr
from posapp.money import MoneyFormatError, parse_amount, parse_percent
from posapp.services.errors import InvalidInput
from ui.cli.output import FORMATS

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            tr("{value!r} is not a whole number of 1 or more", value=text)
        )
    return int(text)


def whole_number(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(tr("{value!r} is not a whole number", value=text))
    return int(text)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{value!r} is not a date like 2025-12-31", value=text)
        ) from None


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help=tr("table for people (default), csv with a header row, or json"),
    )


def add_limit_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=positive_int, metavar="N", help=tr("show at most N rows (default: all)")
    )


def money_option(text: str, currency: str, option: str) -> int:
    """An amount typed in major units ('5', '5.00') as minor units of the store's currency."""
    try:
        return parse_amount(text, minor_digits(currency))
    except MoneyFormatError:
        raise InvalidInput(
            tr("{option}: {value!r} is not an amount of money.", option=option, value=text)
        ) from None


def percent_option(text: str, option: str) -> int:
    """'10' or '12.5' (percent) as basis points."""
    try:
        return parse_percent(text)
    except MoneyFormatError:
        raise InvalidInput(
            tr(
                "{option}: {value!r} is not a percentage above 0 and up to 100.",
                option=option,
                value=text,
            )
        ) from None
