"""The `posapp` command: the till screens when run bare, back-office subcommands otherwise.

Every subcommand calls the same services as the screens. Bad input gets a plain message on stderr
and exit code 2; an unexpected error gets one plain line naming the log file, and exit code 1.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import posapp
from posapp.i18n import SUPPORTED_LOCALES, set_locale, tr
from posapp.services.errors import PosError
from ui.cli.context import EXIT_FAILED, EXIT_REFUSED, CliError, CommandContext
from ui.cli.crashlog import record_crash
from ui.cli.gui_launch import open_gui

# Loaded only for a subcommand: a bare `posapp` opens the screens without them (the receipt
# printer's capability tables alone take a third of a second to load).
COMMAND_MODULES = (
    "demo",
    "items",
    "campaigns",
    "coupons",
    "sales",
    "receipt",
    "tags",
    "stock",
    "counts",
    "scanner",
    "hub",
    "sync",
)
HELP_FLAGS = ("-h", "--help")
EXIT_INTERRUPTED = 130


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=tr(
            "database file or SQLAlchemy URL (default: $POSAPP_DB, else posapp.db in your "
            "data folder)"
        ),
    )
    parser.add_argument(
        "--terminal",
        metavar="NAME",
        help=tr("this till's name (default: $POSAPP_TERMINAL, else T1)"),
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=tr("who is working (default: $POSAPP_USER, else the first manager)"),
    )
    parser.add_argument("--pin", help=tr("the user's PIN, to open the screens signed in"))
    parser.add_argument(
        "--locale",
        choices=SUPPORTED_LOCALES,
        help=tr("language and formats (default: $POSAPP_LOCALE, else en_US)"),
    )
    parser.add_argument("--version", action=_Version, help=tr("show the version and exit"))


class _Version(argparse.Action):
    """--version, the version looked up only when asked for (posapp.__version__)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, argparse.SUPPRESS, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        print(f"posapp {posapp.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posapp",
        description=tr("Point of sale and back office for consignment shops."),
        epilog=tr("Run posapp with no command to open the till screens."),
    )
    _add_global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=tr("commands"))
    for name in COMMAND_MODULES:
        importlib.import_module(f"ui.cli.commands.{name}").register(commands)
    return parser


def _apply_locale(argv: Sequence[str]) -> None:
    """Set the language before the help texts are built (the full parser checks the value)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--locale")
    known, _rest = early.parse_known_args(argv)
    if known.locale in SUPPORTED_LOCALES:
        set_locale(known.locale)


def _silence_stdout() -> None:
    """After a closed pipe (posapp ... | head), stop Python complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _unexpected(error: Exception) -> int:
    log = record_crash(error)
    if log is None:
        print(tr("posapp stopped on an unexpected error: {error}", error=error), file=sys.stderr)
    else:
        print(
            tr(
                "posapp stopped on an unexpected error: {error}. Details are in {log}.",
                error=error,
                log=str(log),
            ),
            file=sys.stderr,
        )
    return EXIT_FAILED


def run(args: argparse.Namespace) -> int:
    context = CommandContext(args)
    handler: Callable[[CommandContext], int] | None = getattr(args, "handler", None)
    try:
        if handler is None:
            return open_gui(args)
        return handler(context)
    except PosError as error:
        print(error.message, file=sys.stderr)
        return EXIT_REFUSED
    except CliError as error:
        print(error.message, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(tr("Stopped."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILED
    except Exception as error:
        return _unexpected(error)
    finally:
        context.close()


def _bare(arguments: Sequence[str]) -> argparse.Namespace | None:
    """The global options when no command is given (the screens open), else None."""
    if any(flag in arguments for flag in HELP_FLAGS):
        return None
    globals_only = argparse.ArgumentParser(prog="posapp", add_help=False)
    _add_global_options(globals_only)
    known, rest = globals_only.parse_known_args(arguments)
    return None if rest else known


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    _apply_locale(arguments)
    try:
        bare = _bare(arguments)
        if bare is None:
            gc.enable()  # held off while the program loaded (ui.cli.launch); the GUI turns it on
        args = bare or build_parser().parse_args(arguments)
    except SystemExit as stop:  # --help and --version (0), bad usage (2)
        return stop.code if isinstance(stop.code, int) else EXIT_REFUSED
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
