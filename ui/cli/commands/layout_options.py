"""The --layout option (and the custom sheet's page, rows, columns, margins and gaps)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from posapp.i18n import tr
from printing.layouts import LAYOUTS, PAGES, SheetLayout, custom_layout, find_layout
from ui.cli.arguments import positive_int


def millimetres(count: int) -> Callable[[str], tuple[float, ...]]:
    """An option type: one size for all, or ``count`` sizes separated by commas."""

    def parse(text: str) -> tuple[float, ...]:
        try:
            values = tuple(float(part) for part in text.split(","))
        except ValueError:
            values = ()
        if len(values) == 1:
            values = values * count
        if len(values) != count:
            raise argparse.ArgumentTypeError(
                tr(
                    "{value!r}: give {count} sizes in mm, separated by commas",
                    value=text,
                    count=count,
                )
            )
        return values

    return parse


def add_layout_options(
    parser: argparse.ArgumentParser, default: str, rolls: tuple[str, ...] = ()
) -> None:
    parser.add_argument(
        "--layout",
        choices=[*LAYOUTS, "custom", *rolls],
        default=default,
        help=tr("label sheet (default: {name}); custom takes --page, --rows, --cols", name=default),
    )
    parser.add_argument("--page", choices=list(PAGES), default="a4", help=tr("custom: page size"))
    parser.add_argument("--rows", type=positive_int, default=8, help=tr("custom: labels down"))
    parser.add_argument("--cols", type=positive_int, default=3, help=tr("custom: labels across"))
    parser.add_argument(
        "--margins",
        type=millimetres(4),
        default=(10.0, 10.0, 10.0, 10.0),
        metavar="MM[,MM,MM,MM]",
        help=tr("custom: page margins top,right,bottom,left in mm (default 10)"),
    )
    parser.add_argument(
        "--gaps",
        type=millimetres(2),
        default=(0.0, 0.0),
        metavar="MM[,MM]",
        help=tr("custom: gaps between labels across,down in mm (default 0)"),
    )


def chosen_layout(args: argparse.Namespace) -> SheetLayout:
    if args.layout != "custom":
        return find_layout(args.layout)
    return custom_layout(args.page, args.rows, args.cols, args.margins, args.gaps)
